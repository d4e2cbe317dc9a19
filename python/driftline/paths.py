"""Where the dbt package lives: bundled in the wheel, or the repository root in a checkout."""

from __future__ import annotations

from pathlib import Path


def dbt_package_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "dbt_package", here.parent.parent):
        if (candidate / "dbt_project.yml").exists() and (candidate / "macros").is_dir():
            return candidate
    raise FileNotFoundError("driftline: the dbt package files are missing from this installation")
