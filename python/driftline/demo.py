"""`driftline demo`: a self-contained dbt project over a generated scenario, built and summarised."""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import yaml

from . import scenario as scenario_mod
from .config import load_monitors
from .paths import dbt_package_dir
from .project import DbtProject
from .progress import step
from .summary import monitor_status, summarize

PROJECT_NAME = "driftline_demo"
log = logging.getLogger("driftline.demo")


# The closed loop's policy: two weeks of data, judged on the latest seven mature days.
RETRAINING = {
    "estimator": "driftline.scenario:pipeline",
    "score_source": "raw.loan_applications",
    "window_strategy": "representative",
    "window_days": 14,
    "holdout_windows": 7,
    "cooldown_days": 7,
    "min_new_labelled_rows": 500,
    "promotion_metric": "roc_auc",
    "confidence": 0.95,
}


def monitor_declaration(retraining: bool = False, label_delay_days: int = 30) -> dict[str, Any]:
    """The demo's monitor, declared the way a user would in their sources YAML.

    With `retraining`, the declaration also names the recipe, the scoring relation and the
    retrain policy the closed-loop demo runs with."""
    features = [{"name": n, "kind": "numeric"} for n in scenario_mod.NUMERIC_FEATURES]
    features += [{"name": n, "kind": "categorical"} for n in scenario_mod.CATEGORICAL_FEATURES]
    declaration = {
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
            "horizon_days": label_delay_days,
        },
        "reference": {"method": "champion", "windows": 30},
        "thresholds": {"performance_floor": 0.75},
    }
    if retraining:
        declaration["retraining"] = dict(RETRAINING)
    return declaration


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
                    {"name": "loan_outcomes", "description": "Defaults observed after scoring, as they arrive."},
                    {"name": "loan_applications", "description": "Applications waiting to be scored (`driftline score`)."},
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


# ---------------------------------------------------------------------------
# The closed loop: days pass, the champion scores, labels arrive, dbt decides, the runner acts
# ---------------------------------------------------------------------------

LOOP_LABEL_DELAY_DAYS = 10  # labels arrive within 10 days, so a retrain can be judged within weeks
LOOP_ADOPTION_DAY = 30  # the log's first 30 days were scored by the model in production before driftline
LOOP_DAYS = (30, 43, 60, 77, 91, 105, 120)  # day 43: inside the broken feed; day 70: the shift starts


@dataclass
class LoopStep:
    day: int
    scored: int
    decision: str
    outcome: str
    champion: str | None


@dataclass
class LoopResult:
    project: DbtProject
    scenario: Any
    steps: list[LoopStep]
    seconds: float
    summary: str
    statuses: list[dict[str, Any]]
    report: Path

    def as_dict(self) -> dict[str, Any]:
        """The `driftline demo --json` result."""
        return {
            "directory": str(self.project.project_dir),
            "predictions": int(len(self.scenario.predictions)),
            "label_rows": int(len(self.scenario.labels)),
            "loop_seconds": round(self.seconds, 3),
            "steps": [dataclasses.asdict(s) for s in self.steps],
            "monitors": self.statuses,
            "report": str(self.report),
        }


class _Clock:
    """What the warehouse has seen by a simulated day: arrived applications and labels."""

    def __init__(self, scenario: Any, path: Path) -> None:
        self.scenario, self.path = scenario, path
        self.start = pd.Timestamp(scenario.config.start)

    def now(self, day: int) -> pd.Timestamp:
        return self.start + pd.Timedelta(days=day)

    def open_day(self, day: int) -> None:
        import duckdb

        now = self.now(day)
        predictions, labels = self.scenario.predictions, self.scenario.labels
        arrived = predictions[predictions["scored_at"] < now].drop(columns=["model_version", "score", "predicted_default"])
        known = labels[labels["labelled_at"] < now]
        with duckdb.connect(str(self.path)) as con:
            con.execute("create schema if not exists raw")
            for table, frame in (("loan_applications", arrived), ("loan_outcomes", known)):
                con.register("_frame", frame)
                con.execute(f"create or replace table raw.{table} as select * from _frame")
                con.unregister("_frame")

    def seed_log(self) -> None:
        """The prediction log as driftline finds it: the days before adoption, scored by 'v0'."""
        import duckdb

        before = self.scenario.predictions[self.scenario.predictions["scored_at"] < self.now(LOOP_ADOPTION_DAY)]
        with duckdb.connect(str(self.path)) as con:
            con.execute("create schema if not exists raw")
            con.register("_frame", before)
            con.execute("create or replace table raw.loan_predictions as select * from _frame")
            con.unregister("_frame")


