"""The configuration contract: each kind of mistake yields an error naming monitor, key and problem,
and the dbt (Jinja) and Python validators agree on every declaration, message for message."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest
from click.testing import CliRunner

from driftline import demo
from driftline.cli import main as cli
from driftline.config import ConfigError, check_columns, declaration_errors, load_monitors, validate_declaration
from driftline.contract import render_contract_macro
from driftline.paths import dbt_package_dir
from driftline.project import DbtError
from driftline.warehouse import Warehouse

from conftest import write_test_project


def mutate(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    decl = copy.deepcopy(demo.monitor_declaration())
    change(decl)
    return decl


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(decl: dict[str, Any]) -> None:
        target = decl
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return apply


def _drop(*path: Any) -> Callable[[dict[str, Any]], None]:
    def apply(decl: dict[str, Any]) -> None:
        target = decl
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return apply


# (case id, declaration, a line the errors must contain)
CASES: list[tuple[str, Any, str | None]] = [
    ("valid", demo.monitor_declaration(), None),
    ("unknown_key", mutate(_set(["windw"], "day")), "windw: unknown key; expected one of: monitor, id_column,"),
    ("missing_required", mutate(_drop("id_column")), "id_column: required key is missing"),
    ("wrong_feature_kind", mutate(_set(["features", 2, "kind"], "numerc")),
     "features[2].kind: must be one of: numeric, categorical (got 'numerc')"),
    ("bad_window_unit", mutate(_set(["window"], "fortnight")),
     "window: must be one of: hour, day, week, month (got 'fortnight')"),
    ("unknown_feature_key", mutate(_set(["features", 0, "type"], "numeric")), "features[0].type: unknown key; expected one of: name, kind"),
    ("feature_missing_name", mutate(_drop("features", 1, "name")), "features[1].name: required key is missing"),
    ("features_not_list", mutate(_set(["features"], "income")), "features: must be a list (got 'income')"),
    ("features_empty", mutate(_set(["features"], [])), "features: must have at least 1 item(s)"),
    ("bad_monitor_name", mutate(_set(["monitor"], "Loan Default")),
     "monitor: must be lowercase letters, digits and underscores, starting with a letter (got 'Loan Default')"),
    ("bad_task", mutate(_set(["task"], "classification")),
     "task: must be one of: binary_classification, multiclass_classification, regression (got 'classification')"),
    ("integer_as_string", mutate(_set(["labels", "horizon_days"], "30")), "labels.horizon_days: must be an integer (got '30')"),
    ("boolean_as_number", mutate(_set(["labels", "mature_coverage"], True)), "labels.mature_coverage: must be a number (got 'True')"),
    ("above_max", mutate(_set(["labels", "mature_coverage"], 1.5)), "labels.mature_coverage: must be at most 1 (got '1.5')"),
    ("below_min", mutate(_set(["labels", "horizon_days"], -1)), "labels.horizon_days: must be at least 0 (got '-1')"),
    ("unknown_statistic", mutate(_set(["thresholds"], {"statistics": {"psy": {"warn": 0.2}}})),
     "thresholds.statistics.psy: unknown key; expected one of: psi, js_distance,"),
    ("threshold_not_number", mutate(_set(["thresholds"], {"statistics": {"psi": {"warn": "high"}}})),
     "thresholds.statistics.psi.warn: must be a number (got 'high')"),
    ("threshold_unknown_feature", mutate(_set(["thresholds"], {"features": {"incme": {"psi": {"warn": 0.2}}}})),
     "thresholds.features.incme: not a declared feature"),
    ("duplicate_feature", mutate(lambda d: d["features"].append({"name": "income", "kind": "numeric"})),
     "features[14].name: duplicate feature 'income'"),
    ("id_is_feature", mutate(lambda d: d["features"].append({"name": "loan_id", "kind": "categorical"})),
     "id_column: 'loan_id' is also declared as a feature"),
    ("binary_without_score", mutate(_drop("score_column")), "score_column: required for task 'binary_classification'"),
    ("labels_both_relations", mutate(_set(["labels", "model"], "outcomes")), "labels: set exactly one of 'model' or 'source'"),
    ("labels_bad_source", mutate(_set(["labels", "source"], "loan_outcomes")),
     "labels.source: must be 'source_name.table_name' (got 'loan_outcomes')"),
    ("date_range_without_end", mutate(_set(["reference"], {"method": "date_range", "start": "2026-01-01"})),
     "reference.end: required when method is 'date_range'"),
    ("date_range_reversed", mutate(_set(["reference"], {"method": "date_range", "start": "2026-02-01", "end": "2026-01-01"})),
     "reference.end: must be after reference.start"),
    ("bad_date", mutate(_set(["reference"], {"method": "date_range", "start": "01/02/2026", "end": "2026-03-01"})),
     "reference.start: must be a date 'YYYY-MM-DD' (got '01/02/2026')"),
    ("bad_estimator", mutate(_set(["retraining"], {"estimator": "my_models.make_pipeline"})),
     "retraining.estimator: must be 'package.module:function' (got 'my_models.make_pipeline')"),
    ("dynamic_without_candidates", mutate(_set(["retraining"], {"estimator": "m:f", "window_strategy": "dynamic"})),
     "retraining.candidate_window_days: required when window_strategy is 'dynamic'"),
    ("column_not_identifier", mutate(_set(["id_column"], "loan id; drop table x")),
     "id_column: must be a plain column name (letters, digits, underscores) (got 'loan id; drop table x')"),
    ("not_a_mapping", "loan_default", ": must be a mapping (got 'loan_default')"),
    ("several_errors_at_once", mutate(lambda d: (d.update(window="yearly"), d.pop("task"))), "task: required key is missing"),
]


@pytest.mark.parametrize("case_id, declaration, expected", CASES, ids=[c[0] for c in CASES])
def test_python_validator_names_key_and_problem(case_id, declaration, expected):
    normalized, errors = declaration_errors(declaration)
    if expected is None:
        assert errors == []
        assert normalized["window"] == "day" and normalized["reference"]["windows"] == 30
        assert normalized["thresholds"]["min_window_rows"] == 100  # nested defaults filled in
    else:
        assert any(expected in e for e in errors), errors
        with pytest.raises(ConfigError) as info:
            validate_declaration(declaration, "source.demo.raw.loan_predictions")
        assert "(source.demo.raw.loan_predictions)" in str(info.value)
        label = declaration.get("monitor", "?") if isinstance(declaration, dict) else "?"
        assert f"monitor '{label}'" in str(info.value)


def test_several_mistakes_are_reported_together():
    _, errors = declaration_errors(CASES[-1][1])
    assert errors == [
        "task: required key is missing",
        "window: must be one of: hour, day, week, month (got 'yearly')",
    ]


def test_dbt_and_python_validators_agree(tmp_path, tiny_warehouse):
    """One `dbt run-operation` validates every case with the Jinja half; results must equal Python's."""
    project = write_test_project(tmp_path, {"loan_predictions": None})
    shutil.copy(tiny_warehouse, tmp_path / "warehouse.duckdb")
    project.deps()
    messages: list[str] = []

    from dbt.cli.main import dbtRunner

    def collect(event) -> None:
        if event.info.name == "JinjaLogInfo" and "DRIFTLINE_TEST_RESULT " in event.info.msg:
            messages.append(event.info.msg.split("DRIFTLINE_TEST_RESULT ", 1)[1])

    cases = [c[1] for c in CASES]
    result = dbtRunner(callbacks=[collect]).invoke(
        ["run-operation", "driftline_test_declarations", "--args", json.dumps({"cases": cases}),
         "--project-dir", str(tmp_path), "--profiles-dir", str(tmp_path)]
    )
    assert result.success, result.exception
    jinja_results = json.loads(messages[0])
    for (case_id, declaration, _), from_jinja in zip(CASES, jinja_results, strict=True):
        normalized, errors = declaration_errors(declaration)
        assert from_jinja["errors"] == errors, case_id
        if not errors:
            assert from_jinja["normalized"] == json.loads(json.dumps(normalized)), case_id


