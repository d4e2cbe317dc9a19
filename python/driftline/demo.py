"""`driftline demo`: a self-contained dbt project over a generated scenario, built and summarised."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from . import scenario as scenario_mod
from .config import load_monitors
from .paths import dbt_package_dir
from .project import DbtProject
from .progress import step
from .summary import monitor_status, summarize
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
    statuses: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The `driftline demo --json` result."""
        return {
            "directory": str(self.project.project_dir),
            "predictions": int(len(self.scenario.predictions)),
            "label_rows": int(len(self.scenario.labels)),
            "build_seconds": round(self.build_seconds, 3),
            "monitors": self.statuses,
        }


def run_demo(directory: Path, config: scenario_mod.ScenarioConfig | None = None, echo: Callable[[str], Any] | None = None) -> DemoResult:
    """Write, generate, build and summarise the demo. Progress goes to the `driftline` logger;
    the summary is returned (and passed to `echo`, when given)."""
    directory = Path(directory).resolve()
    with step("write dbt project") as s:
        project = write_project(directory)
        s.detail = str(directory)
    with step("generate scenario") as s:
        scenario = scenario_mod.generate(config or scenario_mod.ScenarioConfig())
        scenario_mod.write_duckdb(scenario, directory / "warehouse.duckdb")
        s.detail = (
            f"{len(scenario.predictions):,} predictions over {scenario.config.days} days, "
            f"{len(scenario.labels):,} label rows"
        )
    with step("dbt deps"):
        project.deps()
    with step("dbt build") as build:
        project.build()
    monitors = load_monitors(directory)
    with step("summarise"):
        warehouse = Warehouse.from_profile(project.profile(), directory)
        try:
            manifest = project.manifest()
            text = summarize(warehouse, manifest, monitors)
            statuses = [monitor_status(warehouse, manifest, m.name) for m in monitors]
        finally:
            warehouse.close()
    if echo is not None:
        echo(text)
    return DemoResult(project, scenario, build.seconds or 0.0, text, statuses)
