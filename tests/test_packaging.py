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
    result = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path / "demo"), "--rows-per-day", "40"])
    assert result.exit_code == 0, result.output
    assert "monitor loan_default  (binary_classification, day windows)" in result.output
    assert "in 120 windows, 2026-01-01 .. 2026-04-30" in result.output
    assert "segments         region (5 values)" in result.output
    assert "feature drift    PSI of the whole log" in result.output and "data quality     checks at critical level" in result.output
    assert "performance      roc_auc, accuracy" in result.output and "est. acc" in result.output
    assert "retrain signal   " in result.output  # at 40 rows a day the verdict may differ from the full demo
    assert "monitor loan_default" in result.stdout  # the summary is the result, on stdout
    assert re.search(r"✓ dbt build \(\d+\.\d s\)", result.stderr)  # progress with timings, on stderr
    assert (tmp_path / "demo" / "warehouse.duckdb").exists()
    assert (tmp_path / "demo" / "models" / "sources.yml").exists()
