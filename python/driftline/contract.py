"""The configuration contract: what a `config.meta.driftline` declaration may hold.

`SPEC` is data, not code, so the dbt side can interpret exactly the same thing:
`python -m driftline.contract` embeds it as JSON in `macros/config/driftline_contract.sql`,
and a test fails when the two drift apart. Both validators (`config.validate_declaration`
here and `driftline.validate_declaration` in Jinja) walk this tree with the same rules
and report the same messages.

Node types:
  string, identifier, column, import_path, date  (strings with a pattern)
  integer, number, boolean
  enum     {values}
  list     {items, min_items}
  object   {keys}                 unknown keys are errors
  map      {values, key_values?}  free keys (optionally from an enum), one spec for values
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

STATISTICS = [
    "psi",
    "js_distance",
    "ks_d",
    "wasserstein_norm",
    "unseen_share",
    "null_rate",
    "out_of_range_share",
    "volume_ratio",
    "correlation_change",
    "label_coverage",
    "orphan_labels",
    "performance_drop",
]

# Column types a numeric feature may have (lower-cased, without precision/scale).
NUMERIC_TYPES = [
    "tinyint", "smallint", "integer", "int", "bigint", "hugeint", "int1", "int2", "int4", "int8",
    "int64", "long", "short", "signed", "utinyint", "usmallint", "uinteger", "ubigint", "uhugeint",
    "real", "float", "float4", "float8", "float64", "double", "double precision", "decimal",
    "numeric", "number", "smallserial", "serial", "bigserial",
]

PATTERNS = {
    "identifier": r"^[a-z][a-z0-9_]{0,62}$",
    "column": r"^[A-Za-z_][A-Za-z0-9_]{0,127}$",
    "import_path": r"^[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_]*$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
}

PATTERN_HINTS = {
    "identifier": "lowercase letters, digits and underscores, starting with a letter",
    "column": "a plain column name (letters, digits, underscores)",
    "import_path": "'package.module:function'",
    "date": "a date 'YYYY-MM-DD'",
}

_BAND = {
    "type": "object",
    "keys": {
        "warn": {"type": "number"},
        "critical": {"type": "number"},
    },
}

_THRESHOLD_SET = {"type": "map", "key_values": STATISTICS, "values": _BAND}

SPEC: dict[str, Any] = {
    "type": "object",
    "keys": {
        "monitor": {"type": "identifier", "required": True},
        "id_column": {"type": "column", "required": True},
        "event_time_column": {"type": "column", "required": True},
        "model_version_column": {"type": "column"},
        "task": {
            "type": "enum",
            "required": True,
            "values": ["binary_classification", "multiclass_classification", "regression"],
        },
        "prediction_column": {"type": "column", "required": True},
        "score_column": {"type": "column"},
        "positive_label": {"type": "string", "default": "1"},
        "features": {
            "type": "list",
            "required": True,
            "min_items": 1,
            "items": {
                "type": "object",
                "keys": {
                    "name": {"type": "column", "required": True},
                    "kind": {"type": "enum", "required": True, "values": ["numeric", "categorical"]},
                },
            },
        },
        "segments": {"type": "list", "default": [], "items": {"type": "column"}},
        "window": {"type": "enum", "default": "day", "values": ["hour", "day", "week", "month"]},
        "labels": {
            "type": "object",
            "keys": {
                "model": {"type": "string"},
                "source": {"type": "string"},
                "id_column": {"type": "column", "required": True},
                "label_column": {"type": "column", "required": True},
                "labelled_at_column": {"type": "column", "required": True},
                "horizon_days": {"type": "integer", "default": 30, "min": 0},
                "mature_coverage": {"type": "number", "default": 0.9, "min": 0, "max": 1},
            },
        },
        "reference": {
            "type": "object",
            "default": {},
            "keys": {
                "method": {
                    "type": "enum",
                    "default": "champion",
                    "values": ["champion", "date_range", "first_windows"],
                },
                "start": {"type": "date"},
                "end": {"type": "date"},
                "windows": {"type": "integer", "default": 14, "min": 1},
            },
        },
        "thresholds": {
            "type": "object",
            "default": {},
            "keys": {
                "statistics": _THRESHOLD_SET,
                "features": {"type": "map", "values": _THRESHOLD_SET},
                "min_window_rows": {"type": "integer", "default": 100, "min": 0},
                "data_driven_k": {"type": "number", "min": 0},
                "sustained_windows": {"type": "integer", "default": 3, "min": 1},
                "performance_floor": {"type": "number"},
            },
        },
        "retraining": {
            "type": "object",
            "keys": {
                "estimator": {"type": "import_path", "required": True},
                "score_source": {"type": "string"},
                "score_model": {"type": "string"},
                "window_strategy": {
                    "type": "enum",
                    "default": "fixed",
                    "values": ["fixed", "dynamic", "representative", "decay", "incremental"],
                },
                "window_days": {"type": "integer", "default": 60, "min": 1},
                "candidate_window_days": {"type": "list", "items": {"type": "integer", "min": 1}},
                "half_life_days": {"type": "number", "min": 0},
                "max_training_rows": {"type": "integer", "default": 1000000, "min": 1},
                "min_new_labelled_rows": {"type": "integer", "default": 500, "min": 0},
                "schedule_days": {"type": "integer", "min": 1},
                "cooldown_days": {"type": "integer", "default": 7, "min": 0},
                "holdout_windows": {"type": "integer", "default": 7, "min": 1},
                "promotion_metric": {
                    "type": "enum",
                    "values": [
                        "roc_auc", "log_loss", "brier", "accuracy", "f1",
                        "macro_f1", "mae", "rmse", "r2",
                    ],
                },
                "min_improvement": {"type": "number", "default": 0.0, "min": 0},
                "confidence": {"type": "number", "default": 0.95, "min": 0.5, "max": 0.999},
            },
        },
    },
}


def base_type(data_type: str) -> str:
    """'DECIMAL(18,3)' -> 'decimal': the part of a column type that decides its kind."""
    return data_type.lower().split("(")[0].strip()


def is_numeric_type(data_type: str) -> bool:
    return base_type(data_type) in NUMERIC_TYPES


def contract_json() -> str:
    """The spec as canonical JSON, the form embedded in the dbt macro."""
    return json.dumps(
        {
            "spec": SPEC,
            "patterns": PATTERNS,
            "hints": PATTERN_HINTS,
            "statistics": STATISTICS,
            "numeric_types": NUMERIC_TYPES,
        },
        sort_keys=False,
        separators=(",", ":"),
    )


MACRO_TEMPLATE = """\
{#- Generated by `python -m driftline.contract` from python/driftline/contract.py. Do not edit. -#}
{% macro driftline_contract() %}
{%- set payload -%}
__JSON__
{%- endset -%}
{{ return(fromjson(payload)) }}
{% endmacro %}
"""


def render_contract_macro() -> str:
    payload = contract_json()
    if "{{" in payload or "{%" in payload:
        raise ValueError("contract JSON must not contain Jinja delimiters")
    return MACRO_TEMPLATE.replace("__JSON__", payload)


def write_contract_macro(dbt_package_dir: Path) -> Path:
    target = dbt_package_dir / "macros" / "config" / "driftline_contract.sql"
    target.write_text(render_contract_macro())
    return target


if __name__ == "__main__":  # regenerate the dbt macro after editing SPEC
    from .paths import dbt_package_dir

    print(write_contract_macro(dbt_package_dir()))
