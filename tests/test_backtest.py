"""`driftline backtest`: honest replay, drift from stored profiles, policies, tables and the CLI."""

from __future__ import annotations

import dataclasses
import json
import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from driftline import backtest as bt
from driftline import demo, scenario
from driftline.cli import main
from driftline.config import declaration_errors, load_monitors
from driftline.project import DbtProject
from driftline.retrain import extract
from driftline.warehouse import Warehouse

RETRAINING = {"estimator": "driftline.scenario:pipeline", "window_days": 30, "holdout_windows": 3,
              "min_new_labelled_rows": 600, "cooldown_days": 7}


def with_retraining(monitor, **overrides):
    """The monitor with a (validated) retraining section, without a new dbt build."""
    declaration = {**demo.monitor_declaration(), "retraining": {**RETRAINING, **overrides.pop("retraining", {})}}
    for key, value in overrides.items():
        declaration[key] = {**declaration.get(key, {}), **value}
    normalized, errors = declaration_errors(declaration)
    assert not errors, errors
    return dataclasses.replace(monitor, declaration=normalized)


def loan_monitor(build):
    return next(m for m in build.monitors if m.name == "loan_default")


@pytest.fixture(scope="module")
def history(demo_build):
    warehouse = Warehouse("duckdb", duckdb.connect(str(demo_build.path / "warehouse.duckdb")), "duckdb")
    try:
        yield bt.load_history(warehouse, demo_build.manifest(), with_retraining(loan_monitor(demo_build)))
    finally:
        warehouse.close()


# The policy test needs a longer life after the shift than the 120-day demo gives with labels
# up to 30 days late: 180 days, labels within 10 days, no segments (a quicker build).
POLICY_SCENARIO = scenario.ScenarioConfig(days=180, rows_per_day=100, shift_day=70, max_label_delay_days=10)


def policy_declaration():
    declaration = demo.monitor_declaration()
    declaration["segments"] = []
    declaration["labels"]["horizon_days"] = 10
    declaration["thresholds"] = {"min_window_rows": 50, "performance_floor": 0.7}
    declaration["retraining"] = {**RETRAINING, "window_days": 21}
    return declaration


@pytest.fixture(scope="module")
def policy_history(tmp_path_factory):
    directory = tmp_path_factory.mktemp("backtest_policies")
    project = demo.write_project(directory, policy_declaration())
    scenario.write_duckdb(scenario.generate(POLICY_SCENARIO), directory / "warehouse.duckdb")
    project.deps()
    project.build()
    monitor = load_monitors(directory)[0]
    warehouse = Warehouse("duckdb", duckdb.connect(str(directory / "warehouse.duckdb")), "duckdb")
    try:
        return bt.load_history(warehouse, project.manifest(), monitor)
    finally:
        warehouse.close()


@pytest.fixture(scope="module")
def demo_result(policy_history):
    """The demo-like replay every policy test reads: one run, a few policies, the fixed strategy."""
    trained: list[tuple[pd.Timestamp, pd.Timestamp, int]] = []

    def check(frame: pd.DataFrame, as_of: pd.Timestamp) -> None:
        trained.append((frame["labelled_at"].max(), as_of, len(frame)))

    config = bt.BacktestConfig(policies=["never", "periodic:7", "drift"], strategies=["fixed"], decay=True,
                               decay_window_days=[14, 42], decay_origins=4, decay_max_age=20, bootstrap_resamples=400,
                               on_train=check, max_retrains=15)
    result = bt.run(policy_history, config)
    result.trained = trained
    return result


# ---------------------------------------------------------------------------
# Policies and pure pieces
# ---------------------------------------------------------------------------


def test_policy_parsing():
    assert bt.Policy.parse("periodic:7") == bt.Policy("periodic", 7)
    assert bt.Policy.parse("hybrid:30").name == "hybrid:30"
    assert bt.Policy.parse("drift").uses_drift and not bt.Policy.parse("drift").uses_performance
    for bad in ("weekly", "periodic", "periodic:0", "drift:3"):
        with pytest.raises(bt.BacktestError):
            bt.Policy.parse(bad)


def test_balanced_accuracy_matches_sklearn():
    from sklearn.metrics import balanced_accuracy_score

    rng = np.random.default_rng(3)
    y = rng.choice(["0", "1"], 200, p=[0.85, 0.15])
    predicted = rng.choice(["0", "1"], 200)
    assert bt.balanced_accuracy(y, predicted) == pytest.approx(balanced_accuracy_score(y, predicted), abs=1e-12)


