"""Read and validate monitor declarations from a dbt manifest.

A monitor is declared once, under `config.meta.driftline` of the model or source that
holds the prediction log. The dbt package reads the same declaration from the graph
(`macros/config/`); both walk `contract.SPEC` with the same rules and word their errors
identically, which `tests/test_config_contract.py` checks declaration by declaration.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from .contract import PATTERN_HINTS, PATTERNS, SPEC, is_numeric_type


class ConfigError(ValueError):
    """A declaration that cannot be used; the message names monitor, key and problem."""


# ---------------------------------------------------------------------------
# Structural validation: a walk over contract.SPEC
# ---------------------------------------------------------------------------


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _got(value: Any) -> str:
    return f"(got '{value}')"


def _is_mapping(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_list(value: Any) -> bool:
    return isinstance(value, (list, tuple))


def _validate(value: Any, spec: Mapping[str, Any], path: str, errors: list[str]) -> Any:
    kind = spec["type"]
    if kind == "object":
        if not _is_mapping(value):
            errors.append(f"{path}: must be a mapping {_got(value)}")
            return {}
        keys = spec["keys"]
        for key in value:
            if key not in keys:
                errors.append(f"{_join(path, key)}: unknown key; expected one of: {', '.join(keys)}")
        out: dict[str, Any] = {}
        for key, sub in keys.items():
            if value.get(key) is not None:
                out[key] = _validate(value[key], sub, _join(path, key), errors)
            elif sub.get("required"):
                errors.append(f"{_join(path, key)}: required key is missing")
            elif "default" in sub:
                default = copy.deepcopy(sub["default"])
                out[key] = _validate(default, sub, _join(path, key), errors) if sub["type"] == "object" else default
            else:
                out[key] = None
        return out
    if kind == "map":
        if not _is_mapping(value):
            errors.append(f"{path}: must be a mapping {_got(value)}")
            return {}
        allowed = spec.get("key_values")
        out = {}
        for key, item in value.items():
            if allowed is not None and key not in allowed:
                errors.append(f"{_join(path, key)}: unknown key; expected one of: {', '.join(allowed)}")
                continue
            out[key] = _validate(item, spec["values"], _join(path, key), errors)
        return out
    if kind == "list":
        if not _is_list(value):
            errors.append(f"{path}: must be a list {_got(value)}")
            return []
        if len(value) < spec.get("min_items", 0):
            errors.append(f"{path}: must have at least {spec['min_items']} item(s)")
        return [_validate(item, spec["items"], f"{path}[{i}]", errors) for i, item in enumerate(value)]
    if kind == "enum":
        if not isinstance(value, str) or value not in spec["values"]:
            errors.append(f"{path}: must be one of: {', '.join(spec['values'])} {_got(value)}")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            errors.append(f"{path}: must be true or false {_got(value)}")
        return value
    if kind in ("integer", "number"):
        ok = isinstance(value, int) if kind == "integer" else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            errors.append(f"{path}: must be {'an integer' if kind == 'integer' else 'a number'} {_got(value)}")
            return value
        if "min" in spec and value < spec["min"]:
            errors.append(f"{path}: must be at least {spec['min']} {_got(value)}")
        if "max" in spec and value > spec["max"]:
            errors.append(f"{path}: must be at most {spec['max']} {_got(value)}")
        return value
    # string-like: dates may arrive as date objects from YAML; compare their text
    text = str(value) if kind == "date" and not isinstance(value, (str, bool, int, float)) else value
    if not isinstance(text, str):
        errors.append(f"{path}: must be a string {_got(value)}")
        return value
    if kind in PATTERNS and not re.match(PATTERNS[kind], text):
        errors.append(f"{path}: must be {PATTERN_HINTS[kind]} {_got(text)}")
    return text


def _semantic_errors(decl: Mapping[str, Any]) -> list[str]:
    """Rules that relate keys to each other (mirrored in `driftline.semantic_errors`)."""
    errors: list[str] = []
    names: list[str] = []
    for i, feature in enumerate(decl["features"]):
        if feature["name"] in names:
            errors.append(f"features[{i}].name: duplicate feature '{feature['name']}'")
        names.append(feature["name"])
    for reserved in ("id_column", "event_time_column"):
        if decl[reserved] in names:
            errors.append(f"{reserved}: '{decl[reserved]}' is also declared as a feature")
    if decl["task"] == "binary_classification" and decl["score_column"] is None:
        errors.append("score_column: required for task 'binary_classification'")
    labels = decl["labels"]
    if labels is not None:
        if (labels["model"] is None) == (labels["source"] is None):
            errors.append("labels: set exactly one of 'model' or 'source'")
        elif labels["source"] is not None and len(labels["source"].split(".")) != 2:
            errors.append(f"labels.source: must be 'source_name.table_name' {_got(labels['source'])}")
    reference = decl["reference"]
    if reference["method"] == "date_range":
        for key in ("start", "end"):
            if reference[key] is None:
                errors.append(f"reference.{key}: required when method is 'date_range'")
        if reference["start"] is not None and reference["end"] is not None and reference["end"] <= reference["start"]:
            errors.append("reference.end: must be after reference.start")
    for feature in decl["thresholds"]["features"] or {}:
        if feature not in names:
            errors.append(f"thresholds.features.{feature}: not a declared feature")
    retraining = decl["retraining"]
    if retraining is not None:
        if retraining["window_strategy"] == "dynamic" and not retraining["candidate_window_days"]:
            errors.append("retraining.candidate_window_days: required when window_strategy is 'dynamic'")
        if retraining["window_strategy"] == "decay" and retraining["half_life_days"] is None:
            errors.append("retraining.half_life_days: required when window_strategy is 'decay'")
    return errors


def _monitor_label(declaration: Any) -> str:
    if _is_mapping(declaration) and isinstance(declaration.get("monitor"), str):
        return declaration["monitor"]
    return "?"


def format_errors(monitor: str, node_id: str, errors: Iterable[str]) -> str:
    lines = "\n".join(f"  - {e}" for e in errors)
    return f"driftline: invalid declaration for monitor '{monitor}' ({node_id}):\n{lines}"


def declaration_errors(declaration: Any) -> tuple[Any, list[str]]:
    """(declaration with defaults filled in, list of errors): the non-raising core."""
    errors: list[str] = []
    normalized = _validate(declaration, SPEC, "", errors)
    if not errors:
        errors = _semantic_errors(normalized)
    return normalized, errors


def validate_declaration(declaration: Any, node_id: str) -> dict[str, Any]:
    """Return the declaration with defaults filled in, or raise ConfigError."""
    normalized, errors = declaration_errors(declaration)
    if errors:
        raise ConfigError(format_errors(_monitor_label(declaration), node_id, errors))
    return normalized


# ---------------------------------------------------------------------------
# Typed records
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    database: str | None
    schema: str
    identifier: str

    def parts(self) -> list[str]:
        return [p for p in (self.database, self.schema, self.identifier) if p]


@dataclass(frozen=True)
class Feature:
    name: str
    kind: str  # numeric | categorical


@dataclass(frozen=True)
class Monitor:
    name: str
    node_id: str
    relation: Relation
    label_relation: Relation | None
    declaration: dict[str, Any] = field(repr=False)

    @property
    def features(self) -> list[Feature]:
        return [Feature(f["name"], f["kind"]) for f in self.declaration["features"]]

    @property
    def task(self) -> str:
        return self.declaration["task"]

    @property
    def window(self) -> str:
        return self.declaration["window"]

    def __getitem__(self, key: str) -> Any:
        return self.declaration[key]

    def declared_columns(self) -> list[tuple[str, str]]:
        """(key path, column) for every column of the prediction log the monitor names."""
        d = self.declaration
        cols = [("id_column", d["id_column"]), ("event_time_column", d["event_time_column"])]
        for key in ("model_version_column", "prediction_column", "score_column"):
            if d[key] is not None:
                cols.append((key, d[key]))
        cols += [(f"features[{i}].name", f["name"]) for i, f in enumerate(d["features"])]
        cols += [(f"segments[{i}]", s) for i, s in enumerate(d["segments"])]
        return cols

    def declared_label_columns(self) -> list[tuple[str, str]]:
        labels = self.declaration["labels"]
        if labels is None:
            return []
        return [(f"labels.{k}", labels[k]) for k in ("id_column", "label_column", "labelled_at_column")]


# ---------------------------------------------------------------------------
# Reading a manifest
# ---------------------------------------------------------------------------


def _declaration_of(node: Mapping[str, Any]) -> Any:
    meta = (node.get("config") or {}).get("meta") or {}
    if "driftline" in meta:
        return meta["driftline"]
    return (node.get("meta") or {}).get("driftline")


def _relation_of(node: Mapping[str, Any]) -> Relation:
    identifier = node.get("identifier") if node.get("resource_type") == "source" else node.get("alias")
    return Relation(node.get("database"), node["schema"], identifier or node["name"])


def _find_label_relation(manifest: Mapping[str, Any], labels: Mapping[str, Any], monitor: str, node_id: str) -> Relation:
    if labels["model"] is not None:
        for node in manifest.get("nodes", {}).values():
            if node.get("resource_type") in ("model", "seed", "snapshot") and node["name"] == labels["model"]:
                return _relation_of(node)
        raise ConfigError(format_errors(monitor, node_id, [f"labels.model: no model or seed named '{labels['model']}' in the project"]))
    source_name, table_name = labels["source"].split(".")
    for node in manifest.get("sources", {}).values():
        if node["source_name"] == source_name and node["name"] == table_name:
            return _relation_of(node)
    raise ConfigError(format_errors(monitor, node_id, [f"labels.source: no source table '{labels['source']}' in the project"]))


def monitors_from_manifest(manifest: Mapping[str, Any]) -> list[Monitor]:
    """Every declared monitor, validated, in a stable order (by monitor name)."""
    found: dict[str, Monitor] = {}
    candidates = list(manifest.get("nodes", {}).values()) + list(manifest.get("sources", {}).values())
    for node in sorted(candidates, key=lambda n: n["unique_id"]):
        declaration = _declaration_of(node)
        if declaration is None:
            continue
        node_id = node["unique_id"]
        decl = validate_declaration(declaration, node_id)
        name = decl["monitor"]
        if name in found:
            raise ConfigError(
                f"driftline: monitor '{name}' is declared twice: {found[name].node_id} and {node_id}"
            )
        label_relation = None
        if decl["labels"] is not None:
            label_relation = _find_label_relation(manifest, decl["labels"], name, node_id)
        found[name] = Monitor(name, node_id, _relation_of(node), label_relation, decl)
    return [found[k] for k in sorted(found)]


def load_manifest(project_dir: Path) -> dict[str, Any]:
    path = Path(project_dir) / "target" / "manifest.json"
    if not path.exists():
        raise ConfigError(f"driftline: no dbt manifest at {path}; run `dbt parse` (or `dbt build`) first")
    return json.loads(path.read_text())


def load_monitors(project_dir: Path) -> list[Monitor]:
    return monitors_from_manifest(load_manifest(project_dir))


def get_monitor(monitors: list[Monitor], name: str) -> Monitor:
    for monitor in monitors:
        if monitor.name == name:
            return monitor
    known = ", ".join(m.name for m in monitors) or "none"
    raise ConfigError(f"driftline: no monitor named '{name}' (declared: {known})")


# ---------------------------------------------------------------------------
# Columns: checked against the warehouse, worded like the dbt side
# ---------------------------------------------------------------------------


def column_errors(declared: list[tuple[str, str]], actual: Mapping[str, str], relation_name: str) -> list[str]:
    """`actual` maps column name -> data type, in the relation's order."""
    lower = {c.lower() for c in actual}
    return [
        f"{path}: column '{col}' not found in {relation_name} (columns: {', '.join(actual)})"
        for path, col in declared
        if col.lower() not in lower
    ]