def run_demo(directory: Path, config: scenario_mod.ScenarioConfig | None = None,
             days: tuple[int, ...] = LOOP_DAYS, echo: Callable[[str], Any] | None = None) -> LoopResult:
    """The whole loop on the loan-default scenario, step by simulated step, ending with the report.

    Progress (and one line per simulated step) goes to the `driftline` logger; the summary is
    returned, and passed to `echo` when given."""
    from .report import write_report
    from .retrain import Runner, retrain
    from .scoring import score

    directory = Path(directory).resolve()
    config = dataclasses.replace(config or scenario_mod.ScenarioConfig(), max_label_delay_days=LOOP_LABEL_DELAY_DAYS)
    with step("write dbt project") as s:
        project = write_project(directory, monitor_declaration(retraining=True, label_delay_days=LOOP_LABEL_DELAY_DAYS))
        s.detail = str(directory)
    with step("generate scenario") as s:
        scenario = scenario_mod.generate(config)
        clock = _Clock(scenario, directory / "warehouse.duckdb")
        clock.seed_log()
        clock.open_day(days[0])
        s.detail = (f"{len(scenario.predictions):,} loan applications over {config.days} days; days 0-"
                    f"{LOOP_ADOPTION_DAY - 1} were scored by the model in production before driftline ('v0')")
    with step("dbt deps"):
        project.deps()
        project.parse()
    runner = Runner(project, echo=log.info)
    steps: list[LoopStep] = []
    started = time.perf_counter()
    for day in days:
        with step(f"day {day}: score, dbt build, retrain") as s:
            clock.open_day(day)
            scored = sum(r.rows for r in score(runner)) if steps and steps[-1].champion else 0
            project.build()
            outcome = retrain(runner)[0]
            with runner.connect() as warehouse:
                champion = runner.registry(warehouse).champion("loan_default")
            line = f"day {day:>3}  scored {scored:>5}  {outcome.describe()}"
            steps.append(LoopStep(day, scored, outcome.status, line, champion.model_version if champion else None))
            s.detail = outcome.status
        log.info(line)
    with step("dbt build (the reference follows the last champion)"):
        project.build()
    seconds = time.perf_counter() - started
    monitors = load_monitors(directory)
    with step("summarise and write the report") as s:
        with runner.connect() as warehouse:
            manifest = project.manifest()
            text = summarize(warehouse, manifest, monitors)
            versions = runner.registry(warehouse).versions("loan_default")
            statuses = [monitor_status(warehouse, manifest, m.name) for m in monitors]
            report = write_report(directory / "report.html", warehouse, manifest, monitors)
        s.detail = str(report)
    registry = "\n".join(
        f"    {v.model_version:<4} {str(v.alias or ''):<10} trained on {v.training_start:%Y-%m-%d}..{v.training_end:%Y-%m-%d}"
        f"  holdout {v.metric_name} {v.holdout_metric:.3f} [{v.holdout_metric_low:.3f}, {v.holdout_metric_high:.3f}]"
        for v in versions.itertuples())
    text = "\n".join(["the loop, step by simulated day:", *(step_.outcome for step_ in steps), "", text,
                      "  model registry", registry, "", f"report: {report}"])
    if echo is not None:
        echo(text)
    return LoopResult(project, scenario, steps, seconds, text, statuses, Path(report))
