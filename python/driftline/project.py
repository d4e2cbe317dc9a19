"""Run dbt in-process against a user's project, the way a scheduler would."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class DbtError(RuntimeError):
    """dbt failed; the message carries dbt's own error text for each failing node."""


@dataclass
class DbtProject:
    project_dir: Path
    profiles_dir: Path | None = None
    target: str | None = None
    vars: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.project_dir = Path(self.project_dir).resolve()
        if self.profiles_dir is None:
            local = self.project_dir / "profiles.yml"
            env = os.environ.get("DBT_PROFILES_DIR")
            self.profiles_dir = self.project_dir if local.exists() else Path(env or Path.home() / ".dbt")
        self.profiles_dir = Path(self.profiles_dir).resolve()

    def _args(self, command: list[str]) -> list[str]:
        args = [*command, "--project-dir", str(self.project_dir), "--profiles-dir", str(self.profiles_dir)]
        if self.target:
            args += ["--target", self.target]
        if self.vars and command[0] not in ("deps", "clean"):
            args += ["--vars", yaml.safe_dump(self.vars, default_flow_style=True).strip()]
        return args

    def invoke(self, *command: str, quiet: bool = True) -> Any:
        from dbt.cli.main import dbtRunner

        flags = ["--quiet"] if quiet else []
        result = dbtRunner().invoke([*flags, *self._args(list(command))])
        if not result.success:
            raise DbtError(_failure_text(command, result))
        return result.result

    def deps(self) -> None:
        self.invoke("deps")

    def parse(self) -> dict[str, Any]:
        self.invoke("parse")
        return self.manifest()

    def build(self, *extra: str, quiet: bool = True) -> Any:
        return self.invoke("build", *extra, quiet=quiet)

    def manifest(self) -> dict[str, Any]:
        import json

        return json.loads((self.project_dir / "target" / "manifest.json").read_text())

    def profile(self) -> dict[str, Any]:
        """The active target's profile entry (env_var() rendered)."""
        project = yaml.safe_load((self.project_dir / "dbt_project.yml").read_text())
        profiles = yaml.safe_load(_render_env((self.profiles_dir / "profiles.yml").read_text()))
        profile = profiles[project["profile"]]
        return profile["outputs"][self.target or profile.get("target", "dev")]


def _render_env(text: str) -> str:
    from jinja2 import Template

    def env_var(name: str, default: str | None = None) -> str:
        value = os.environ.get(name, default)
        if value is None:
            raise DbtError(f"profiles.yml: environment variable {name} is not set")
        return value

    return Template(text).render(env_var=env_var)


def _failure_text(command: tuple[str, ...] | list[str], result: Any) -> str:
    lines = [f"dbt {' '.join(command)} failed"]
    if result.exception is not None:
        lines.append(str(result.exception))
    for node_result in getattr(result.result, "results", None) or []:
        if str(node_result.status) in ("error", "fail"):
            lines.append(f"{node_result.node.unique_id}: {node_result.message}")
    return "\n".join(lines)
