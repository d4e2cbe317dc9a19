"""`driftline score`: batch-score new rows with the champion and append them to the prediction log.

New rows are the rows of the monitor's scoring relation (`retraining.score_source` or
`score_model`, with the log's column names) whose id is not in the log yet, so a re-run after
a crash scores only what is missing. With `shadow`, the latest registered challenger scores the
same rows too, under its own model version, into the runner's `driftline_shadow_predictions`
table rather than the log: the log records what was served, so drift, volume and data quality
see each prediction once, and the performance mart compares the versions on shared ids.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlglot
from sqlglot import exp

from . import artifacts, train
from .config import ConfigError, Monitor, Relation
from .extract import ident, table
from .registry import ModelVersion, now
from .retrain import Runner
from .warehouse import Warehouse

_NEW_ROWS = """
select i.* from :input_relation as i
where not exists (
    select 1 from :log_relation as l
    where cast(l.:id_column as varchar) = cast(i.:id_column as varchar)
)
"""


class ScoringError(RuntimeError):
    pass


@dataclass(frozen=True)
class ScoreResult:
    monitor: str
    rows: int
    versions: tuple[str, ...]


def scoring_relation(runner: Runner, monitor: Monitor) -> Relation:
    retraining = monitor["retraining"] or {}
    manifest = runner.manifest()
    if retraining.get("score_model"):
        for node in manifest["nodes"].values():
            if node.get("resource_type") in ("model", "seed", "snapshot") and node["name"] == retraining["score_model"]:
                return Relation(node.get("database"), node["schema"], node.get("alias") or node["name"])
        raise ConfigError(f"driftline: monitor '{monitor.name}': retraining.score_model: no model named "
                          f"'{retraining['score_model']}'")
    if retraining.get("score_source"):
        source_name, _, table_name = retraining["score_source"].partition(".")
        for node in manifest["sources"].values():
            if node["source_name"] == source_name and node["name"] == table_name:
                return Relation(node.get("database"), node["schema"], node.get("identifier") or node["name"])
        raise ConfigError(f"driftline: monitor '{monitor.name}': retraining.score_source: no source table "
                          f"'{retraining['score_source']}'")
    raise ConfigError(f"driftline: monitor '{monitor.name}' declares no retraining.score_source or score_model: "
                      "there is nothing to score")


def new_rows(warehouse: Warehouse, monitor: Monitor, source: Relation) -> pd.DataFrame:
    tree = exp.replace_placeholders(
        sqlglot.parse_one(_NEW_ROWS, read="duckdb"),
        input_relation=table(source), log_relation=table(monitor.relation), id_column=ident(monitor["id_column"]))
    return warehouse.query(tree.sql(dialect=warehouse.dialect))


def log_rows(monitor: Monitor, rows: pd.DataFrame, model, version: str) -> pd.DataFrame:
    """The rows as the prediction log holds them: id, time, version, segments, features, outputs."""
    X, _ = train.feature_frame(monitor, rows)
    predictions = train.predict(monitor, model, X)
    out = pd.DataFrame({monitor["id_column"]: rows[monitor["id_column"]],
                        monitor["event_time_column"]: rows[monitor["event_time_column"]]})
    if monitor["model_version_column"]:
        out[monitor["model_version_column"]] = version
    for column in monitor["segments"]:
        out[column] = rows[column]
    for feature in monitor.features:
        out[feature.name] = rows[feature.name]
    if monitor["score_column"]:
        if predictions.score is None:
            raise ScoringError(f"score_column '{monitor['score_column']}' needs predict_proba; "
                               f"{type(model).__name__} has none")
        out[monitor["score_column"]] = predictions.score
    out[monitor["prediction_column"]] = predictions.label
    return out


def shadow_rows(monitor: Monitor, served: pd.DataFrame, model, version: str) -> pd.DataFrame:
    """A challenger's outputs for the rows just served, as driftline_shadow_predictions holds them."""
    X, _ = train.feature_frame(monitor, served)
    predictions = train.predict(monitor, model, X)
    return pd.DataFrame({
        "monitor_name": monitor.name,
        "prediction_id": served[monitor["id_column"]].astype(str).to_numpy(),
        "model_version": version,
        "prediction": _as_text(monitor, predictions.label),
        "score": predictions.score if predictions.score is not None else np.nan,
        "scored_at": pd.Timestamp(now()),
    })


