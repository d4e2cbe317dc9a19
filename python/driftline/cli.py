"""The `driftline` command line: a thin shell over the library API."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Callable

import click

from . import __version__
from .config import ConfigError, check_columns, load_monitors
from .progress import emit_result, output_options
from .project import DbtError, DbtProject
from .tables import profiled_history
from .warehouse import Warehouse


def _fail(error: Exception) -> None:
    click.echo(str(error), err=True)
    sys.exit(2)


@click.group()
@click.version_option(__version__, prog_name="driftline")
def main() -> None:
    """Keep deployed ML models fresh from inside the data warehouse."""


@main.command()
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the demo dbt project (default: a new temporary directory).")
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the generated scenario.")
@click.option("--rows-per-day", type=int, default=400, show_default=True, help="Predictions per day.")
@click.option("--until", "until_day", type=click.IntRange(30, 120), default=120, show_default=True,
              help="Stop the loop after this simulated day (steps: 30, 43, 60, 77, 91, 105, 120).")
@output_options
def demo(directory: Path | None, seed: int, rows_per_day: int, until_day: int, quiet: bool, as_json: bool) -> None:
    """Run the closed loop on a generated loan-default scenario: score, build, retrain, day after day."""
    from .demo import LOOP_DAYS, run_demo
    from .scenario import ScenarioConfig

    directory = directory or Path(tempfile.mkdtemp(prefix="driftline-demo-"))
    try:
        days = tuple(day for day in LOOP_DAYS if day <= until_day)
        result = run_demo(directory, ScenarioConfig(seed=seed, rows_per_day=rows_per_day), days=days)
    except (ConfigError, DbtError) as error:
        _fail(error)
    emit_result(result.as_dict(), as_json, text=result.summary)


@main.command()
@click.option("--project-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True)
@click.option("--profiles-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--target", default=None)
def validate(project_dir: Path, profiles_dir: Path | None, target: str | None) -> None:
    """Parse the dbt project and check every monitor declaration against the warehouse."""
    project = DbtProject(project_dir, profiles_dir, target)
    try:
        project.parse()
        monitors = load_monitors(project.project_dir)
        warehouse = Warehouse.from_profile(project.profile(), project.project_dir)
        try:
            problems = {
                monitor.name: check_columns(monitor, warehouse.columns_of, profiled_history(warehouse, project.manifest(), monitor.name))
                for monitor in monitors
            }
        finally:
            warehouse.close()
    except (ConfigError, DbtError) as error:
        _fail(error)
    for monitor in monitors:
        click.echo(f"ok  {monitor.name}  ({monitor.node_id}, {len(monitor.features)} features)")
        for problem in problems[monitor.name]:
            click.echo(f"    schema: {problem.feature}: {problem.problem}: {problem.detail}")
    if not monitors:
        click.echo("no monitors declared")


# ---------------------------------------------------------------------------
# The runner: retrain, score, models, status
# ---------------------------------------------------------------------------


def project_options(command: Callable) -> Callable:
    """--project-dir / --profiles-dir / --target / --artifacts-dir / --quiet / --json, as every runner command takes them."""
    options = [
        click.option("--project-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
                     help="The dbt project that declares the monitors (its target/manifest.json is read)."),
        click.option("--profiles-dir", type=click.Path(file_okay=False, path_type=Path), default=None),
        click.option("--target", default=None, help="dbt target (the connection comes from the same profile)."),
        click.option("--artifacts-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Where model files go (default: PROJECT_DIR/driftline_artifacts)."),
    ]
    command = output_options(command)  # --quiet and --json
    for option in reversed(options):
        command = option(command)
    return command


def _runner(project_dir: Path, profiles_dir: Path | None, target: str | None, artifacts_dir: Path | None):
    import logging

    from .retrain import Runner

    return Runner(DbtProject(project_dir, profiles_dir, target), artifacts_dir, echo=logging.getLogger("driftline.retrain").info)


def _runner_errors() -> tuple[type[Exception], ...]:
    from .artifacts import ArtifactError
    from .registry import RegistryError
    from .scoring import ScoringError
    from .train import TrainingError
    from .warehouse import WarehouseError

    return (ConfigError, DbtError, RegistryError, ScoringError, WarehouseError, ArtifactError, TrainingError)


@main.command()
@project_options
@click.option("--monitor", default=None, help="Only this monitor (default: every monitor that declares retraining).")
@click.option("--dry-run", is_flag=True, help="Explain every decision and change nothing.")
@click.option("--force", is_flag=True, help="Retrain even without a signal (blockers still apply to the data).")
def retrain(project_dir, profiles_dir, target, artifacts_dir, quiet, as_json, monitor, dry_run, force) -> None:
    """Act on driftline_retrain_signals: train challengers, compare on a frozen holdout, promote on a win."""
    from .retrain import retrain as run_retrain

    try:
        outcomes = run_retrain(_runner(project_dir, profiles_dir, target, artifacts_dir), monitor,
                               dry_run=dry_run, force=force)
    except _runner_errors() as error:
        _fail(error)
    payload = [{"monitor": o.monitor, "status": o.status, "run": o.run.__dict__ if o.run else None,
                "reason": o.run.reason if o.run else o.decision.reason,
                "plan": o.plan.describe() if o.plan else None} for o in outcomes]
    emit_result(payload, as_json, text="\n".join(o.describe() for o in outcomes))
    if any(o.status == "failed" for o in outcomes):
        sys.exit(1)


@main.command()
@project_options
@click.option("--monitor", default=None)
@click.option("--shadow", is_flag=True, help="Also score with the latest registered challenger, under its own version.")
def score(project_dir, profiles_dir, target, artifacts_dir, quiet, as_json, monitor, shadow) -> None:
    """Score new rows with the champion and append them to the prediction log."""
    from .scoring import score as run_score

    try:
        results = run_score(_runner(project_dir, profiles_dir, target, artifacts_dir), monitor, shadow=shadow)
    except _runner_errors() as error:
        _fail(error)
    emit_result([r.__dict__ for r in results], as_json,
                text="\n".join(f"{r.monitor}: scored {r.rows} new row(s) with {', '.join(r.versions)}" for r in results))


@main.command()
@project_options
@click.option("--monitor", default=None)
def status(project_dir, profiles_dir, target, artifacts_dir, quiet, as_json, monitor) -> None:
    """Per monitor: the champion, what is drifting, what is blocked and why."""
    from .status import status as read_status

    try:
        statuses = read_status(_runner(project_dir, profiles_dir, target, artifacts_dir), monitor)
    except _runner_errors() as error:
        _fail(error)
    emit_result([s.as_dict() for s in statuses], as_json, text="\n".join(line for s in statuses for line in s.lines()))


@main.group()
def models() -> None:
    """The model registry: list versions, promote one, roll back."""


@models.command("list")
@project_options
@click.option("--monitor", default=None)
def models_list(project_dir, profiles_dir, target, artifacts_dir, quiet, as_json, monitor) -> None:
    """Every registered version with its alias, training window and holdout metric."""
    runner = _runner(project_dir, profiles_dir, target, artifacts_dir)
    try:
        with runner.connect() as warehouse:
            versions = runner.registry(warehouse).versions(monitor)
    except _runner_errors() as error:
        _fail(error)
    lines = [f"{r.monitor_name:<20} {r.model_version:<5} {str(r.alias or ''):<10} trained "
             f"{r.training_start:%Y-%m-%d}..{r.training_end:%Y-%m-%d} ({r.training_rows} rows, {r.window_strategy})  "
             f"{r.metric_name} {r.holdout_metric:.4f} [{r.holdout_metric_low:.4f}, {r.holdout_metric_high:.4f}]"
             for r in versions.itertuples()] or ["no model registered yet"]
    emit_result(versions.to_dict(orient="records"), as_json, text="\n".join(lines))


@models.command("promote")
@project_options
@click.option("--monitor", required=True)
@click.argument("version")
def models_promote(project_dir, profiles_dir, target, artifacts_dir, quiet, as_json, monitor, version) -> None:
    """Make VERSION the champion (an event in the log; the reference follows on the next dbt build)."""
    from .versions import promote

    try:
        message = promote(_runner(project_dir, profiles_dir, target, artifacts_dir), monitor, version)
    except _runner_errors() as error:
        _fail(error)
    emit_result({"message": message}, as_json, text=message)


@models.command("rollback")
@project_options
@click.option("--monitor", required=True)
def models_rollback(project_dir, profiles_dir, target, artifacts_dir, quiet, as_json, monitor) -> None:
    """Give the champion alias back to the previous champion."""
    from .versions import rollback

    try:
        message = rollback(_runner(project_dir, profiles_dir, target, artifacts_dir), monitor)
    except _runner_errors() as error:
        _fail(error)
    emit_result({"message": message}, as_json, text=message)


# --- report (issue #8) ---------------------------------------------------------------


@main.command()
@click.option("--monitor", default=None, help="Only this monitor (default: every declared monitor).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("driftline-report.html"), show_default=True,
              help="The HTML file to write.")
@click.option("--project-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True)
@click.option("--profiles-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--target", default=None)
@output_options
def report(monitor: str | None, out: Path, project_dir: Path, profiles_dir: Path | None, target: str | None,
           quiet: bool, as_json: bool) -> None:
    """Write one self-contained HTML report (drift, performance, incidents, retraining) from the warehouse."""
    from .report import report_project
    from .warehouse import WarehouseError

    try:
        result = report_project(DbtProject(project_dir, profiles_dir, target), out, monitor=monitor)
    except (ConfigError, DbtError, WarehouseError) as error:
        _fail(error)
    emit_result(result, as_json, text=f"driftline report written to {result['out']}")


@main.command()
@project_options
@click.option("--monitor", default=None, help="Only this monitor (default: every monitor that declares retraining).")
@click.option("--policies", default=",".join(("never", "periodic:7", "periodic:30", "drift", "performance", "hybrid:30")),
              show_default=True, help="Comma-separated: never, periodic:K, drift, performance, hybrid:K (K windows).")
@click.option("--strategies", default=None,
              help="Comma-separated window strategies to cross with the policies (default: the declared one).")
@click.option("--max-retrains", type=int, default=None, help="Retrain budget: recommend the best policy within it.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write an SVG plot of the metric over time to this file.")
@click.option("--decay/--no-decay", default=True, show_default=True, help="Also run the model-decay analysis.")
@click.option("--no-write", is_flag=True, help="Do not write the driftline_backtest_* tables.")
def backtest(project_dir, profiles_dir, target, artifacts_dir, quiet, as_json, monitor, policies, strategies, max_retrains,
             out, decay, no_write) -> None:
    """Replay labelled history under each retraining policy and recommend one."""
    from .backtest import BacktestConfig, BacktestError, backtest as run_backtest, render_svg

    config = BacktestConfig(policies=[p for p in policies.split(",") if p.strip()],
                            strategies=[s.strip() for s in strategies.split(",") if s.strip()] if strategies else None,
                            max_retrains=max_retrains, decay=decay)
    try:
        results = run_backtest(_runner(project_dir, profiles_dir, target, artifacts_dir), monitor,
                               config, write=not no_write)
    except _runner_errors() + (BacktestError,) as error:
        _fail(error)
    if out is not None:
        for result in results:
            path = out if len(results) == 1 else out.with_name(f"{out.stem}_{result.monitor_name}{out.suffix}")
            path.write_text(render_svg(result))
    payload = [{"backtest_id": r.backtest_id, "monitor": r.monitor_name, "metric": r.metric_name,
                "seconds": r.seconds, "summary": r.summary.to_dict(orient="records"),
                "decay": r.decay.to_dict(orient="records")} for r in results]
    emit_result(payload, as_json, text="\n".join(line for r in results for line in r.lines()))


if __name__ == "__main__":  # `python -m driftline.cli`, as schedulers and the tests run it
    main()
