"""dbt docs: every driftline model and column is described; docs/bi.md's examples parse in a user's project."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from driftline import demo

ROOT = Path(__file__).resolve().parent.parent
BI = (ROOT / "docs" / "bi.md").read_text()


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", BI, re.S)


def test_every_driftline_model_and_column_is_described(demo_build):
    manifest = demo_build.manifest()
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["package_name"] == "driftline"]
    assert len(models) >= 20
    columns = demo_build.query(
        "select table_schema, table_name, column_name from information_schema.columns where table_catalog = 'warehouse'"
    )
    problems = []
    for node in models:
        if not node["description"].strip():
            problems.append(f"{node['name']}: no description")
        documented = {name.lower(): (col.get("description") or "").strip() for name, col in node["columns"].items()}
        actual = columns[(columns.table_schema == node["schema"]) & (columns.table_name == node["alias"])].column_name.str.lower()
        assert len(actual), node["name"]
        for column in actual:
            if not documented.get(column):
                problems.append(f"{node['name']}.{column}: no description")
        for column, text in documented.items():
            if column not in set(actual):
                problems.append(f"{node['name']}.{column}: described but not in the table")
            if "{{" in text or "{%" in text:
                problems.append(f"{node['name']}.{column}: unrendered Jinja in the description")
    assert problems == []


def test_bi_guide_examples_parse_in_a_user_project(tmp_path):
    """The exposure and the Lightdash model of docs/bi.md, pasted into a project that installs driftline."""
    project = demo.write_project(tmp_path)
    exposure = next(b for b in _blocks("yaml") if "exposures:" in b)
    (tmp_path / "models" / "model_health.yml").write_text(exposure)
    sql = next(b for b in _blocks("sql") if "models/model_health/model_health_drift.sql" in b)
    model_yml = next(b for b in _blocks("yaml") if "model_health_drift" in b and "models:" in b)
    (tmp_path / "models" / "model_health").mkdir()
    (tmp_path / "models" / "model_health" / "model_health_drift.sql").write_text(sql)
    (tmp_path / "models" / "model_health" / "model_health_drift.yml").write_text(model_yml)
    assert yaml.safe_load(exposure)["exposures"][0]["name"] == "model_health"
    runner_sources = next(b for b in _blocks("yaml") if "driftline_runner" in b)
    (tmp_path / "models" / "driftline_runner.yml").write_text(runner_sources)

    project.deps()
    manifest = project.parse()
    exposure_node = manifest["exposures"]["exposure.driftline_demo.model_health"]
    assert set(exposure_node["depends_on"]["nodes"]) == {
        f"model.driftline.{name}"
        for name in ("driftline_feature_drift", "driftline_data_quality", "driftline_performance", "driftline_alerts", "driftline_retrain_signals")
    }
    model = manifest["nodes"]["model.driftline_demo.model_health_drift"]
    assert model["depends_on"]["nodes"] == ["model.driftline.driftline_feature_drift"]
    docs = manifest["docs"]
    for column in ("monitor_name", "window_start", "feature_name", "statistic", "status", "value"):
        text = model["columns"][column]["description"]
        assert text and text == docs[f"doc.driftline.driftline_{column}"]["block_contents"]
    assert "drift_value" in model["columns"]["value"]["config"]["meta"]["metrics"]
    assert {n["name"] for n in manifest["sources"].values() if n["source_name"] == "driftline_runner"} == {
        "driftline_model_registry", "driftline_model_events", "driftline_retrain_runs"
    }
