"""A plain (non-editable) install carries the dbt package, and only what a user's project should get."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml
from click.testing import CliRunner

from driftline.cli import main as cli

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_bundles_the_dbt_package(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path)],
        check=True,
    )
    wheel = next(tmp_path.glob("driftline-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "driftline/dbt_package/dbt_project.yml" in names
    assert "driftline/dbt_package/models/staging/stg_driftline__predictions.sql" in names
    assert "driftline/dbt_package/macros/config/driftline_contract.sql" in names
    assert "driftline/cli.py" in names
    assert {"driftline/report.py", "driftline/svg.py", "driftline/progress.py"} <= set(names)  # the report needs no other files
    # Neither demo data nor driftline's own tests travel with the package.
    assert not [n for n in names if n.startswith(("driftline/dbt_package/seeds", "driftline/dbt_package/tests", "tests/"))]


def test_dbt_project_keeps_seeds_and_tests_out_of_user_projects():
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text())
    assert project["name"] == "driftline"
    assert project["seed-paths"] == [] and project["test-paths"] == []


def test_demo_command_prints_a_summary(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path / "demo"), "--rows-per-day", "40", "--until", "43"])
    assert result.exit_code == 0, result.output
    assert "day  30  scored     0  loan_default: initial: no champion" in result.output
    assert "day  43  scored" in result.output and "day  60" not in result.output
    assert "monitor loan_default  (binary_classification, day windows)" in result.output
    assert "in 43 windows, 2026-01-01 .. 2026-02-12" in result.output
    assert "segments         region (5 values)" in result.output
    assert "reference        champion:v1" in result.output
    assert "performance      roc_auc, accuracy" in result.output and "est. acc" in result.output
    assert "model registry" in result.output and "v1   champion" in result.output
    assert "monitor loan_default" in result.stdout  # the summary is the result, on stdout
    assert re.search(r"✓ dbt deps \(\d+\.\d s\)", result.stderr)  # progress with timings, on stderr
    assert (tmp_path / "demo" / "report.html").exists()  # the demo ends by writing the report
    assert (tmp_path / "demo" / "warehouse.duckdb").exists()
    assert (tmp_path / "demo" / "models" / "sources.yml").exists()