# ---------------------------------------------------------------------------
# Honesty: labels as known at each moment
# ---------------------------------------------------------------------------


def _monitor_stub():
    declaration = {**demo.monitor_declaration(), "features": [{"name": "x", "kind": "numeric"}],
                   "retraining": dict(RETRAINING)}
    normalized, errors = declaration_errors(declaration)
    assert not errors
    from driftline.config import Monitor, Relation

    return Monitor("stub", "source.x", Relation(None, "raw", "log"), Relation(None, "raw", "labels"), normalized)


def test_a_late_revision_is_invisible_until_it_arrives():
    """Every label is first delivered wrong and corrected 10 days later: before the correction
    arrives the replay must see the wrong value, afterwards the right one, never both."""
    monitor = _monitor_stub()
    day = pd.Timestamp("2026-01-01")
    rows = pd.DataFrame({"prediction_id": [f"p{i}" for i in range(20)],
                         "event_at": [day + pd.Timedelta(hours=6 * i) for i in range(20)],
                         "x": np.arange(20.0)})
    first = pd.DataFrame({"prediction_id": rows["prediction_id"], "label": "0",
                          "labelled_at": rows["event_at"] + pd.Timedelta(days=2)})
    revision = first.assign(label="1", labelled_at=first["labelled_at"] + pd.Timedelta(days=10))
    null_revision = first.iloc[:2].assign(label=None, labelled_at=first["labelled_at"].iloc[:2] + pd.Timedelta(days=20))
    history = bt.build_history(monitor, rows, pd.concat([revision, null_revision, first]).sample(frac=1, random_state=1))

    early = history.labelled(day, day + pd.Timedelta(days=10), day + pd.Timedelta(days=4))
    assert len(early) and set(early["label"]) == {"0"}
    assert (early["labelled_at"] <= day + pd.Timedelta(days=4)).all()
    later = history.labelled(day, day + pd.Timedelta(days=10), day + pd.Timedelta(days=13))
    assert set(later["label"]) == {"0", "1"}  # corrections of the earliest rows have arrived, others not yet
    for row in later.itertuples():
        assert row.label == ("1" if row.event_at + pd.Timedelta(days=12) <= day + pd.Timedelta(days=13) else "0")
    final = history.labelled(day, day + pd.Timedelta(days=10), day + pd.Timedelta(days=40))
    assert set(final["label"]) == {"1"} and len(final) == 18  # a null latest delivery means unlabelled
    assert list(history.final_label[:3]) == [None, None, "1"]


def test_in_memory_extraction_equals_the_runner_sql(demo_build, history):
    """The replay's as-of label join is the runner's `labelled_rows_sql` (revisions, delays, orphans)."""
    monitor = history.monitor
    warehouse = Warehouse("duckdb", duckdb.connect(str(demo_build.path / "warehouse.duckdb")), "duckdb")
    try:
        start = pd.Timestamp("2026-01-01")
        compared = 0
        for days_known in (10, 45, 90, 125):
            known_at = start + pd.Timedelta(days=days_known)
            for lo, hi in ((0, 60), (50, 120)):
                a, b = start + pd.Timedelta(days=lo), start + pd.Timedelta(days=hi)
                sql = extract(warehouse, monitor, a, b, known_at).set_index("prediction_id").sort_index()
                memory = history.labelled(a, b, known_at).set_index("prediction_id").sort_index()
                assert list(memory.index) == list(sql.index)
                assert list(memory["label"]) == list(sql["label"].astype(str))
                assert (memory["labelled_at"].to_numpy() == pd.to_datetime(sql["labelled_at"]).to_numpy()).all()
                for feature in (f.name for f in monitor.features):
                    mine, theirs = memory[feature].to_numpy(dtype=object), sql[feature].to_numpy(dtype=object)
                    missing = pd.isna(mine)
                    assert (missing == pd.isna(theirs)).all() and (mine[~missing] == theirs[~missing]).all(), feature
                assert sql.empty or sql["labelled_at"].max() <= known_at
                compared += len(sql)
    finally:
        warehouse.close()
    assert compared > 10_000
    assert history.incidents, "the broken feed is a data incident"


def test_no_training_frame_holds_a_label_from_the_future(demo_result):
    assert len(demo_result.trained) > 10
    for latest_label, as_of, n in demo_result.trained:
        assert n > 0 and latest_label <= as_of


# ---------------------------------------------------------------------------
# Drift from stored profiles equals dbt's
# ---------------------------------------------------------------------------