def test_contract_macro_is_in_sync_with_python_spec():
    generated = (dbt_package_dir() / "macros" / "config" / "driftline_contract.sql").read_text()
    assert generated == render_contract_macro(), "run `python -m driftline.contract` after editing contract.py"


# --- end to end: dbt and the CLI stop with the same clear message -----------------------------


def _project_with(tmp_path: Path, tiny_warehouse: Path, declarations: dict[str, Any]):
    project = write_test_project(tmp_path, declarations)
    shutil.copy(tiny_warehouse, tmp_path / "warehouse.duckdb")
    project.deps()
    return project


def _dbt_error(project) -> str:
    # one thread: after a compile error dbt-duckdb may close a connection another thread still uses
    # ("connection is busy with another call"), which would replace the message under test
    with pytest.raises(DbtError) as info:
        project.invoke("compile", "--select", "package:driftline", "--threads", "1")
    return str(info.value)


def test_missing_column_fails_compile_naming_monitor_key_and_column(tmp_path, tiny_warehouse):
    decl = mutate(_set(["features", 0, "name"], "incme"))
    project = _project_with(tmp_path, tiny_warehouse, {"loan_predictions": decl, "loan_outcomes": None})
    message = _dbt_error(project)
    expected = "features[0].name: column 'incme' not found in warehouse.raw.loan_predictions (columns: loan_id, scored_at,"
    assert "invalid declaration for monitor 'loan_default' (source.driftline_demo.raw.loan_predictions)" in message
    assert expected in message

    # The Python side words it identically.
    project.parse()
    monitor = load_monitors(tmp_path)[0]
    warehouse = Warehouse.from_profile(project.profile(), tmp_path)
    with pytest.raises(ConfigError) as info:
        check_columns(monitor, warehouse.columns_of)
    warehouse.close()
    assert expected in str(info.value)
    dbt_lines = [line.strip() for line in message.splitlines() if line.strip().startswith("- ")]
    py_lines = [line.strip() for line in str(info.value).splitlines() if line.strip().startswith("- ")]
    assert dbt_lines == py_lines


