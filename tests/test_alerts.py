"""Alerts and the retrain decision: the genuine shift asks for a retrain, a broken feed blocks one and
raises a data incident, drift-free data stays quiet, and re-runs are idempotent."""

from __future__ import annotations

import html

import duckdb
import numpy as np
import pandas as pd
import pytest

from conftest import BuiltProject, write_test_project
from driftline import demo, scenario
from driftline.config import load_monitors


def _signals(build: BuiltProject) -> pd.DataFrame:
    return build.query(f"select * from {build.relation('driftline_retrain_signals')}").set_index("monitor_name")


def _alerts(build: BuiltProject) -> pd.DataFrame:
    return build.query(f"select * from {build.relation('driftline_alerts')}")


def test_genuine_shift_asks_for_a_retrain(demo_build):
    signal = _signals(demo_build).loc["loan_default"]
    assert signal.should_retrain and not signal.is_blocked
    assert signal.reasons.split(",")[:2] == ["drift_sustained", "performance"]
    assert signal.blockers is None
    alerts = _alerts(demo_build).set_index("alert_id")
    drift_ids = signal.drift_alert_ids.split(",")
    assert set(alerts.loc[drift_ids].kind) == {"drift"} and set(alerts.loc[drift_ids].severity) == {"critical"}
    assert (alerts.loc[drift_ids].consecutive_windows >= 3).all()
    assert "interest_rate" in set(alerts.loc[drift_ids].feature_name)
    performance_ids = signal.performance_alert_ids.split(",")
    assert set(alerts.loc[performance_ids].kind) == {"performance"}
    # the candidate training window is the 60 days that end with the latest window
    assert signal.candidate_window_end - signal.candidate_window_start == pd.Timedelta(days=60)


@pytest.fixture(scope="module")
def broken_feed_build(tmp_path_factory) -> BuiltProject:
    """The scenario as it stood the morning after the broken feed's last day."""
    directory = tmp_path_factory.mktemp("broken_feed")
    project = write_test_project(directory, {"loan_predictions": demo.monitor_declaration(), "loan_outcomes": None})
    sc = scenario.generate(scenario.ScenarioConfig(rows_per_day=120, days=44))
    scenario.write_duckdb(sc, directory / "warehouse.duckdb")
    project.deps()
    project.build()
    return BuiltProject(project, sc, load_monitors(directory))


def test_broken_feed_blocks_the_retrain_and_raises_a_data_incident(broken_feed_build):
    signal = _signals(broken_feed_build).loc["loan_default"]
    assert not signal.should_retrain and signal.is_blocked
    assert "drift_sustained" in signal.reasons  # income and utilization look drifted for 4 days...
    assert signal.blockers.split(",")[0] == "data_incident"  # ...but the feed is broken
    alerts = _alerts(broken_feed_build)
    incident = alerts[alerts.kind == "data_incident"]
    assert len(incident) == 1 and incident.severity.iloc[0] == "critical"
    assert "blocked by data_incident" in incident.detail.iloc[0]
    blockers = alerts.set_index("alert_id").loc[signal.incident_alert_ids.split(",")]
    assert set(blockers.feature_name) == {"income", "utilization"}
    assert set(blockers.statistic) == {"out_of_range_share", "null_rate"}


def test_report_of_a_blocked_retrain_says_why(broken_feed_build):
    """The HTML report shows the blocked decision, its blocker and the data incident behind it."""
    from driftline.report import build_report
    from driftline.warehouse import Warehouse

    warehouse = Warehouse("duckdb", duckdb.connect(str(broken_feed_build.path / "warehouse.duckdb")), "duckdb")
    try:
        text = build_report(warehouse, broken_feed_build.manifest(), broken_feed_build.monitors)
    finally:
        warehouse.close()
    assert '<span data-field="decision"><span class="badge badge-warn">BLOCKED</span></span>' in text
    assert "blocked by <b>data_incident</b>" in text
    incident = _alerts(broken_feed_build).query("kind == 'data_incident'").detail.iloc[0]
    assert html.escape(incident) in text  # the incident's detail, in the data-incidents table
    assert "income out_of_range_share" in text and "utilization null_rate" in text  # at a glance


def test_rerunning_dbt_build_is_idempotent(broken_feed_build):
    before = _alerts(broken_feed_build).sort_values("alert_id").reset_index(drop=True)
    broken_feed_build.project.build()
    after = _alerts(broken_feed_build).sort_values("alert_id").reset_index(drop=True)
    assert len(after) == len(before) and after.alert_id.is_unique
    assert (after.alert_id == before.alert_id).all()
    assert (after.first_detected_at == before.first_detected_at).all()
    assert (after.last_evaluated_at > before.last_evaluated_at).all()
    assert set(after.status) == {"open"}


