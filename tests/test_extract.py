"""Extraction SQL (sqlglot, pushed into the warehouse) and the training/holdout plan."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
import sqlglot

from driftline.config import Monitor, Relation
from driftline.extract import coverage_sql, labelled_rows_sql
from driftline.warehouse import Warehouse
from driftline.windows import WindowError, mature_windows, plan_windows, window_floor

DIALECTS = ["postgres", "snowflake", "bigquery", "spark", "databricks", "trino"]
DAY0 = pd.Timestamp("2026-03-01")


def _monitor(window: str = "day") -> Monitor:
    declaration = {
        "id_column": "pid", "event_time_column": "ts", "window": window, "task": "binary_classification",
        "labels": {"id_column": "pid", "label_column": "y", "labelled_at_column": "seen_at"},
    }
    return Monitor("m", "source.x", Relation(None, "raw", "log"), Relation(None, "raw", "outcomes"), declaration)


@pytest.fixture()
def warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema raw")
    log = pd.DataFrame({
        "pid": ["a", "b", "c", "d", "d", "e"],
        "ts": [DAY0 + pd.Timedelta(hours=h) for h in (1, 2, 25, 26, 30, 50)],
        "x": [1.0, 2.0, 3.0, 4.0, 40.0, 5.0],
    })
    outcomes = pd.DataFrame({
        "pid": ["a", "a", "b", "c", "d", "e", "zzz"],
        "y": pd.array([0, 1, 1, None, 0, 1, 1], dtype="Int64"),
        "seen_at": [DAY0 + pd.Timedelta(days=d) for d in (2, 5, 3, 3, 4, 9, 1)],
    })
    for name, frame in (("log", log), ("outcomes", outcomes)):
        con.register("f", frame)
        con.execute(f"create table raw.{name} as select * from f")
        con.unregister("f")
    con.close()
    wh = Warehouse.from_profile({"type": "duckdb", "path": str(path)})
    yield wh
    wh.close()


def _rows(warehouse, known_at, **kwargs):
    q = labelled_rows_sql(_monitor(), DAY0, DAY0 + pd.Timedelta(days=10), known_at, "duckdb", columns=["x"], **kwargs)
    return warehouse.query(q.sql).sort_values("prediction_id").reset_index(drop=True)


def test_latest_label_known_at_the_time_wins(warehouse):
    early = _rows(warehouse, DAY0 + pd.Timedelta(days=3))
    # a's first label (0) is all that was known on day 3; its revision (1) arrives on day 5
    assert dict(zip(early.prediction_id, early.label)) == {"a": "0", "b": "1"}
    late = _rows(warehouse, DAY0 + pd.Timedelta(days=10))
    # c's label is NULL (no outcome yet), the orphan zzz matches nothing, d is logged twice: the later row wins
    assert dict(zip(late.prediction_id, late.label)) == {"a": "1", "b": "1", "d": "0", "e": "1"}
    assert late.set_index("prediction_id").loc["d", "x"] == 40.0
    assert (late.labelled_at <= DAY0 + pd.Timedelta(days=10)).all()


def test_excluded_windows_and_budget_are_applied_in_sql(warehouse):
    rows = _rows(warehouse, DAY0 + pd.Timedelta(days=10), exclude_windows=[DAY0])
    assert set(rows.prediction_id) == {"d", "e"}
    sampled = _rows(warehouse, DAY0 + pd.Timedelta(days=10), row_budget=2)
    assert len(sampled) <= 4 and set(sampled.prediction_id) <= {"a", "b", "d", "e"}
    assert sampled.equals(_rows(warehouse, DAY0 + pd.Timedelta(days=10), row_budget=2))  # deterministic


def test_stratified_sample_keeps_window_and_label_shares(tmp_path):
    rng = np.random.default_rng(0)
    n = 6000
    ts = DAY0 + pd.to_timedelta(rng.integers(0, 3 * 86400, n), unit="s")
    log = pd.DataFrame({"pid": [f"p{i}" for i in range(n)], "ts": ts, "x": rng.normal(size=n)})
    y = (rng.random(n) < np.where(ts < DAY0 + pd.Timedelta(days=1), 0.1, 0.4)).astype(int)
    outcomes = pd.DataFrame({"pid": log.pid, "y": y, "seen_at": ts + pd.Timedelta(hours=1)})
    path = tmp_path / "s.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema raw")
        for name, frame in (("log", log), ("outcomes", outcomes)):
            con.register("f", frame)
            con.execute(f"create table raw.{name} as select * from f")
    wh = Warehouse.from_profile({"type": "duckdb", "path": str(path)})
    full = _rows(wh, DAY0 + pd.Timedelta(days=5))
    sample = _rows(wh, DAY0 + pd.Timedelta(days=5), row_budget=600)
    wh.close()
    assert 600 <= len(sample) <= 600 + 6  # one extra row at most per (window, label) stratum from rounding up
    full_share = full.groupby(["window_start", "label"]).size() / len(full)
    sample_share = sample.groupby(["window_start", "label"]).size() / len(sample)
    assert np.abs(full_share - sample_share).max() < 0.005


def test_extraction_transpiles_to_every_dialect():
    monitor = _monitor()
    for dialect in DIALECTS:
        sql = labelled_rows_sql(monitor, DAY0, DAY0 + pd.Timedelta(days=7), DAY0 + pd.Timedelta(days=9), dialect,
                                columns=["x", "weird Name"], exclude_windows=[DAY0], row_budget=100).sql
        sqlglot.parse_one(sql, read=dialect)  # valid in its own dialect
        assert "2026-03-01 00:00:00" in sql  # literal bounds: partition pruning
        coverage = coverage_sql(monitor, DAY0, DAY0, dialect).sql
        sqlglot.parse_one(coverage, read=dialect)
    assert '"weird Name"' in labelled_rows_sql(monitor, DAY0, DAY0, DAY0, "postgres", columns=["weird Name"]).sql


def test_coverage_counts_distinct_predictions_and_known_labels(warehouse):
    frame = warehouse.query(coverage_sql(_monitor(), DAY0 + pd.Timedelta(days=10), DAY0 + pd.Timedelta(days=4), "duckdb").sql)
    counts = {pd.Timestamp(r.window_start): (r.n_predictions, r.n_labelled) for r in frame.itertuples()}
    # day 0: a and b labelled by day 4; day 1: c (NULL label) and d (labelled on day 4); day 2: e (day 9)
    assert counts == {DAY0: (2, 2), DAY0 + pd.Timedelta(days=1): (2, 1), DAY0 + pd.Timedelta(days=2): (1, 0)}


@pytest.mark.parametrize("unit", ["hour", "day", "week", "month"])
def test_window_floor_matches_date_trunc(unit):
    values = pd.Series(pd.to_datetime(["2026-03-01 13:45", "2026-03-04 00:00", "2026-02-28 23:59", "2026-12-31 08:00"]))
    with duckdb.connect() as con:
        expected = [con.execute(f"select date_trunc('{unit}', ?::timestamp)", [v.to_pydatetime()]).fetchone()[0]
                    for v in values]
    assert list(window_floor(values, unit)) == [pd.Timestamp(e) for e in expected]


def _coverage(days: int, labelled_share) -> pd.DataFrame:
    return pd.DataFrame({
        "window_start": [DAY0 + pd.Timedelta(days=d) for d in range(days)],
        "n_predictions": 100,
        "n_labelled": [int(100 * labelled_share(d)) for d in range(days)],
    })


def test_plan_takes_the_latest_mature_windows_and_trains_before_them():
    as_of = DAY0 + pd.Timedelta(days=30)
    # labels arrive over 10 days: windows older than 9 days are 90 %+ labelled
    cover = _coverage(30, lambda d: min(1.0, (30 - d - 1) / 10))
    mature = mature_windows(cover, as_of, "day", horizon_days=10, mature_coverage=0.9)
    assert mature.window_start.max() == DAY0 + pd.Timedelta(days=20)
    plan = plan_windows(cover, as_of=as_of, unit="day", horizon_days=10, mature_coverage=0.9, holdout_windows=7,
                        training_days=14, incident_windows=[DAY0 + pd.Timedelta(days=18), DAY0 + pd.Timedelta(days=5)])
    # the incident day is left out of the holdout, which reaches one day further back instead
    assert plan.holdout_windows == tuple(DAY0 + pd.Timedelta(days=d) for d in (13, 14, 15, 16, 17, 19, 20))
    assert plan.training_end == plan.holdout_start == DAY0 + pd.Timedelta(days=13)
    assert plan.training_start == DAY0 - pd.Timedelta(days=1)
    assert plan.excluded_windows == (DAY0 + pd.Timedelta(days=5),)
    # maturity by age alone: with no labels at all nothing is mature
    with pytest.raises(WindowError, match="only 0 mature labelled window"):
        plan_windows(_coverage(30, lambda d: 0), as_of=as_of, unit="day", horizon_days=10, mature_coverage=0.9,
                     holdout_windows=7, training_days=14)
