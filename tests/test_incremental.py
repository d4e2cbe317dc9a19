"""Incremental runs scan only new windows and windows that got late rows, and end where a full refresh ends."""

from __future__ import annotations

import json
import re

import duckdb
import pandas as pd
from pandas.testing import assert_frame_equal

from conftest import write_test_project
from drift_data import START, drift_declaration, drift_frame
from driftline.tables import relation_name

PROFILE_KEYS = ["monitor_name", "window_start", "segment_name", "segment_value", "feature_name", "bin_index", "category"]
DRIFT_KEYS = ["monitor_name", "window_start", "segment_name", "segment_value", "feature_name", "statistic"]
QUALITY_KEYS = ["monitor_name", "window_start", "segment_name", "segment_value", "feature_name", "check_name"]


def _day(frame: pd.DataFrame) -> pd.Series:
    return (frame.event_at - pd.Timestamp(START)).dt.days


def _append(path, rows: pd.DataFrame) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists raw")
    con.register("rows_", rows)
    exists = con.execute("select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'events'").fetchone()[0]
    con.execute("insert into raw.events select * from rows_" if exists else "create table raw.events as select * from rows_")
    con.close()


def _table(project, model: str, keys: list[str]) -> pd.DataFrame:
    con = duckdb.connect(str(project.project_dir / "warehouse.duckdb"))
    frame = con.execute(f"select * from {relation_name(project.manifest(), model)}").df()
    con.close()
    return frame.drop(columns=["as_of"], errors="ignore").sort_values(keys, na_position="first").reset_index(drop=True)


def _tables(project) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return (_table(project, "driftline_window_profiles", PROFILE_KEYS),
            _table(project, "driftline_feature_drift", DRIFT_KEYS),
            _table(project, "driftline_data_quality", QUALITY_KEYS))


def _compiled(project, model: str) -> str:
    results = json.loads((project.project_dir / "target" / "run_results.json").read_text())
    return next(r for r in results["results"] if r["unique_id"] == f"model.driftline.{model}")["compiled_code"]


def _compiled_profile_sql(project) -> str:
    return _compiled(project, "driftline_window_profiles")


def _scanned_from(project) -> str | None:
    """The day from which the last build's profile model read the raw log; None when it read nothing."""
    sql = _compiled_profile_sql(project)
    if "and 1 = 0" in sql:
        return None
    match = re.search(r'"event_at" as timestamp\) >= cast\(\'(\d{4}-\d{2}-\d{2}) 00:00:00\' as timestamp\)', sql)
    assert match, "the incremental profile scan has no literal lower bound on the raw event-time column"
    return match.group(1)


def test_incremental_sequence_equals_full_refresh(tmp_path):
    frame = drift_frame()
    day = _day(frame)
    # Day 8 arrives in two parts: most rows on time, the rest late (after day 9 started).
    late = frame[(day == 8)].sample(frac=0.2, random_state=3).index

    incremental = write_test_project(tmp_path / "incremental", {"events": drift_declaration()})
    incremental.deps()
    warehouse = tmp_path / "incremental" / "warehouse.duckdb"
    _append(warehouse, frame[day <= 6])
    incremental.build()
    assert "as timestamp) >=" not in _compiled_profile_sql(incremental)  # first run: full scan

    _append(warehouse, frame[(day.between(7, 8)) & ~frame.index.isin(late)])
    incremental.build()
    # window 6, the last stored, kept its rows: only the new windows 7 and 8 are scanned
    assert _scanned_from(incremental) == "2026-03-09"

    _append(warehouse, pd.concat([frame.loc[late], frame[day == 9]]))
    incremental.build()
    # window 8 got late rows (its count changed), window 7 (in the lookback) did not
    assert _scanned_from(incremental) == "2026-03-10"

    # the models built from stored statistics recompute from the last stored window (8) minus the
    # lookback, not the history
    for model in ("int_driftline__drift_statistics", "int_driftline__correlation_drift",
                  "driftline_feature_drift", "driftline_data_quality"):
        assert re.search(r"window_start >=\s*\(cast\('2026-03-10 00:00:00' as timestamp\) \+ cast\(-1 as bigint\)",
                         _compiled(incremental, model)), model

    before = _tables(incremental)
    incremental.build()  # nothing arrived: nothing is scanned, nothing changes
    assert _scanned_from(incremental) is None
    for table, unchanged in zip(_tables(incremental), before):
        assert_frame_equal(table, unchanged)

    full = write_test_project(tmp_path / "full", {"events": drift_declaration()})
    full.deps()
    _append(tmp_path / "full" / "warehouse.duckdb", frame)
    full.build("--full-refresh")

    inc_profiles, inc_drift, inc_quality = _tables(incremental)
    full_profiles, full_drift, full_quality = _tables(full)
    assert len(full_profiles) > 1000
    assert_frame_equal(inc_profiles, full_profiles, check_exact=False, rtol=1e-12)
    assert_frame_equal(inc_drift, full_drift, check_exact=False, rtol=1e-12)
    assert_frame_equal(inc_quality, full_quality, check_exact=False, rtol=1e-12)
    assert inc_drift.window_start.nunique() == 10
    assert {"correlation_change", "ks_d"} <= set(inc_drift.statistic)
    assert {"null_rate", "volume_ratio"} <= set(inc_quality.check_name)


