"""Where driftline's own models landed in the warehouse, read from the dbt manifest."""

from __future__ import annotations

from typing import Any, Mapping


def _model_node(manifest: Mapping[str, Any], model: str) -> Mapping[str, Any]:
    node = manifest["nodes"].get(f"model.driftline.{model}")
    if node is None or not node.get("relation_name"):
        raise KeyError(f"driftline: model '{model}' is not in the manifest; is the driftline package installed?")
    return node


def relation_name(manifest: Mapping[str, Any], model: str) -> str:
    """The quoted relation of a driftline model, e.g. "warehouse"."main_driftline"."driftline_alerts"."""
    return _model_node(manifest, model)["relation_name"]


def profiled_history(warehouse, manifest: Mapping[str, Any], monitor: str) -> set[str]:
    """Columns driftline has profiled for a monitor (empty before its first build)."""
    node = manifest["nodes"].get("model.driftline.driftline_window_profiles")
    if node is None:
        return set()
    from .config import Relation

    relation = Relation(node.get("database"), node["schema"], node.get("alias") or node["name"])
    if warehouse.columns_of(relation) is None:
        return set()
    rows = warehouse.query(f"select distinct feature_name from {node['relation_name']} where monitor_name = ?", [monitor])
    return set(rows["feature_name"])


RUNNER_TABLES = (
    "driftline_model_registry",
    "driftline_model_events",
    "driftline_retrain_runs",
    "driftline_backtest_summary",
    "driftline_backtest_results",
)


def _signals_node(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    return _model_node(manifest, "driftline_retrain_signals")


def driftline_schema(manifest: Mapping[str, Any]) -> tuple[str | None, str]:
    """(database, schema) of driftline's models."""
    node = _signals_node(manifest)
    return node.get("database"), node["schema"]


def package_setting(manifest: Mapping[str, Any], name: str, default: Any = None) -> Any:
    """A var the runner shares with the dbt package, as dbt resolved it when it parsed the project
    (driftline_retrain_signals records them in its meta), so `dbt_project.yml` vars apply to both."""
    value = (_signals_node(manifest).get("config", {}).get("meta") or {}).get(name)
    return default if value is None else value


def registry_schema(manifest: Mapping[str, Any], overrides: Mapping[str, Any] | None = None) -> tuple[str | None, str]:
    """(database, schema) of the runner's tables: var('driftline_registry_schema'), else driftline's schema.

    `overrides` are vars given to the runner directly (a notebook's DbtProject(vars=...)); they win,
    as they would on dbt's command line."""
    database, schema = driftline_schema(manifest)
    configured = (overrides or {}).get("driftline_registry_schema") or package_setting(manifest, "driftline_registry_schema")
    return database, configured or schema


def runner_relation(warehouse, manifest: Mapping[str, Any], identifier: str) -> str | None:
    """The quoted relation of a table the runner writes (registry, events, runs, backtests), or None if absent.

    These tables are not dbt models, so they are not in the manifest: they live in the registry
    schema (driftline's, unless var('driftline_registry_schema') says otherwise) and are looked up
    in the warehouse's information schema.
    """
    from .config import Relation

    database, schema = registry_schema(manifest)
    if warehouse.columns_of(Relation(database, schema, identifier)) is None:
        return None
    parts = ([database] if database else []) + [schema, identifier]
    return ".".join('"' + part.replace('"', '""') + '"' for part in parts)