def kind_errors(features: list[dict[str, Any]], actual: Mapping[str, str]) -> list[str]:
    types = {name.lower(): data_type for name, data_type in actual.items()}
    return [
        f"features[{i}].kind: 'numeric' but column '{f['name']}' has type {types[f['name'].lower()]}"
        for i, f in enumerate(features)
        if f["kind"] == "numeric" and f["name"].lower() in types and not is_numeric_type(types[f["name"].lower()])
    ]


@dataclass(frozen=True)
class SchemaProblem:
    """A feature driftline profiled before that disappeared or changed type: data, not a config error."""

    feature: str
    problem: str  # column_missing | type_changed
    detail: str


def check_columns(monitor: Monitor, columns_of, history: Iterable[str] = ()) -> list[SchemaProblem]:
    """Raise ConfigError naming every declared column missing from its relation.

    `columns_of(relation)` returns {column name: data type} in the relation's order, or
    None when the relation does not exist (see `warehouse`). Features in `history` (profiled
    before) that went missing or changed type are returned as schema problems instead,
    exactly as the dbt models report them in driftline_data_quality.
    """
    history = set(history)
    features = {f"features[{i}].name": f["name"] for i, f in enumerate(monitor.declaration["features"])}
    errors: list[str] = []
    problems: list[SchemaProblem] = []
    sides = [("relation", monitor.relation, monitor.declared_columns())]
    if monitor.label_relation is not None:
        sides.append(("labels", monitor.label_relation, monitor.declared_label_columns()))
    for side, relation, declared in sides:
        name = ".".join(relation.parts())
        actual = columns_of(relation)
        if actual is None:
            errors.append(f"{side}: {name} does not exist in the warehouse")
            continue
        for error in column_errors(declared, actual, name):
            path = error.split(":")[0]
            if side == "relation" and features.get(path) in history:
                feature = features[path]
                problems.append(SchemaProblem(feature, "column_missing", f"column '{feature}' is no longer in {name}"))
            else:
                errors.append(error)
        if side == "relation":
            for error in kind_errors(monitor.declaration["features"], actual):
                feature = error.split("column '")[1].split("'")[0]
                if feature in history:
                    problems.append(SchemaProblem(feature, "type_changed", error.split(": ", 1)[1]))
                else:
                    errors.append(error)
    if errors:
        raise ConfigError(format_errors(monitor.name, monitor.node_id, errors))
    return problems
