"""The package's SQL is portable: default__ bodies give DuckDB's results, and every compiled model
transpiles with sqlglot to the other engines driftline targets."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sqlglot
import yaml
from pandas.testing import assert_frame_equal
from sqlglot.errors import ErrorLevel

from conftest import write_test_project
from drift_data import drift_declaration, drift_frame
from driftline.tables import relation_name

DIALECTS = ["postgres", "snowflake", "bigquery", "spark", "databricks", "trino"]
PORTABLE_MACROS = Path(__file__).parent / "dbt_portable_macros"
KEYS = ["monitor_name", "window_start", "segment_name", "segment_value", "feature_name", "statistic"]


@pytest.fixture(scope="session")
def portable_build(tmp_path_factory, drift_build):
    """The drift_build data built again with the default__ (portable) SQL forced on DuckDB."""
    directory = tmp_path_factory.mktemp("portable_build")
    project = write_test_project(directory, {"events": drift_declaration()})
    shutil.copytree(PORTABLE_MACROS, directory / "macros", dirs_exist_ok=True)
    config = yaml.safe_load((directory / "dbt_project.yml").read_text())
    config["dispatch"] = [{"macro_namespace": "driftline", "search_order": [config["name"], "driftline"]}]
    (directory / "dbt_project.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    con = duckdb.connect(str(directory / "warehouse.duckdb"))
    con.execute("create schema raw")
    frame = drift_frame()
    con.register("frame", frame)
    con.execute("create table raw.events as select * from frame")
    con.close()
    project.deps()
    project.build()
    return project


def _drift(project) -> pd.DataFrame:
    con = duckdb.connect(str(project.project_dir / "warehouse.duckdb"))
    try:
        frame = con.execute(f"select * from {relation_name(project.manifest(), 'driftline_feature_drift')}").df()
    finally:
        con.close()
    return frame.sort_values(KEYS).reset_index(drop=True)


def test_default_sql_gives_the_same_statistics(portable_build, drift_build):
    compiled = (portable_build.project_dir / "target" / "compiled" / "driftline" / "models" / "intermediate"
                / "int_driftline__reference_edges.sql").read_text()
    assert "row_number()" in compiled and "quantile_disc" not in compiled  # the default body ran
    assert_frame_equal(_drift(portable_build), _drift(drift_build.project), check_exact=False, rtol=1e-9, atol=1e-12)


def test_every_compiled_model_transpiles(portable_build):
    compiled = sorted((portable_build.project_dir / "target" / "compiled" / "driftline" / "models").rglob("*.sql"))
    assert len(compiled) >= 14
    failures = []
    for path in compiled:
        sql = path.read_text()
        for dialect in DIALECTS:
            try:
                sqlglot.transpile(sql, read="duckdb", write=dialect, unsupported_level=ErrorLevel.RAISE)
            except Exception as error:  # noqa: BLE001 - collect every failure with its model and dialect
                failures.append(f"{path.name} -> {dialect}: {error}")
    assert not failures, "\n".join(failures)
