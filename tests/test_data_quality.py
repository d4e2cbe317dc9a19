"""Windows with no rows, and features that disappear or change type, are data-quality rows, not crashes."""

from __future__ import annotations

import duckdb
import pandas as pd

from conftest import write_test_project
from drift_data import START, drift_declaration, drift_frame
from driftline.tables import relation_name


def test_gaps_and_schema_changes(tmp_path):
    frame = drift_frame(days=8)
    day = (frame.event_at - pd.Timestamp(START)).dt.days
    project = write_test_project(tmp_path, {"events": drift_declaration()})
    project.deps()
    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema raw")
    first = frame[(day <= 6) & (day != 5)]  # day 5 never arrived
    con.register("first_", first)
    con.execute("create table raw.events as select * from first_")
    con.close()
    project.build()

    def quality() -> pd.DataFrame:
        con = duckdb.connect(str(warehouse))
        try:
            return con.execute(f"select * from {relation_name(project.manifest(), 'driftline_data_quality')}").df()
        finally:
            con.close()

    gap = quality()
    gap = gap[(gap.check_name == "volume_ratio") & (gap.segment_name == "__all__")].set_index("window_start")
    empty_day = pd.Timestamp(START) + pd.Timedelta(days=5)
    assert gap.loc[empty_day, "n_cur"] == 0 and gap.loc[empty_day, "value"] == 0
    assert gap.loc[empty_day, "status"] == "critical"
    assert set(gap.drop(index=empty_day).status) == {"ok"}

    # The feed changes shape: x_sparse disappears, x_ties arrives as text.
    later = frame[day == 7].drop(columns=["x_sparse"]).copy()
    later["x_ties"] = later["x_ties"].map(lambda v: f"{v:.0f} units")
    con = duckdb.connect(str(warehouse))
    con.execute("create table raw.events_v2 as select * exclude (x_sparse) replace (cast(x_ties as varchar) as x_ties) from raw.events")
    con.register("later_", later)
    con.execute("insert into raw.events_v2 select * from later_")
    con.execute("drop table raw.events")
    con.execute("alter table raw.events_v2 rename to events")
    con.close()
    project.build()  # no crash

    problems = quality()
    schema = problems[problems.check_name == "schema"].set_index("feature_name")
    assert set(schema.index) == {"x_sparse", "x_ties"}
    assert schema.loc["x_sparse", "detail"].startswith("column_missing: column 'x_sparse' is no longer in")
    assert schema.loc["x_ties", "detail"] == "type_changed: 'numeric' but column 'x_ties' has type VARCHAR"
    assert set(schema.status) == {"critical"}
    last = pd.Timestamp(START) + pd.Timedelta(days=7)
    nulls = problems[(problems.check_name == "null_rate") & (problems.window_start == last) & (problems.segment_name == "__all__")].set_index("feature_name")
    assert nulls.loc["x_sparse", "value"] == 1.0 and nulls.loc["x_ties", "value"] == 1.0  # no longer readable as numbers


def test_python_side_reports_schema_problems_like_dbt(demo_build, tmp_path):
    """A feature with history that vanished is a schema problem for `check_columns`, a typo an error."""
    import pytest

    from driftline.config import ConfigError, check_columns

    monitor = next(m for m in demo_build.monitors if m.name == "loan_default")
    columns = dict.fromkeys(["loan_id", "scored_at", "model_version", "predicted_default", "score", "region"], "VARCHAR")
    columns.update({f.name: "DOUBLE" for f in monitor.features if f.kind == "numeric"})
    columns.update({f.name: "VARCHAR" for f in monitor.features if f.kind == "categorical"})
    del columns["income"]
    columns["age"] = "VARCHAR"
    labels = {"loan_id": "VARCHAR", "defaulted": "BIGINT", "labelled_at": "TIMESTAMP"}
    columns_of = lambda relation: labels if relation.identifier == "loan_outcomes" else columns  # noqa: E731
    problems = check_columns(monitor, columns_of, history={"income", "age"})
    assert [(p.feature, p.problem) for p in problems] == [("income", "column_missing"), ("age", "type_changed")]
    with pytest.raises(ConfigError, match=r"features\[0\]\.name: column 'income' not found"):
        check_columns(monitor, columns_of, history=set())
