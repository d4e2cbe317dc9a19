"""`driftline demo`: a self-contained dbt project over a generated scenario, built and summarised."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import scenario as scenario_mod
from .config import load_monitors
from .paths import dbt_package_dir
from .project import DbtProject
from .summary import summarize
from .warehouse import Warehouse

PROJECT_NAME = "driftline_demo"


def monitor_declaration() -> dict[str, Any]:
    """The demo's monitor, declared the way a user would in their sources YAML."""
    features = [{"name": n, "kind": "numeric"} for n in scenario_mod.NUMERIC_FEATURES]
    features += [{"name": n, "kind": "categorical"} for n in scenario_mod.CATEGORICAL_FEATURES]
    return {
        "monitor": "loan_default",
        "id_column": "loan_id",
        "event_time_column": "scored_at",
        "model_version_column": "model_version",
        "task": "binary_classification",
        "prediction_column": "predicted_default",
        "score_column": "score",
        "features": features,
        "segments": [scenario_mod.SEGMENT_COLUMN],
        "window": "day",
        "labels": {
            "source": "raw.loan_outcomes",
            "id_column": "loan_id",
            "label_column": "defaulted",
            "labelled_at_column": "labelled_at",
            "horizon_days": 30,
        },
        "reference": {"method": "champion", "windows": 30},
        "thresholds": {"performance_floor": 0.75},
    }


def sources_yaml(declaration: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": 2,
        "sources": [
            {
                "name": "raw",
                "schema": "raw",
                "tables": [
                    {
                        "name": "loan_predictions",
                        "description": "Every loan application the default model scored.",
                        "config": {"meta": {"driftline": declaration}},
                    },
                    {"name": "loan_outcomes", "description": "Defaults observed 1-30 days after scoring."},
                ],
            }
        ],
    }


def write_project(directory: Path, declaration: dict[str, Any] | None = None, threads: int = 4) -> DbtProject:
    """Write a dbt project that installs driftline as a local package and monitors `raw.loan_predictions`."""
    directory = Path(directory).resolve()
    (directory / "models").mkdir(parents=True, exist_ok=True)
    project = {
        "name": PROJECT_NAME,
        "version": "1.0.0",
        "config-version": 2,
        "profile": PROJECT_NAME,
        "model-paths": ["models"],
        "seed-paths": ["seeds"],
        "test-paths": ["tests"],
    }
    profiles = {
        PROJECT_NAME: {
            "target": "dev",
            "outputs": {"dev": {"type": "duckdb", "path": str(directory / "warehouse.duckdb"), "threads": threads}},
        }
    }
    packages = {"packages": [{"local": str(dbt_package_dir())}]}
    _write_yaml(directory / "dbt_project.yml", project)
    _write_yaml(directory / "profiles.yml", profiles)
    _write_yaml(directory / "packages.yml", packages)
    _write_yaml(directory / "models" / "sources.yml", sources_yaml(declaration or monitor_declaration()))
    return DbtProject(directory, profiles_dir=directory)


def _write_yaml(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@dataclass
class DemoResult:
    project: DbtProject
    scenario: Any
    build_seconds: float
    summary: str


def run_demo(directory: Path, config: scenario_mod.ScenarioConfig | None = None, echo=print) -> DemoResult:
    directory = Path(directory).resolve()
    echo(f"driftline demo: writing a dbt project to {directory}")
    project = write_project(directory)
    scenario = scenario_mod.generate(config or scenario_mod.ScenarioConfig())
    scenario_mod.write_duckdb(scenario, directory / "warehouse.duckdb")
    echo(
        f"generated {len(scenario.predictions):,} predictions over {scenario.config.days} days "
        f"and {len(scenario.labels):,} label rows"
    )
    project.deps()
    echo("running dbt build ...")
    started = time.perf_counter()
    project.build()
    seconds = time.perf_counter() - started
    monitors = load_monitors(directory)
    warehouse = Warehouse.from_profile(project.profile(), directory)
    try:
        text = summarize(warehouse, project.manifest(), monitors)
    finally:
        warehouse.close()
    echo(f"dbt build finished in {seconds:.1f} s\n")
    echo(text)
    return DemoResult(project, scenario, seconds, text)
