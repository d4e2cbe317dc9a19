"""Where driftline's own models landed in the warehouse, read from the dbt manifest."""

from __future__ import annotations

from typing import Any, Mapping


def relation_name(manifest: Mapping[str, Any], model: str) -> str:
    """The quoted relation of a driftline model, e.g. "warehouse"."main_driftline"."driftline_alerts"."""
    node = manifest["nodes"].get(f"model.driftline.{model}")
    if node is None or not node.get("relation_name"):
        raise KeyError(f"driftline: model '{model}' is not in the manifest; is the driftline package installed?")
    return node["relation_name"]


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