def _quiet_log(windows: int, rows: int, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n = windows * rows
    day = np.repeat(np.arange(windows), rows)
    start = pd.Timestamp("2025-01-01")
    ts = start + pd.to_timedelta(day, unit="D") + pd.to_timedelta(rng.integers(0, 86_000, n), unit="s")
    x1, x2 = rng.normal(0, 1, n), rng.gamma(2, 2, n)
    x3 = 0.6 * x1 + rng.normal(0, 0.8, n)
    cat = rng.choice(["a", "b", "c", "d"], n, p=[0.4, 0.3, 0.2, 0.1])
    logit = -1.5 + 0.9 * x1 - 0.2 * x2 + (cat == "a") * 0.5
    p = 1 / (1 + np.exp(-logit))
    y = rng.binomial(1, p)
    log = pd.DataFrame({"id": [f"q{i}" for i in range(n)], "ts": ts, "x1": x1, "x2": x2, "x3": x3, "cat": cat,
                        "score": p, "predicted": (p >= 0.3).astype(int)})
    labels = pd.DataFrame({"id": log.id, "y": y, "labelled_at": ts + pd.to_timedelta(rng.uniform(1, 5, n), unit="D")})
    return log, labels


def test_drift_free_data_raises_at_most_one_false_alarm_per_100_windows(tmp_path):
    windows = 110
    log, labels = _quiet_log(windows, 1000)
    declaration = {
        "monitor": "quiet", "id_column": "id", "event_time_column": "ts", "task": "binary_classification",
        "prediction_column": "predicted", "score_column": "score",
        "features": [{"name": "x1", "kind": "numeric"}, {"name": "x2", "kind": "numeric"},
                     {"name": "x3", "kind": "numeric"}, {"name": "cat", "kind": "categorical"}],
        "labels": {"source": "raw.quiet_labels", "id_column": "id", "label_column": "y",
                   "labelled_at_column": "labelled_at", "horizon_days": 7},
        "reference": {"method": "first_windows", "windows": 14},
    }
    project = write_test_project(tmp_path, {"quiet_log": declaration, "quiet_labels": None})
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("create schema raw")
    con.register("log_", log)
    con.register("labels_", labels)
    con.execute("create table raw.quiet_log as select * from log_")
    con.execute("create table raw.quiet_labels as select * from labels_")
    con.close()
    project.deps()
    project.build()
    build = BuiltProject(project, None, load_monitors(tmp_path))
    alerts = _alerts(build)
    alarmed_windows = alerts.window_start.nunique()
    assert alarmed_windows <= windows / 100, alerts[["kind", "feature_name", "statistic", "value", "threshold", "window_start"]]
    signal = _signals(build).loc["quiet"]
    assert not signal.should_retrain


def test_champion_training_window_becomes_the_reference(broken_feed_build):
    """Once the runner has registered a champion, its training window is the reference and cooldown applies."""
    schema = broken_feed_build.relation("driftline_alerts").split(".")[1].strip('"')
    con = duckdb.connect(str(broken_feed_build.path / "warehouse.duckdb"))
    con.execute(f"""
        create table "{schema}".driftline_model_registry as
        select 'loan_default' as monitor_name, 'v2' as model_version,
               timestamp '2026-02-12 06:00:00' as created_at,
               timestamp '2026-01-10 00:00:00' as training_start, timestamp '2026-02-01 00:00:00' as training_end
    """)
    con.execute(f"""
        create table "{schema}".driftline_model_events as
        select 'loan_default' as monitor_name, 'v2' as model_version, 'champion' as alias,
               timestamp '2026-02-12 06:00:00' as event_at
    """)
    con.close()
    broken_feed_build.project.build()
    reference = broken_feed_build.query(f"select * from {broken_feed_build.relation('int_driftline__references')}").iloc[0]
    assert reference.reference_id == "champion:v2" and reference.reference_method == "champion"
    assert reference.reference_start == pd.Timestamp("2026-01-10") and reference.reference_end == pd.Timestamp("2026-02-01")
    assert reference.n_reference_windows == 22
    profiles = broken_feed_build.query(f"select distinct reference_id from {broken_feed_build.relation('driftline_window_profiles')}")
    assert profiles.reference_id.tolist() == ["champion:v2"]  # rebuilt against the new reference
    signal = _signals(broken_feed_build).loc["loan_default"]
    assert signal.champion_version == "v2" and "cooldown" in signal.blockers
