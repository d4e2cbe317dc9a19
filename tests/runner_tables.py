"""The runner's tables (registry, alias events, retrain runs, backtests) with plausible rows.

The runner writes them next to driftline's models; tests of readers (the report) create them
here with the exact columns the runner writes, for the demo scenario's `loan_default` monitor.
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd

REGISTRY_COLUMNS = {
    "monitor_name": "varchar", "model_version": "varchar", "created_at": "timestamp", "training_start": "timestamp",
    "training_end": "timestamp", "training_rows": "bigint", "window_strategy": "varchar", "data_fingerprint": "varchar",
    "estimator": "varchar", "estimator_params": "varchar", "holdout_start": "timestamp", "holdout_end": "timestamp",
    "holdout_rows": "bigint", "metric_name": "varchar", "holdout_metric": "double", "holdout_metric_low": "double",
    "holdout_metric_high": "double", "parent_version": "varchar", "trigger_alert_ids": "varchar", "artifact_uri": "varchar",
    "artifact_sha256": "varchar", "run_id": "varchar",
}
EVENTS_COLUMNS = {
    "event_id": "varchar", "monitor_name": "varchar", "model_version": "varchar", "alias": "varchar", "event_at": "timestamp",
    "actor": "varchar", "reason": "varchar", "run_id": "varchar",
}
RUNS_COLUMNS = {
    "run_id": "varchar", "monitor_name": "varchar", "started_at": "timestamp", "finished_at": "timestamp", "status": "varchar",
    "reason": "varchar", "trigger_alert_ids": "varchar", "champion_version": "varchar", "challenger_version": "varchar",
    "metric_name": "varchar", "champion_metric": "double", "challenger_metric": "double", "improvement": "double",
    "improvement_low": "double", "improvement_high": "double", "test_name": "varchar", "p_value": "double",
    "training_start": "timestamp", "training_end": "timestamp", "training_rows": "bigint", "holdout_rows": "bigint",
    "training_seconds": "double", "total_seconds": "double", "error": "varchar",
}
BACKTEST_SUMMARY_COLUMNS = {
    "backtest_id": "varchar", "monitor_name": "varchar", "policy": "varchar", "window_strategy": "varchar",
    "mean_metric": "double", "mean_balanced_metric": "double", "retrains": "bigint", "training_seconds": "double",
    "recommended": "boolean",
}
BACKTEST_RESULTS_COLUMNS = {
    "backtest_id": "varchar", "monitor_name": "varchar", "policy": "varchar", "window_strategy": "varchar",
    "window_start": "timestamp", "metric_name": "varchar", "metric": "double", "balanced_metric": "double", "retrained": "boolean",
}
TABLES = {
    "driftline_model_registry": REGISTRY_COLUMNS,
    "driftline_model_events": EVENTS_COLUMNS,
    "driftline_retrain_runs": RUNS_COLUMNS,
    "driftline_backtest_summary": BACKTEST_SUMMARY_COLUMNS,
    "driftline_backtest_results": BACKTEST_RESULTS_COLUMNS,
}

T = pd.Timestamp
M = "loan_default"


def registry_rows() -> list[dict]:
    common = dict(monitor_name=M, window_strategy="fixed", estimator="driftline.scenario:champion_pipeline",
                  estimator_params=json.dumps({"C": 1.0}), metric_name="roc_auc", artifact_uri="file://models/loan_default")
    return [
        dict(common, model_version="v1", created_at=T("2026-01-01 06:00"), training_start=T("2025-10-03"), training_end=T("2026-01-01"),
             training_rows=20_000, data_fingerprint="a1b2c3d4e5f6", holdout_start=T("2025-12-18"), holdout_end=T("2026-01-01"),
             holdout_rows=3_000, holdout_metric=0.81, holdout_metric_low=0.79, holdout_metric_high=0.83, parent_version=None,
             trigger_alert_ids="[]", artifact_sha256="0" * 64, run_id="run-1"),
        dict(common, model_version="v2", created_at=T("2026-03-20 06:00"), training_start=T("2026-01-19"), training_end=T("2026-03-13"),
             training_rows=5_200, data_fingerprint="b2c3d4e5f6a1", holdout_start=T("2026-03-13"), holdout_end=T("2026-03-20"),
             holdout_rows=700, holdout_metric=0.752, holdout_metric_low=0.72, holdout_metric_high=0.78, parent_version="v1",
             trigger_alert_ids=json.dumps(["15c3bd7482bf", "0ef584f1ce2d"]), artifact_sha256="1" * 64, run_id="run-2"),
        dict(common, model_version="v3", created_at=T("2026-04-15 06:00"), training_start=T("2026-02-14"), training_end=T("2026-04-08"),
             training_rows=6_100, data_fingerprint="c3d4e5f6a1b2", holdout_start=T("2026-04-08"), holdout_end=T("2026-04-15"),
             holdout_rows=720, holdout_metric=0.79, holdout_metric_low=0.765, holdout_metric_high=0.815, parent_version="v1",
             trigger_alert_ids=json.dumps(["15c3bd7482bf", "001aecb41a43", "6c72f3534c06"]), artifact_sha256="2" * 64, run_id="run-3"),
    ]


def event_rows() -> list[dict]:
    rows = [
        ("e1", "v1", "champion", T("2026-01-01 06:05"), "driftline retrain", "initial model", "run-1"),
        ("e2", "v2", "challenger", T("2026-03-20 06:05"), "driftline retrain", "drift_sustained", "run-2"),
        ("e3", "v2", "archived", T("2026-03-20 06:06"), "driftline retrain", "declined: no measurable win", "run-2"),
        ("e4", "v3", "challenger", T("2026-04-15 06:05"), "driftline retrain", "drift_sustained,performance", "run-3"),
        ("e5", "v3", "champion", T("2026-04-15 06:06"), "driftline retrain", "promoted: +0.04 roc_auc", "run-3"),
        ("e6", "v1", "archived", T("2026-04-15 06:06"), "driftline retrain", "replaced by v3", "run-3"),
    ]
    return [dict(event_id=e, monitor_name=M, model_version=v, alias=a, event_at=t, actor=actor, reason=r, run_id=run)
            for e, v, a, t, actor, r, run in rows]


def run_rows() -> list[dict]:
    base = dict(monitor_name=M, metric_name="roc_auc", test_name="paired bootstrap", error=None)
    return [
        dict(base, run_id="run-1", started_at=T("2026-01-01 06:00"), finished_at=T("2026-01-01 06:05"), status="initial", reason="no_champion",
             trigger_alert_ids="[]", champion_version=None, challenger_version="v1", champion_metric=None, challenger_metric=0.81,
             improvement=None, improvement_low=None, improvement_high=None, p_value=None, training_start=T("2025-10-03"),
             training_end=T("2026-01-01"), training_rows=20_000, holdout_rows=3_000, training_seconds=12.5, total_seconds=20.1),
        dict(base, run_id="run-2", started_at=T("2026-03-20 06:00"), finished_at=T("2026-03-20 06:06"), status="declined", reason="drift_sustained",
             trigger_alert_ids=json.dumps(["15c3bd7482bf"]), champion_version="v1", challenger_version="v2", champion_metric=0.745,
             challenger_metric=0.752, improvement=0.007, improvement_low=-0.012, improvement_high=0.026, p_value=0.41,
             training_start=T("2026-01-19"), training_end=T("2026-03-13"), training_rows=5_200, holdout_rows=700,
             training_seconds=4.2, total_seconds=9.8),
        dict(base, run_id="run-3", started_at=T("2026-04-15 06:00"), finished_at=T("2026-04-15 06:06"), status="promoted",
             reason="drift_sustained,performance", trigger_alert_ids=json.dumps(["15c3bd7482bf", "001aecb41a43"]),
             champion_version="v1", challenger_version="v3", champion_metric=0.748, challenger_metric=0.79, improvement=0.042,
             improvement_low=0.021, improvement_high=0.063, p_value=0.002, training_start=T("2026-02-14"), training_end=T("2026-04-08"),
             training_rows=6_100, holdout_rows=720, training_seconds=4.9, total_seconds=11.3),
        dict(base, run_id="run-4", started_at=T("2026-04-22 06:00"), finished_at=T("2026-04-22 06:00"), status="failed", reason="schedule",
             trigger_alert_ids="[]", champion_version="v3", challenger_version=None, champion_metric=None, challenger_metric=None,
             improvement=None, improvement_low=None, improvement_high=None, p_value=None, training_start=None, training_end=None,
             training_rows=None, holdout_rows=None, training_seconds=None, total_seconds=0.4,
             **{k: v for k, v in {"error": "training window failed the data-quality gate"}.items()}),
    ]


def backtest_rows() -> tuple[list[dict], list[dict]]:
    policies = [
        ("never", "fixed", 0.741, 0.70, 0, 0.0, False),
        ("schedule_30d", "fixed", 0.762, 0.72, 3, 14.1, False),
        ("drift_triggered", "fixed", 0.771, 0.73, 2, 9.6, False),
        ("drift_triggered", "dynamic", 0.776, 0.735, 2, 10.2, True),
        ("baseline_majority_class", "-", 0.5, 0.5, 0, 0.0, False),
        ("baseline_previous_label", "-", 0.53, 0.52, 0, 0.0, False),
    ]
    summary = [dict(backtest_id="bt-1", monitor_name=M, policy=p, window_strategy=w, mean_metric=m, mean_balanced_metric=b,
                    retrains=r, training_seconds=t, recommended=rec) for p, w, m, b, r, t, rec in policies]
    results = []
    weeks = pd.date_range("2026-01-05", "2026-04-27", freq="7D")
    for p, w, m, b, r, t, rec in policies[:4]:
        for i, week in enumerate(weeks):
            decay = 0.0 if p != "never" else max(0, i - 9) * 0.008
            results.append(dict(backtest_id="bt-1", monitor_name=M, policy=p, window_strategy=w, window_start=week, metric_name="roc_auc",
                                metric=round(m + 0.02 - decay + (0.01 if i % 3 == 0 else -0.005), 4), balanced_metric=b,
                                retrained=bool(r) and i in (6, 10, 14)[:r]))
    return summary, results


def create(path, schema: str = "main_driftline", empty: bool = False, tables: list[str] | None = None) -> None:
    """Create the runner's tables in `schema` of the DuckDB file at `path` (with rows unless `empty`)."""
    summary, results = backtest_rows()
    rows = {
        "driftline_model_registry": registry_rows(),
        "driftline_model_events": event_rows(),
        "driftline_retrain_runs": run_rows(),
        "driftline_backtest_summary": summary,
        "driftline_backtest_results": results,
    }
    con = duckdb.connect(str(path))
    try:
        for table, columns in TABLES.items():
            if tables is not None and table not in tables:
                continue
            ddl = ", ".join(f"{name} {kind}" for name, kind in columns.items())
            con.execute(f"create or replace table {schema}.{table} ({ddl})")
            if not empty:
                frame = pd.DataFrame(rows[table], columns=list(columns))
                con.register("frame", frame)
                con.execute(f"insert into {schema}.{table} select {', '.join(f'cast({c} as {k})' for c, k in columns.items())} from frame")
                con.unregister("frame")
    finally:
        con.close()
