"""The model registry, in the warehouse beside driftline's models.

  driftline_model_registry   one row per trained version (never updated)
  driftline_model_events     append-only alias moves: champion, challenger, archived, rollback
  driftline_retrain_runs     every run, declined and failed ones too, with the comparison
  driftline_consumed_alerts  alerts a run has acted on: never a trigger again
  driftline_runner_locks     one row per monitor being retrained right now

The champion is the latest 'champion' event, which is what the dbt package reads
(`macros/registry.sql`) to move the drift reference to the champion's training window.
Everything a run decides is written in one transaction, so a run that dies half-way leaves
champion and registry exactly as they were.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from typing import Any, Iterable, Sequence

import pandas as pd
import sqlglot
from sqlglot import exp

from .warehouse import Warehouse

TABLES: dict[str, list[tuple[str, str]]] = {
    "driftline_model_registry": [
        ("monitor_name", "varchar"), ("model_version", "varchar"), ("version_number", "integer"),
        ("created_at", "timestamp"), ("trained_as_of", "timestamp"), ("training_start", "timestamp"), ("training_end", "timestamp"),
        ("training_rows", "bigint"), ("window_strategy", "varchar"), ("data_fingerprint", "varchar"),
        ("estimator", "varchar"), ("estimator_params", "varchar"), ("holdout_start", "timestamp"),
        ("holdout_end", "timestamp"), ("holdout_rows", "bigint"), ("metric_name", "varchar"),
        ("holdout_metric", "double"), ("holdout_metric_low", "double"), ("holdout_metric_high", "double"),
        ("parent_version", "varchar"), ("trigger_alert_ids", "varchar"), ("artifact_uri", "varchar"),
        ("artifact_sha256", "varchar"), ("run_id", "varchar"),
    ],
    "driftline_model_events": [
        ("event_id", "varchar"), ("monitor_name", "varchar"), ("model_version", "varchar"), ("alias", "varchar"),
        ("event_at", "timestamp"), ("actor", "varchar"), ("reason", "varchar"), ("run_id", "varchar"),
    ],
    "driftline_retrain_runs": [
        ("run_id", "varchar"), ("monitor_name", "varchar"), ("started_at", "timestamp"),
        ("finished_at", "timestamp"), ("as_of", "timestamp"), ("status", "varchar"), ("reason", "varchar"), ("trigger_reasons", "varchar"),
        ("trigger_alert_ids", "varchar"), ("champion_version", "varchar"), ("challenger_version", "varchar"),
        ("metric_name", "varchar"), ("champion_metric", "double"), ("challenger_metric", "double"),
        ("improvement", "double"), ("improvement_low", "double"), ("improvement_high", "double"),
        ("test_name", "varchar"), ("p_value", "double"), ("window_strategy", "varchar"),
        ("training_start", "timestamp"), ("training_end", "timestamp"), ("training_rows", "bigint"),
        ("holdout_start", "timestamp"), ("holdout_end", "timestamp"), ("holdout_rows", "bigint"),
        ("training_seconds", "double"), ("total_seconds", "double"), ("details", "varchar"),
        ("error", "varchar"), ("actor", "varchar"),
    ],
    "driftline_consumed_alerts": [
        ("alert_id", "varchar"), ("monitor_name", "varchar"), ("run_id", "varchar"), ("consumed_at", "timestamp"),
    ],
    "driftline_runner_locks": [
        ("monitor_name", "varchar"), ("run_id", "varchar"), ("holder", "varchar"), ("acquired_at", "timestamp"),
    ],
    # a challenger's predictions scored in shadow: kept out of the prediction log, which records what was served
    "driftline_shadow_predictions": [
        ("monitor_name", "varchar"), ("prediction_id", "varchar"), ("model_version", "varchar"),
        ("prediction", "varchar"), ("score", "double"), ("scored_at", "timestamp"),
    ],
}
PRIMARY_KEYS = {"driftline_runner_locks": ["monitor_name"], "driftline_model_registry": ["monitor_name", "model_version"],
                "driftline_shadow_predictions": ["monitor_name", "prediction_id", "model_version"]}


class RegistryError(RuntimeError):
    pass


class LockHeld(RegistryError):
    """Another runner is retraining this monitor."""


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def actor() -> str:
    return f"{os.environ.get('USER') or os.environ.get('USERNAME') or 'driftline'}@{socket.gethostname()}"


@dataclass
class ModelVersion:
    monitor_name: str
    model_version: str
    version_number: int
    created_at: datetime
    trained_as_of: datetime | None  # the end of the latest window the run saw (data time)
    training_start: datetime
    training_end: datetime
    training_rows: int
    window_strategy: str
    data_fingerprint: str
    estimator: str
    estimator_params: str
    holdout_start: datetime | None
    holdout_end: datetime | None
    holdout_rows: int | None
    metric_name: str | None
    holdout_metric: float | None
    holdout_metric_low: float | None
    holdout_metric_high: float | None
    parent_version: str | None
    trigger_alert_ids: str
    artifact_uri: str
    artifact_sha256: str
    run_id: str


@dataclass
class RetrainRun:
    run_id: str
    monitor_name: str
    started_at: datetime
    finished_at: datetime | None = None
    as_of: datetime | None = None  # the end of the latest window the run saw (data time)
    status: str = "failed"  # initial | promoted | declined | blocked | skipped | failed | dry_run
    reason: str = ""
    trigger_reasons: str = ""
    trigger_alert_ids: str = "[]"
    champion_version: str | None = None
    challenger_version: str | None = None
    metric_name: str | None = None
    champion_metric: float | None = None
    challenger_metric: float | None = None
    improvement: float | None = None
    improvement_low: float | None = None
    improvement_high: float | None = None
    test_name: str | None = None
    p_value: float | None = None
    window_strategy: str | None = None
    training_start: datetime | None = None
    training_end: datetime | None = None
    training_rows: int | None = None
    holdout_start: datetime | None = None
    holdout_end: datetime | None = None
    holdout_rows: int | None = None
    training_seconds: float | None = None
    total_seconds: float | None = None
    details: str = "{}"
    error: str | None = None
    actor: str = ""


@dataclass(frozen=True)
class Event:
    monitor_name: str
    model_version: str
    alias: str
    reason: str
    run_id: str | None = None


@dataclass(frozen=True)
class Registry:
    """Where the runner's tables live, and how to name them in the target's dialect."""

    warehouse: Warehouse
    schema: str
    database: str | None = None

    def relation(self, table: str) -> str:
        return exp.table_(table, db=self.schema, catalog=self.database, quoted=True).sql(self.warehouse.dialect)

    # -- set-up ---------------------------------------------------------------------------

    def ensure_tables(self) -> None:
        # PostgreSQL names a schema without its database (the connection's); DuckDB may qualify it
        qualified = self.database if self.warehouse.kind == "duckdb" else None
        schema = exp.Table(this=exp.to_identifier(self.schema, quoted=True),
                           db=exp.to_identifier(qualified, quoted=True) if qualified else None)
        self.warehouse.execute(f"create schema if not exists {schema.sql(self.warehouse.dialect)}")
        for table, columns in TABLES.items():
            body = ", ".join(f'"{name}" {kind}' for name, kind in columns)
            if table in PRIMARY_KEYS:
                body += ", primary key (" + ", ".join(f'"{k}"' for k in PRIMARY_KEYS[table]) + ")"
            ddl = sqlglot.transpile(f'create table if not exists "__t__" ({body})', read="duckdb",
                                    write=self.warehouse.dialect)[0]
            self.warehouse.execute(ddl.replace(exp.to_identifier("__t__", quoted=True).sql(self.warehouse.dialect),
                                               self.relation(table)))

    def exists(self) -> bool:
        from .config import Relation

        return self.warehouse.columns_of(Relation(self.database, self.schema, "driftline_model_events")) is not None

    # -- reads ----------------------------------------------------------------------------

    def champion(self, monitor: str) -> ModelVersion | None:
        if not self.exists():
            return None
        rows = self.warehouse.query(
            f"""select registry.* from {self.relation('driftline_model_registry')} as registry
                inner join (
                    select model_version from {self.relation('driftline_model_events')}
                    where monitor_name = ? and alias = 'champion'
                    order by event_at desc, event_id desc limit 1
                ) as latest on latest.model_version = registry.model_version
                where registry.monitor_name = ?""",
            [monitor, monitor],
        )
        return _version(rows.iloc[0]) if len(rows) else None

    def version(self, monitor: str, model_version: str) -> ModelVersion:
        rows = self.warehouse.query(
            f"select * from {self.relation('driftline_model_registry')} where monitor_name = ? and model_version = ?",
            [monitor, model_version]) if self.exists() else pd.DataFrame()
        if rows.empty:
            raise RegistryError(f"monitor '{monitor}' has no model version '{model_version}'")
        return _version(rows.iloc[0])

    def versions(self, monitor: str | None = None) -> pd.DataFrame:
        """Every version with its latest alias (champion, challenger, archived, rollback)."""
        if not self.exists():
            return pd.DataFrame(columns=[c for c, _ in TABLES["driftline_model_registry"]] + ["alias"])
        where = "where registry.monitor_name = ?" if monitor else ""
        return self.warehouse.query(
            f"""select registry.*, latest.alias from {self.relation('driftline_model_registry')} as registry
                left join (
                    select monitor_name, model_version, alias,
                        row_number() over (partition by monitor_name, model_version order by event_at desc, event_id desc) as recency
                    from {self.relation('driftline_model_events')}
                ) as latest on latest.monitor_name = registry.monitor_name
                    and latest.model_version = registry.model_version and latest.recency = 1
                {where}
                order by registry.monitor_name, registry.version_number""",
            [monitor] if monitor else [],
        )

    def events(self, monitor: str) -> pd.DataFrame:
        return self.warehouse.query(
            f"select * from {self.relation('driftline_model_events')} where monitor_name = ? order by event_at, event_id",
            [monitor])

    def runs(self, monitor: str | None = None) -> pd.DataFrame:
        if not self.exists():
            return pd.DataFrame(columns=[c for c, _ in TABLES["driftline_retrain_runs"]])
        where = "where monitor_name = ?" if monitor else ""
        return self.warehouse.query(
            f"select * from {self.relation('driftline_retrain_runs')} {where} order by started_at, run_id",
            [monitor] if monitor else [])

    def consumed(self, monitor: str, alert_ids: Iterable[str]) -> set[str]:
        ids = list(alert_ids)
        if not ids or not self.exists():
            return set()
        marks = ", ".join("?" for _ in ids)
        rows = self.warehouse.query(
            f"select alert_id from {self.relation('driftline_consumed_alerts')} where monitor_name = ? and alert_id in ({marks})",
            [monitor, *ids])
        return set(rows["alert_id"])

    def last_attempt(self, monitor: str) -> pd.Series | None:
        """The latest run that trained a model (initial, promoted or declined)."""
        if not self.exists():
            return None
        rows = self.warehouse.query(
            f"""select * from {self.relation('driftline_retrain_runs')}
                where monitor_name = ? and status in ('initial', 'promoted', 'declined')
                order by as_of desc, finished_at desc limit 1""", [monitor])
        return rows.iloc[0] if len(rows) else None

    def next_version_number(self, monitor: str) -> int:
        rows = self.warehouse.query(
            f"select coalesce(max(version_number), 0) as n from {self.relation('driftline_model_registry')} where monitor_name = ?",
            [monitor])
        return int(rows["n"].iloc[0]) + 1

    # -- writes ---------------------------------------------------------------------------

    def _insert(self, table: str, record: dict[str, Any]) -> None:
        columns = [c for c, _ in TABLES[table]]
        marks = ", ".join("?" for _ in columns)
        names = ", ".join(f'"{c}"' for c in columns)
        self.warehouse.execute(f"insert into {self.relation(table)} ({names}) values ({marks})",
                               [bind_value(record.get(c)) for c in columns])

    def next_event_time(self, monitor: str) -> datetime:
        """Now, or just after the monitor's latest event: alias moves within one second (times are
        kept to the second) must still order after each other, whatever their random event ids."""
        rows = self.warehouse.query(
            f"select max(event_at) as latest from {self.relation('driftline_model_events')} where monitor_name = ?",
            [monitor])
        latest = rows["latest"].iloc[0]
        if latest is None or pd.isna(latest):
            return now()
        return max(now(), pd.Timestamp(latest).to_pydatetime() + timedelta(microseconds=1))

    def add_event(self, event: Event, at: datetime | None = None) -> None:
        self._insert("driftline_model_events", {
            **asdict(event), "event_id": uuid.uuid4().hex, "event_at": at or now(), "actor": actor()})

    def record(self, run: RetrainRun, version: ModelVersion | None = None, events: Sequence[Event] = (),
               consumed_alerts: Sequence[str] = ()) -> None:
        """One transaction: the run, the new version, its alias moves and the consumed alerts."""
        with self.warehouse.transaction():
            if version is not None:
                self._insert("driftline_model_registry", asdict(version))
            at = self.next_event_time(run.monitor_name) if events else now()
            for offset, event in enumerate(events):
                self.add_event(event, at + timedelta(microseconds=offset))
            for alert_id in consumed_alerts:
                self._insert("driftline_consumed_alerts", {
                    "alert_id": alert_id, "monitor_name": run.monitor_name, "run_id": run.run_id, "consumed_at": at})
            self._insert("driftline_retrain_runs", asdict(run))

    # -- the lock -------------------------------------------------------------------------

    def acquire_lock(self, monitor: str, run_id: str, stale_after: timedelta = timedelta(hours=6)) -> str | None:
        """Take the monitor's lock; returns the run id of a stale holder it replaced, if any.

        A holder is stale when its process is gone (same host) or it has held the lock longer
        than `stale_after`. Raises LockHeld while a live runner holds it."""
        holder = f"{socket.gethostname()}:{os.getpid()}"
        replaced = None
        with self.warehouse.transaction():
            rows = self.warehouse.query(
                f"select * from {self.relation('driftline_runner_locks')} where monitor_name = ?", [monitor])
            if len(rows):
                row = rows.iloc[0]
                if not _is_stale(row["holder"], pd.Timestamp(row["acquired_at"]).to_pydatetime(), stale_after):
                    raise LockHeld(f"monitor '{monitor}' is being retrained by run {row['run_id']} "
                                   f"({row['holder']}, since {row['acquired_at']})")
                self.warehouse.execute(
                    f"delete from {self.relation('driftline_runner_locks')} where monitor_name = ? and run_id = ?",
                    [monitor, row["run_id"]])
                replaced = str(row["run_id"])
            try:
                self._insert("driftline_runner_locks",
                             {"monitor_name": monitor, "run_id": run_id, "holder": holder, "acquired_at": now()})
            except Exception as error:  # a concurrent insert won the primary key
                raise LockHeld(f"monitor '{monitor}' was locked by another runner just now: {error}") from error
        return replaced

    def release_lock(self, monitor: str, run_id: str) -> None:
        self.warehouse.execute(
            f"delete from {self.relation('driftline_runner_locks')} where monitor_name = ? and run_id = ?",
            [monitor, run_id])


def _is_stale(holder: str, acquired_at: datetime, stale_after: timedelta) -> bool:
    if now() - acquired_at > stale_after:
        return True
    host, _, pid = str(holder).rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def bind_value(value: Any) -> Any:
    """Bind-friendly values: numpy scalars to Python, NaN to NULL."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _version(row: pd.Series) -> ModelVersion:
    values = {}
    for f in fields(ModelVersion):
        value = row[f.name]
        if pd.isna(value) if not isinstance(value, (list, dict)) else False:
            value = None
        elif isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        values[f.name] = value
    values["version_number"] = int(values["version_number"])
    return ModelVersion(**values)


def trigger_ids(text: str | None) -> list[str]:
    return [i for i in (text or "").split(",") if i]


def as_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