def _as_text(monitor: Monitor, labels) -> np.ndarray:
    """Predictions as text, the way the log's integer label columns read once cast (1.0 -> '1')."""
    values = pd.Series(labels)
    if monitor["task"] != "regression" and pd.api.types.is_float_dtype(values) and (values.dropna() % 1 == 0).all():
        values = values.astype("Int64")
    return values.astype(str).to_numpy()


def append(warehouse: Warehouse, relation: Relation, frame: pd.DataFrame) -> None:
    """Insert with every value cast to the log column's own type, in one statement."""
    types = warehouse.columns_of(relation) or {}
    lower = {name.lower(): (name, kind) for name, kind in types.items()}
    missing = [c for c in frame.columns if c.lower() not in lower]
    if missing:
        raise ScoringError(f"the prediction log {'.'.join(relation.parts())} has no column(s) {', '.join(missing)}")
    target = table(relation).sql(warehouse.dialect)
    names = ", ".join(ident(lower[c.lower()][0]).sql(warehouse.dialect) for c in frame.columns)
    if warehouse.kind == "duckdb":
        casts = ", ".join(f"cast({ident(c).sql('duckdb')} as {lower[c.lower()][1]})" for c in frame.columns)
        warehouse.connection.register("_driftline_scored", frame)
        try:
            warehouse.execute(f"insert into {target} ({names}) select {casts} from _driftline_scored")
        finally:
            warehouse.connection.unregister("_driftline_scored")
        return
    from psycopg2.extras import execute_values

    casts = ", ".join(f"cast(%s as {lower[c.lower()][1]})" for c in frame.columns)
    values = [tuple(None if (isinstance(v, float) and np.isnan(v)) or v is pd.NaT else
                    (v.item() if hasattr(v, "item") else v) for v in row) for row in frame.itertuples(index=False)]
    with warehouse.connection.cursor() as cursor:
        execute_values(cursor, f"insert into {target} ({names}) values %s", values, template=f"({casts})")


def _load(version: ModelVersion):
    return artifacts.load(version.artifact_uri, version.artifact_sha256)


def score_monitor(runner: Runner, monitor: Monitor, *, shadow: bool = False) -> ScoreResult:
    with runner.connect() as warehouse:
        registry = runner.registry(warehouse)
        champion = registry.champion(monitor.name)
        if champion is None:
            raise ScoringError(f"monitor '{monitor.name}' has no champion yet: run `driftline retrain` first")
        models = [(champion.model_version, _load(champion))]
        if shadow:
            versions = registry.versions(monitor.name)
            challengers = versions[(versions["alias"] == "challenger") & (versions["version_number"] > champion.version_number)]
            if len(challengers):
                latest = registry.version(monitor.name, str(challengers.iloc[-1]["model_version"]))
                models.append((latest.model_version, _load(latest)))
        rows = new_rows(warehouse, monitor, scoring_relation(runner, monitor))
        if rows.empty:
            return ScoreResult(monitor.name, 0, tuple(v for v, _ in models))
        if rows[monitor["id_column"]].duplicated().any():
            duplicated = rows[monitor["id_column"]][rows[monitor["id_column"]].duplicated()].iloc[0]
            raise ScoringError(f"the scoring relation has duplicate ids (e.g. '{duplicated}'); nothing was scored")
        champion_version, champion_model = models[0]
        served = log_rows(monitor, rows, champion_model, champion_version)
        shadows = [shadow_rows(monitor, served, model, version) for version, model in models[1:]]
        if shadows:
            registry.ensure_tables()
        with warehouse.transaction():  # all versions' rows land together, or none
            append(warehouse, monitor.relation, served)
            for frame in shadows:
                append(warehouse, Relation(registry.database, registry.schema, "driftline_shadow_predictions"), frame)
    return ScoreResult(monitor.name, len(rows), tuple(v for v, _ in models))


def score(runner: Runner, monitor: str | None = None, *, shadow: bool = False) -> list[ScoreResult]:
    monitors = [runner.monitor(monitor)] if monitor else [m for m in runner.monitors if m["retraining"]]
    return [score_monitor(runner, m, shadow=shadow) for m in monitors]
