"""The `driftline` command line: a thin shell over the library API."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

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
@output_options
def demo(directory: Path | None, seed: int, rows_per_day: int, quiet: bool, as_json: bool) -> None:
    """Generate a loan-default scenario, build driftline over it and summarise what it found."""
    from .demo import run_demo
    from .scenario import ScenarioConfig

    directory = directory or Path(tempfile.mkdtemp(prefix="driftline-demo-"))
    try:
        result = run_demo(directory, ScenarioConfig(seed=seed, rows_per_day=rows_per_day))
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