def test_performance_recomputes_windows_whose_labels_can_still_change(tmp_path):
    from perf_data import START as PERF_START, binary_tables, declarations

    log, labels = binary_tables()
    declaration = declarations()["binary_log"]
    declaration["labels"]["horizon_days"] = 3  # every label arrives within 3 days of its prediction
    declaration["reference"] = {"method": "first_windows", "windows": 3}  # fixed by the first run
    cut = pd.Timestamp(PERF_START) + pd.Timedelta(days=7)

    def load(path, log_part, label_part):
        con = duckdb.connect(str(path))
        con.execute("create schema if not exists raw")
        for name, frame in (("binary_log", log_part), ("binary_labels", label_part)):
            con.register("frame_", frame)
            con.execute(f"create or replace table raw.{name} as select * from frame_")
        con.close()

    def performance(project):
        con = duckdb.connect(str(project.project_dir / "warehouse.duckdb"))
        frame = con.execute(f"select * exclude (as_of) from {relation_name(project.manifest(), 'driftline_performance')}").df()
        con.close()
        keys = ["monitor_name", "model_version", "window_start", "segment_name", "segment_value", "id_set", "metric"]
        return frame.sort_values(keys).reset_index(drop=True)

    incremental = write_test_project(tmp_path / "inc", {"binary_log": declaration, "binary_labels": None})
    incremental.deps()
    warehouse = tmp_path / "inc" / "warehouse.duckdb"
    load(warehouse, log[log.ts < cut], labels[labels.observed_at < cut])
    incremental.build()
    load(warehouse, log, labels)  # the rest of the predictions, and the labels that arrived since
    incremental.build()
    results = json.loads((tmp_path / "inc" / "target" / "run_results.json").read_text())
    sql = next(r for r in results["results"] if r["unique_id"] == "model.driftline.driftline_performance")["compiled_code"]
    assert "labelled.event_at >=" in sql  # windows older than horizon + lookback are not rescanned

    full = write_test_project(tmp_path / "full", {"binary_log": declaration, "binary_labels": None})
    full.deps()
    load(tmp_path / "full" / "warehouse.duckdb", log, labels)
    full.build("--full-refresh")
    assert_frame_equal(performance(incremental), performance(full), check_exact=False, rtol=1e-12)
    # target drift and orphan labels change with the labels too: both marts reach back by the horizon
    for model, keys in (("driftline_feature_drift", DRIFT_KEYS), ("driftline_data_quality", QUALITY_KEYS)):
        assert "cast(-3 as bigint) * interval 1 day" in _compiled(incremental, model), model
        assert_frame_equal(_table(incremental, model, keys), _table(full, model, keys), check_exact=False, rtol=1e-12)
    drift = _table(full, "driftline_feature_drift", DRIFT_KEYS)
    quality = _table(full, "driftline_data_quality", QUALITY_KEYS)
    assert (drift.feature_name == "__label__").sum() > 0 and (quality.check_name == "orphan_labels").sum() > 0