def test_drift_against_the_dbt_reference_equals_driftline_feature_drift(demo_build, history):
    engine = bt.DriftEngine(history)
    start, end = history.dbt_reference
    a, b = history.window_index(start), history.window_index(end)
    table = demo_build.query(
        f"""select window_start, feature_name, statistic, value from {demo_build.relation('driftline_feature_drift')}
            where monitor_name = 'loan_default' and segment_name = '__all__' and feature_role = 'feature'
              and statistic in ('psi', 'js_distance')""")
    assert {f.name for f in history.monitor.features} == set(engine.features)
    compared = 0
    for feature in engine.features:
        mine = engine.statistics(feature, a, b)
        for statistic in ("psi", "js_distance"):
            rows = table[(table["feature_name"] == feature) & (table["statistic"] == statistic)]
            index = history.windows.searchsorted(pd.to_datetime(rows["window_start"]))
            np.testing.assert_allclose(mine[statistic][index], rows["value"].to_numpy(dtype=float), rtol=1e-9, atol=1e-12,
                                       err_msg=f"{feature} {statistic}")
            compared += len(rows)
    assert compared > 3000
    # drift_sustained per window, as dbt's breach islands would have it for PSI and JS on the whole log
    breaches = demo_build.query(
        f"""select distinct window_start from {demo_build.relation('int_driftline__drift_breaches')}
            where monitor_name = 'loan_default' and segment_name = '__all__' and feature_role = 'feature'
              and statistic in ('psi', 'js_distance') and severity = 'critical' and consecutive_windows >= 3""")
    expected = np.zeros(history.n_windows, dtype=bool)
    expected[history.windows.searchsorted(pd.to_datetime(breaches["window_start"]))] = True
    sustained = engine.sustained_drift(a, b)
    assert expected.sum() >= 3 and (sustained == expected).all()
    broken = history.window_index(pd.Timestamp("2026-02-10"))  # the broken feed, days 40-43
    assert sustained[broken + 2] and sustained[broken + 3]


def test_a_different_reference_moves_the_decile_bins(history):
    """Against a pre-shift reference the post-shift interest rates drift; against a post-shift one they do not."""
    engine = bt.DriftEngine(history)
    post = history.window_index(pd.Timestamp("2026-03-12"))  # day 70
    early = engine.statistics("interest_rate", 0, 30)["psi"]
    late = engine.statistics("interest_rate", post, post + 30)["psi"]
    assert np.nanmean(early[post + 30:]) > 0.25 > 0.1 > np.nanmean(late[post + 30:])
    assert np.nanmean(late[:30]) > 0.25


# ---------------------------------------------------------------------------
# The replay on the demo scenario
# ---------------------------------------------------------------------------


def _after_shift(result, days_after=30):
    cut = pd.Timestamp("2026-01-01") + pd.Timedelta(days=70 + days_after)
    rows = result.results[result.results["window_start"] >= cut]
    return rows.groupby("policy")["metric"].mean()


def test_demo_backtest_policies(demo_result):
    """Measured on this scenario (fixed strategy): never 0.702 mean ROC AUC (0.676 from day 100),
    periodic:7 0.765 with 21 retrains, drift 0.764 with 13."""
    summary = demo_result.summary.set_index("policy")
    after = _after_shift(demo_result)
    # never retraining is clearly worse once the shift has been learnable
    assert after["never"] < after["periodic:7"] - 0.04
    assert after["never"] < after["drift"] - 0.04
    assert summary.loc["never", "mean_metric"] < summary.loc["periodic:7", "mean_metric"] - 0.03
    # the drift-triggered policy comes close to retraining every week with far fewer retrains
    assert summary.loc["drift", "mean_metric"] >= summary.loc["periodic:7", "mean_metric"] - 0.01
    assert summary.loc["drift", "retrains"] <= 0.75 * summary.loc["periodic:7", "retrains"]
    # naive baselines side by side: constant predictions rank nobody
    assert summary.loc["baseline_majority", "mean_metric"] == pytest.approx(0.5)
    assert summary.loc["baseline_previous_label", "mean_balanced_metric"] == pytest.approx(0.5)
    assert summary.loc["never", "mean_metric"] > 0.6
    # the recommendation: the best mean metric within the budget of 15 retrains
    recommended = summary[summary["recommended"]]
    assert list(recommended.index) == ["drift"]
    assert not summary.loc["periodic:7", "within_budget"] or summary.loc["periodic:7", "retrains"] <= 15
    assert summary.loc["drift", "training_seconds"] > 0


