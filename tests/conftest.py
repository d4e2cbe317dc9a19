"""Shared fixtures: real dbt builds on real DuckDB files, built once per session."""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
import yaml

from drift_data import drift_declaration, drift_frame
import perf_data
from driftline import demo, scenario
from driftline.config import Monitor, load_monitors
from driftline.project import DbtProject
from driftline.tables import relation_name

TEST_MACROS = Path(__file__).parent / "dbt_macros"

# Small enough for a fast suite, large enough for every event of the scenario to show.
SMALL = scenario.ScenarioConfig(rows_per_day=120)


@dataclass
class BuiltProject:
    project: DbtProject
    scenario: scenario.Scenario
    monitors: list[Monitor]

    @property
    def path(self) -> Path:
        return self.project.project_dir

    def manifest(self) -> dict[str, Any]:
        return self.project.manifest()

    def relation(self, model: str) -> str:
        return relation_name(self.manifest(), model)

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        con = duckdb.connect(str(self.path / "warehouse.duckdb"))
        try:
            return con.execute(sql, params or []).df()
        finally:
            con.close()


def write_test_project(directory: Path, declarations: dict[str, Any], extra_sources: list[dict] | None = None) -> DbtProject:
    """A driftline project whose `raw` source tables carry the given declarations ({table: declaration})."""
    project = demo.write_project(directory)
    tables = [
        {"name": table, "config": {"meta": {"driftline": decl}}} if decl is not None else {"name": table}
        for table, decl in declarations.items()
    ]
    sources = [{"name": "raw", "schema": "raw", "tables": tables}] + (extra_sources or [])
    (directory / "models" / "sources.yml").write_text(yaml.safe_dump({"version": 2, "sources": sources}, sort_keys=False))
    shutil.copytree(TEST_MACROS, directory / "macros", dirs_exist_ok=True)
    return project


def regression_tables(sc: scenario.Scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A second, regression-type monitor's log and outcomes, derived from the scenario."""
    log = sc.predictions[["loan_id", "scored_at", "region", "income", "loan_amount", "purpose"]].copy()
    log = log.rename(columns={"loan_id": "request_id", "scored_at": "requested_at"})
    log["predicted_recovery"] = (log["loan_amount"] * 0.4).round(2)
    # NaN counts as missing; infinities are kept for the tail bins.
    log.loc[log.index[:3], "income"] = [float("nan"), float("inf"), float("-inf")]
    outcomes = pd.DataFrame(
        {
            "request_id": log["request_id"],
            "recovered": (log["loan_amount"] * 0.35).round(2),
            "observed_at": log["requested_at"] + pd.Timedelta(days=45),
        }
    )
    return log, outcomes[outcomes["observed_at"] <= sc.as_of]


def regression_declaration() -> dict[str, Any]:
    return {
        "monitor": "loan_recovery",
        "id_column": "request_id",
        "event_time_column": "requested_at",
        "task": "regression",
        "prediction_column": "predicted_recovery",
        "features": [
            {"name": "income", "kind": "numeric"},
            {"name": "loan_amount", "kind": "numeric"},
            {"name": "purpose", "kind": "categorical"},
        ],
        "window": "week",
        "labels": {
            "source": "raw.recovery_outcomes",
            "id_column": "request_id",
            "label_column": "recovered",
            "labelled_at_column": "observed_at",
            "horizon_days": 60,
        },
    }


@pytest.fixture(scope="session")
def small_scenario() -> scenario.Scenario:
    return scenario.generate(SMALL)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory, small_scenario) -> BuiltProject:
    """The demo scenario plus a second (regression) monitor, built once with `dbt build`."""
    directory = tmp_path_factory.mktemp("demo_build")
    project = write_test_project(
        directory,
        {
            "loan_predictions": demo.monitor_declaration(),
            "loan_outcomes": None,
            "recovery_requests": regression_declaration(),
            "recovery_outcomes": None,
        },
    )
    scenario.write_duckdb(small_scenario, directory / "warehouse.duckdb")
    log, outcomes = regression_tables(small_scenario)
    con = duckdb.connect(str(directory / "warehouse.duckdb"))
    con.execute("create or replace table raw.recovery_requests as select * from log")
    con.execute("create or replace table raw.recovery_outcomes as select * from outcomes")
    con.close()
    project.deps()
    project.build()
    return BuiltProject(project, small_scenario, load_monitors(directory))


@pytest.fixture(scope="session")
def tiny_warehouse(tmp_path_factory) -> Path:
    """A few days of the scenario in a DuckDB file, for tests that only need the raw tables to exist."""
    path = tmp_path_factory.mktemp("tiny") / "warehouse.duckdb"
    scenario.write_duckdb(scenario.generate(scenario.ScenarioConfig(days=5, rows_per_day=20, shift_day=3, broken_feed_start=1, broken_feed_days=1)), path)
    return path


@pytest.fixture
def base_declaration() -> dict[str, Any]:
    return copy.deepcopy(demo.monitor_declaration())


def load_events(path, frame: pd.DataFrame) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists raw")
    con.register("frame", frame)
    con.execute("create or replace table raw.events as select * from frame")
    con.close()


@pytest.fixture(scope="session")
def drift_build(tmp_path_factory) -> BuiltProject:
    directory = tmp_path_factory.mktemp("drift_build")
    project = write_test_project(directory, {"events": drift_declaration()})
    frame = drift_frame()
    load_events(directory / "warehouse.duckdb", frame)
    project.deps()
    project.build()
    built = BuiltProject(project, None, load_monitors(directory))
    built.frame = frame
    return built


@pytest.fixture(scope="session")
def perf_build(tmp_path_factory):
    directory = tmp_path_factory.mktemp("perf_build")
    project = write_test_project(directory, perf_data.declarations())
    tables = {
        "binary": perf_data.binary_tables(),
        "multiclass": perf_data.multiclass_tables(),
        "regression": perf_data.regression_tables(),
    }
    con = duckdb.connect(str(directory / "warehouse.duckdb"))
    con.execute("create schema raw")
    for name, (log, labels) in tables.items():
        con.register("log_", log)
        con.register("labels_", labels)
        con.execute(f"create table raw.{name}_log as select * from log_")
        con.execute(f"create table raw.{name}_labels as select * from labels_")
    con.close()
    project.deps()
    project.build()
    con = duckdb.connect(str(directory / "warehouse.duckdb"))
    performance = con.execute(f"select * from {relation_name(project.manifest(), 'driftline_performance')}").df()
    quality = con.execute(f"select * from {relation_name(project.manifest(), 'driftline_data_quality')}").df()
    con.close()
    return {"tables": tables, "performance": performance, "quality": quality, "project": project}