def test_numeric_feature_on_text_column_is_a_kind_error(tmp_path, tiny_warehouse):
    decl = mutate(_set(["features", 11, "kind"], "numeric"))  # home_ownership is text
    assert decl["features"][11]["name"] == "home_ownership"
    project = _project_with(tmp_path, tiny_warehouse, {"loan_predictions": decl, "loan_outcomes": None})
    assert "features[11].kind: 'numeric' but column 'home_ownership' has type VARCHAR" in _dbt_error(project)


def test_missing_label_column_is_named(tmp_path, tiny_warehouse):
    decl = mutate(_set(["labels", "label_column"], "default_flag"))
    project = _project_with(tmp_path, tiny_warehouse, {"loan_predictions": decl, "loan_outcomes": None})
    assert "labels.label_column: column 'default_flag' not found in warehouse.raw.loan_outcomes" in _dbt_error(project)


def test_two_monitors_with_the_same_name(tmp_path, tiny_warehouse):
    second = mutate(lambda d: None)
    project = _project_with(
        tmp_path, tiny_warehouse, {"loan_predictions": demo.monitor_declaration(), "loan_outcomes": second}
    )
    message = _dbt_error(project)
    assert ("monitor 'loan_default' is declared twice: source.driftline_demo.raw.loan_outcomes "
            "and source.driftline_demo.raw.loan_predictions") in message
    project.parse()
    with pytest.raises(ConfigError) as info:
        load_monitors(tmp_path)
    assert "monitor 'loan_default' is declared twice: source.driftline_demo.raw.loan_outcomes" in str(info.value)


def test_structural_error_stops_dbt_and_cli_alike(tmp_path, tiny_warehouse):
    decl = mutate(_set(["window"], "fortnight"))
    project = _project_with(tmp_path, tiny_warehouse, {"loan_predictions": decl, "loan_outcomes": None})
    message = _dbt_error(project)
    assert "window: must be one of: hour, day, week, month (got 'fortnight')" in message
    result = CliRunner().invoke(cli, ["validate", "--project-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "invalid declaration for monitor 'loan_default'" in result.output
    assert "window: must be one of: hour, day, week, month (got 'fortnight')" in result.output


def test_label_relation_must_exist_in_the_project(tmp_path, tiny_warehouse):
    decl = mutate(_set(["labels", "source"], "raw.outcomes_v2"))
    project = _project_with(tmp_path, tiny_warehouse, {"loan_predictions": decl, "loan_outcomes": None})
    assert "labels.source: no source table 'raw.outcomes_v2' in the project" in _dbt_error(project)


def test_valid_project_passes_cli_validate(tmp_path, tiny_warehouse):
    _project_with(tmp_path, tiny_warehouse, {"loan_predictions": demo.monitor_declaration(), "loan_outcomes": None})
    result = CliRunner().invoke(cli, ["validate", "--project-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "ok  loan_default  (source.driftline_demo.raw.loan_predictions, 14 features)" in result.output