def test_results_shape(demo_result):
    results = demo_result.results
    assert set(results["policy"]) >= {"never", "drift", "baseline_majority", "baseline_previous_label"}
    never = results[results["policy"] == "never"]
    assert never["retrained"].sum() == 1 and never["model_version"].nunique() == 1
    assert (never["model_version_age_windows"].diff().dropna() == 1).all()
    periodic = results[results["policy"] == "periodic:7"]
    assert periodic["retrained"].sum() == demo_result.summary.set_index("policy").loc["periodic:7", "retrains"]
    labelled = results[results["n_rows"] > 0]
    assert len(labelled) > 0.9 * len(results)
    assert labelled["balanced_metric"].between(0, 1).all()


def test_decay_table(demo_result):
    decay = demo_result.decay
    assert set(decay["training_window_days"]) == {14, 42}
    assert decay["age_windows"].min() == 0 and decay["n_origins"].max() <= 4
    assert decay["metric_mean"].between(0.4, 1).all()
    assert "per 10 windows of age" in bt.decay_summary(decay, "roc_auc")


def test_svg_plot(demo_result, tmp_path):
    svg = bt.render_svg(demo_result)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert svg.count("<polyline") == demo_result.summary["policy"].nunique()
    import xml.dom.minidom

    xml.dom.minidom.parseString(svg)


# ---------------------------------------------------------------------------
# The CLI and the warehouse tables
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def retrain_project(demo_build, tmp_path_factory):
    """A copy of the demo build whose declaration adds retraining: re-parsed, not rebuilt."""
    directory = tmp_path_factory.mktemp("backtest_project")
    shutil.copytree(demo_build.path, directory, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    profiles = yaml.safe_load((directory / "profiles.yml").read_text())
    profiles[demo.PROJECT_NAME]["outputs"]["dev"]["path"] = str(directory / "warehouse.duckdb")
    (directory / "profiles.yml").write_text(yaml.safe_dump(profiles))
    sources_path = directory / "models" / "sources.yml"
    sources = yaml.safe_load(sources_path.read_text())
    for table_ in sources["sources"][0]["tables"]:
        if table_["name"] == "loan_predictions":
            table_["config"]["meta"]["driftline"]["retraining"] = dict(RETRAINING)
    sources_path.write_text(yaml.safe_dump(sources, sort_keys=False))
    project = DbtProject(directory, directory)
    project.deps()
    project.parse()
    assert any(m["retraining"] for m in load_monitors(directory))
    return directory


def test_cli_backtest_writes_tables_and_plot(retrain_project, tmp_path):
    plot = tmp_path / "backtest.svg"
    result = CliRunner().invoke(main, ["backtest", "--project-dir", str(retrain_project), "--profiles-dir",
                                       str(retrain_project), "--monitor", "loan_default", "--policies",
                                       "never,periodic:30", "--max-retrains", "2", "--no-decay", "--out", str(plot),
                                       "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload[0]["monitor"] == "loan_default" and payload[0]["metric"] == "roc_auc"
    assert plot.read_text().startswith("<svg")
    con = duckdb.connect(str(retrain_project / "warehouse.duckdb"))
    try:
        schema = con.execute("select table_schema from information_schema.tables "
                             "where table_name = 'driftline_retrain_signals'").fetchone()[0]
        summary = con.execute(f'select * from "{schema}".driftline_backtest_summary').df()
        results = con.execute(f'select * from "{schema}".driftline_backtest_results').df()
        decay = con.execute(f'select * from "{schema}".driftline_backtest_decay').df()
    finally:
        con.close()
    assert set(summary["policy"]) == {"never", "periodic:30", "baseline_majority", "baseline_previous_label"}
    assert summary["backtest_id"].nunique() == 1 and summary["recommended"].sum() == 1
    assert set(results.columns) >= {"backtest_id", "monitor_name", "policy", "window_strategy", "window_start",
                                    "metric_name", "metric", "balanced_metric", "retrained",
                                    "model_version_age_windows", "n_rows"}
    assert len(results) == 4 * results["window_start"].nunique()
    assert decay.empty

    text = CliRunner().invoke(main, ["backtest", "--project-dir", str(retrain_project), "--profiles-dir",
                                     str(retrain_project), "--policies", "never", "--no-decay", "--no-write"])
    assert text.exit_code == 0, text.output
    assert "recommended" in text.output and "baseline_majority" in text.output


def test_cli_rejects_an_unknown_policy(retrain_project):
    result = CliRunner().invoke(main, ["backtest", "--project-dir", str(retrain_project), "--profiles-dir",
                                       str(retrain_project), "--policies", "weekly", "--no-write"])
    assert result.exit_code == 2 and "unknown policy 'weekly'" in result.output
