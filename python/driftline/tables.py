"""Where driftline's own models landed in the warehouse, read from the dbt manifest."""

from __future__ import annotations

from typing import Any, Mapping


def relation_name(manifest: Mapping[str, Any], model: str) -> str:
    """The quoted relation of a driftline model, e.g. "warehouse"."main_driftline"."driftline_alerts"."""
    node = manifest["nodes"].get(f"model.driftline.{model}")
    if node is None or not node.get("relation_name"):
        raise KeyError(f"driftline: model '{model}' is not in the manifest; is the driftline package installed?")
    return node["relation_name"]
