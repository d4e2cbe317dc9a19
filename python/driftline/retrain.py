"""`driftline retrain`: act on the warehouse's retrain decisions, one monitor at a time.

For each monitor: read its row of driftline_retrain_signals, decide whether to act (no
champion yet, a reason without blockers, `force`), take the monitor's lock, plan the training
span and the frozen holdout (the most recent mature labelled windows), extract both with SQL
rendered in the target's dialect, train a challenger with the user's recipe, score challenger
and champion on the same holdout rows, and promote only on a measured win. The decision, the new
version, its alias moves and the consumed alerts are written in one transaction at the end; the
warehouse is not held while training.
"""

from __future__ import annotations

import hashlib
import time
import traceback
import uuid
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from . import artifacts, train
from .config import ConfigError, Monitor, get_monitor, load_monitors
from .evaluate import Comparison, EvaluationError, compare, primary_metric
from .extract import coverage_sql, labelled_rows_sql
from .progress import step
from .project import DbtProject
from .registry import (Event, LockHeld, ModelVersion, Registry, RetrainRun, actor, as_json, now,
                       trigger_ids)
from .tables import registry_schema, relation_name
from .warehouse import Warehouse, connected
from .windows import WindowError, WindowPlan, plan_windows

DEFAULT_CANDIDATE_DAYS = (7, 14, 30, 60)
INCIDENT_KINDS = ("data_quality", "volume", "schema")


@dataclass
class Runner:
    """What every command needs: the dbt project, its target and where artifacts go."""

    project: DbtProject
    artifacts_dir: Path | None = None
    echo: Callable[[str], None] = print
    monitors: list[Monitor] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.artifacts_dir = Path(self.artifacts_dir or self.project.project_dir / "driftline_artifacts").resolve()
        if not self.monitors:
            self.monitors = load_monitors(self.project.project_dir)

    def manifest(self) -> dict[str, Any]:
        return self.project.manifest()

    def connect(self):
        return connected(self.project.profile(), self.project.project_dir)

    def registry(self, warehouse: Warehouse) -> Registry:
        try:
            database, schema = registry_schema(self.manifest(), self.project.vars)
        except KeyError as error:
            raise ConfigError(error.args[0]) from error
        return Registry(warehouse, schema, database)

    def relation(self, model: str) -> str:
        return relation_name(self.manifest(), model)

    def monitor(self, name: str) -> Monitor:
        return get_monitor(self.monitors, name)


# ---------------------------------------------------------------------------
# Deciding whether to act
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    act: bool
    status: str  # initial | retrain | skipped | blocked
    reason: str
    as_of: pd.Timestamp | None
    trigger_reasons: str = ""
    trigger_alert_ids: tuple[str, ...] = ()
    incident_alert_ids: tuple[str, ...] = ()


def read_signal(runner: Runner, warehouse: Warehouse, monitor: Monitor) -> pd.Series | None:
    rows = warehouse.query(f"select * from {runner.relation('driftline_retrain_signals')} where monitor_name = ?",
                           [monitor.name])
    return rows.iloc[0] if len(rows) else None


def decide(monitor: Monitor, signal: pd.Series | None, registry: Registry, champion: ModelVersion | None,
           force: bool) -> Decision:
    """Turn the warehouse's signal into an action, adding what only the runner knows:
    alerts already acted on, and the cooldown after a declined attempt."""
    if monitor["retraining"] is None:
        return Decision(False, "skipped", "no retraining declared for this monitor", None)
    if signal is None:
        return Decision(False, "skipped", "no row in driftline_retrain_signals: run `dbt build` first", None)
    as_of = pd.Timestamp(signal["latest_window_end"])
    reasons = signal["reasons"] or ""
    alert_ids = tuple(trigger_ids(signal["drift_alert_ids"]) + trigger_ids(signal["performance_alert_ids"]))
    if champion is None:
        return Decision(True, "initial", "no champion yet: train and register the first model", as_of, reasons, alert_ids)
    if force:
        return Decision(True, "retrain", "forced (--force)", as_of, reasons or "manual", alert_ids)
    if bool(signal["is_blocked"]):
        incidents = trigger_ids(signal["incident_alert_ids"])
        return Decision(False, "blocked", f"{reasons} blocked by {signal['blockers']}"
                        + (f" ({len(incidents)} critical data alert(s) in the candidate window)" if incidents else ""),
                        as_of, reasons, alert_ids, tuple(incidents))
    if not bool(signal["should_retrain"]):
        return Decision(False, "skipped", "no reason to retrain in driftline_retrain_signals", as_of)
    if alert_ids and set(alert_ids) <= registry.consumed(monitor.name, alert_ids):
        return Decision(False, "skipped", "every triggering alert was already acted on by an earlier run",
                        as_of, reasons, alert_ids)
    last = registry.last_attempt(monitor.name)
    cooldown = timedelta(days=monitor["retraining"]["cooldown_days"])
    if last is not None and pd.Timestamp(last["as_of"]) + cooldown > as_of and "manual" not in reasons:
        return Decision(False, "skipped", f"cooldown: the last attempt ({last['status']}, run {last['run_id']}) "
                        f"is less than {monitor['retraining']['cooldown_days']} days old", as_of, reasons, alert_ids)
    return Decision(True, "retrain", f"signal: {reasons}", as_of, reasons, alert_ids)


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


def incident_windows(runner: Runner, warehouse: Warehouse, monitor: Monitor) -> list[pd.Timestamp]:
    """Windows flagged with a critical data-quality, volume or schema alert on the whole log
    (the same alerts that block a retrain in driftline_retrain_signals)."""
    marks = ", ".join("?" for _ in INCIDENT_KINDS)
    rows = warehouse.query(
        f"""select distinct window_start from {runner.relation('driftline_alerts')}
            where monitor_name = ? and kind in ({marks}) and severity = 'critical'
                and segment_name = '__all__' and statistic <> 'orphan_labels'
            order by window_start""", [monitor.name, *INCIDENT_KINDS])
    return [pd.Timestamp(w) for w in rows["window_start"]]


def coverage(warehouse: Warehouse, monitor: Monitor, as_of: pd.Timestamp) -> pd.DataFrame:
    frame = warehouse.query(coverage_sql(monitor, as_of, as_of, warehouse.dialect).sql)
    frame["window_start"] = pd.to_datetime(frame["window_start"])
    return frame


def extract(warehouse: Warehouse, monitor: Monitor, start, end, known_at, *, exclude=(), budget=None) -> pd.DataFrame:
    columns = [f.name for f in monitor.features]
    label_type = "double" if monitor.task == "regression" else "varchar"
    query = labelled_rows_sql(monitor, start, end, known_at, warehouse.dialect, columns=columns,
                              label_type=label_type, exclude_windows=exclude, row_budget=budget)
    rows = warehouse.query(query.sql)
    rows["window_start"] = pd.to_datetime(rows["window_start"])
    rows["event_at"] = pd.to_datetime(rows["event_at"])
    return rows.sort_values(["event_at", "prediction_id"], kind="stable", ignore_index=True)


def fingerprint(rows: pd.DataFrame, columns: list[str]) -> str:
    """sha256 over the training rows in a canonical order: same data, same fingerprint."""
    ordered = rows.sort_values("prediction_id", kind="stable")[["prediction_id", *columns, "label"]]
    hashed = pd.util.hash_pandas_object(ordered.astype(str), index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()


# ---------------------------------------------------------------------------
# Training strategies
# ---------------------------------------------------------------------------


@dataclass
class Challenger:
    model: Any
    rows: pd.DataFrame
    fitted: train.Fitted
    window_days: int
    details: dict[str, Any]


def _train_rows(monitor: Monitor, rows: pd.DataFrame, plan: WindowPlan, model_factory: Callable[[], Any],
                weights: bool) -> train.Fitted:
    X, cleaned = train.feature_frame(monitor, rows)
    y = train.target(monitor, rows)
    retraining = monitor["retraining"]
    sample_weight = None
    if weights:
        sample_weight = train.decay_weights(rows["event_at"], plan.training_end, float(retraining["half_life_days"] or 7.0))
    fitted = train.fit(model_factory(), X, y, sample_weight)
    fitted.cleaned = cleaned  # type: ignore[attr-defined]
    return fitted


def train_challenger(monitor: Monitor, rows: pd.DataFrame, plan: WindowPlan, champion_model: Any | None,
                     champion: ModelVersion | None, metric: str) -> Challenger:
    """Fit a challenger on `rows` (which span the widest candidate window before the holdout)."""
    retraining = monitor["retraining"]
    strategy = retraining["window_strategy"]
    factory = lambda: train.new_estimator(retraining["estimator"])  # noqa: E731
    window_days = int(retraining["window_days"])
    details: dict[str, Any] = {"strategy": strategy}

    if strategy == "dynamic":
        window_days, details["candidates"] = choose_window(monitor, rows, plan, factory, metric)
    span = rows[rows["event_at"] >= plan.training_end - pd.Timedelta(days=window_days)]

    if strategy == "incremental" and champion_model is not None and champion is not None:
        new_rows = span[span["event_at"] >= pd.Timestamp(champion.training_end)]
        X, cleaned = train.feature_frame(monitor, new_rows)
        fitted = train.continue_training(champion_model, X, train.target(monitor, new_rows))
        details.update(method=fitted.method, parent=champion.model_version, cleaned_infinities=cleaned)
        return Challenger(fitted.estimator, new_rows, fitted, window_days, details)

    fitted = _train_rows(monitor, span, plan, factory, weights=(strategy == "decay"))
    details.update(method=fitted.method, cleaned_infinities=getattr(fitted, "cleaned", {}))
    if strategy == "decay":
        details["half_life_days"] = float(retraining["half_life_days"] or 7.0)
    return Challenger(fitted.estimator, span, fitted, window_days, details)


def choose_window(monitor: Monitor, rows: pd.DataFrame, plan: WindowPlan, factory, metric: str) -> tuple[int, dict]:
    """Score each candidate length on a validation slice just before the holdout (as long as
    the holdout), training on the span before that slice; the best length wins."""
    candidates = sorted(set(monitor["retraining"]["candidate_window_days"] or DEFAULT_CANDIDATE_DAYS))
    validation_span = plan.holdout_end - plan.holdout_start
    validation_start = plan.training_end - validation_span
    validation = rows[rows["event_at"] >= validation_start]
    if validation.empty:
        raise WindowError("dynamic window: no labelled rows in the validation slice before the holdout")
    X_val = train.feature_frame(monitor, validation)[0]
    y_val = train.target(monitor, validation)
    scores: dict[str, float | None] = {}
    best: tuple[float, int] | None = None
    for days in candidates:
        part = rows[(rows["event_at"] >= validation_start - pd.Timedelta(days=days)) & (rows["event_at"] < validation_start)]
        if part.empty or (monitor.task != "regression" and part["label"].nunique() < 2):
            scores[str(days)] = None
            continue
        fitted = _train_rows(monitor, part, plan, factory, weights=False)
        result = compare(y_val, train.predict(monitor, fitted.estimator, X_val), None, task=monitor.task,
                         metric=metric, positive_label=str(monitor["positive_label"]), resamples=1)
        value = result.challenger_metric if result.challenger_metric == result.challenger_metric else None
        scores[str(days)] = value
        if value is not None:
            signed = value if metric not in ("log_loss", "brier", "mae", "rmse") else -value
            if best is None or signed > best[0]:
                best = (signed, days)
    if best is None:
        raise WindowError("dynamic window: no candidate length had enough labelled rows to score")
    return best[1], {"validation_start": str(validation_start), "scores": scores, "chosen_days": best[1]}


# ---------------------------------------------------------------------------
# One monitor
# ---------------------------------------------------------------------------


@dataclass
class Outcome:
    monitor: str
    run: RetrainRun | None
    decision: Decision
    comparison: Comparison | None = None
    plan: WindowPlan | None = None

    @property
    def status(self) -> str:
        return self.run.status if self.run is not None else self.decision.status

    def describe(self) -> str:
        reason = self.run.reason if self.run is not None else self.decision.reason
        text = f"{self.monitor}: {self.status}: {reason}"
        if self.plan is not None:
            text += f"\n    {self.plan.describe()}"
        return text


def retrain_monitor(runner: Runner, monitor: Monitor, *, dry_run: bool = False, force: bool = False) -> Outcome:
    started = time.perf_counter()
    run = RetrainRun(run_id=uuid.uuid4().hex[:16], monitor_name=monitor.name, started_at=now(), actor=actor())
    with runner.connect() as warehouse:
        registry = runner.registry(warehouse)
        if not dry_run:
            registry.ensure_tables()
        champion = registry.champion(monitor.name)
        decision = decide(monitor, read_signal(runner, warehouse, monitor), registry, champion, force)
        run.as_of = decision.as_of.to_pydatetime() if decision.as_of is not None else None
        run.trigger_reasons, run.trigger_alert_ids = decision.trigger_reasons, as_json(list(decision.trigger_alert_ids))
        if not decision.act:
            if decision.status == "blocked" and not dry_run:
                run.status, run.reason, run.finished_at = "blocked", decision.reason, now()
                run.details = as_json({"incident_alert_ids": list(decision.incident_alert_ids)})
                registry.record(run)
                return Outcome(monitor.name, run, decision)
            return Outcome(monitor.name, None, decision)
        if dry_run:
            plan = _plan(warehouse, runner, monitor, decision.as_of)
            return Outcome(monitor.name, None, replace(decision, reason=f"would {decision.status}: {decision.reason}"),
                           plan=plan)
        try:
            replaced = registry.acquire_lock(monitor.name, run.run_id)
        except LockHeld as error:
            run.status, run.reason, run.finished_at = "skipped", str(error), now()
            registry.record(run)
            return Outcome(monitor.name, run, decision)
    if replaced:
        runner.echo(f"{monitor.name}: took over the lock of run {replaced}, whose process is gone")
    try:
        return _retrain_locked(runner, monitor, run, decision, champion, started)
    finally:
        with runner.connect() as warehouse:
            runner.registry(warehouse).release_lock(monitor.name, run.run_id)


def _plan(warehouse: Warehouse, runner: Runner, monitor: Monitor, as_of: pd.Timestamp) -> WindowPlan:
    labels, retraining = monitor["labels"], monitor["retraining"]
    incidents = incident_windows(runner, warehouse, monitor)
    longest = int(retraining["window_days"])
    if retraining["window_strategy"] == "dynamic":
        longest = max(retraining["candidate_window_days"] or DEFAULT_CANDIDATE_DAYS)
    return plan_windows(
        coverage(warehouse, monitor, as_of), as_of=as_of, unit=monitor.window, horizon_days=labels["horizon_days"],
        mature_coverage=labels["mature_coverage"], holdout_windows=retraining["holdout_windows"],
        training_days=longest, incident_windows=incidents)


def _retrain_locked(runner: Runner, monitor: Monitor, run: RetrainRun, decision: Decision,
                    champion: ModelVersion | None, started: float) -> Outcome:
    retraining = monitor["retraining"]
    strategy = retraining["window_strategy"]
    run.window_strategy = strategy
    comparison = plan = None
    version = None
    events: list[Event] = []
    try:
        metric = primary_metric(monitor.task, retraining["promotion_metric"])
        run.metric_name = metric
        with runner.connect() as warehouse, step(f"{monitor.name}: plan and extract") as progress:
            plan = _plan(warehouse, runner, monitor, decision.as_of)
            blocked = [w for w in plan.excluded_windows]
            if blocked and strategy not in ("representative",):
                days = ", ".join(f"{w:%Y-%m-%d}" for w in blocked)
                raise _Blocked(f"the training span holds data-incident windows ({days}); window_strategy "
                               f"'{strategy}' trains on every window, so this retrain is blocked (use "
                               "'representative' to leave such windows out, or fix the data)")
            rows = extract(warehouse, monitor, plan.training_start, plan.training_end, plan.as_of,
                           exclude=plan.excluded_windows, budget=None)
            if len(rows) > retraining["max_training_rows"]:
                rows = extract(warehouse, monitor, plan.training_start, plan.training_end, plan.as_of,
                               exclude=plan.excluded_windows, budget=retraining["max_training_rows"])
            holdout = extract(warehouse, monitor, plan.holdout_start, plan.holdout_end, plan.as_of)
            holdout = holdout[holdout["window_start"].isin(plan.holdout_windows)]
            progress.detail = f"{len(rows):,} training rows, {len(holdout):,} holdout rows; {plan.describe()}"
        if rows.empty:
            raise _Blocked(f"no labelled rows in the training span [{plan.training_start}, {plan.training_end})")
        champion_model = None
        if champion is not None:
            champion_model = artifacts.load(champion.artifact_uri, champion.artifact_sha256)

        with step(f"{monitor.name}: train the challenger ({strategy})"):
            challenger = train_challenger(monitor, rows, plan, champion_model, champion, metric)
        run.training_seconds = challenger.fitted.seconds
        run.training_rows = len(challenger.rows)
        run.training_start = challenger.rows["event_at"].min().floor("D") if strategy == "incremental" else \
            (plan.training_end - pd.Timedelta(days=challenger.window_days)).to_pydatetime()
        run.training_end = plan.training_end.to_pydatetime()
        run.holdout_start, run.holdout_end = plan.holdout_start.to_pydatetime(), plan.holdout_end.to_pydatetime()
        run.holdout_rows = len(holdout)

        X_hold = train.feature_frame(monitor, holdout)[0]
        y_hold = train.target(monitor, holdout)
        positive = str(monitor["positive_label"])
        challenger_predictions = train.predict(monitor, challenger.model, X_hold)
        champion_predictions = train.predict(monitor, champion_model, X_hold) if champion_model is not None else None
        with step(f"{monitor.name}: compare with the champion on the holdout"):
            comparison = compare(y_hold, challenger_predictions, champion_predictions, task=monitor.task,
                                 metric=metric, positive_label=positive, confidence=retraining["confidence"],
                                 min_improvement=retraining["min_improvement"], seed=_seed(run.run_id))
        run.champion_version = champion.model_version if champion else None
        run.champion_metric, run.challenger_metric = comparison.champion_metric, comparison.challenger_metric
        run.improvement, run.improvement_low, run.improvement_high = (
            comparison.improvement, comparison.improvement_low, comparison.improvement_high)
        run.test_name, run.p_value = comparison.test_name, comparison.p_value

        with runner.connect() as warehouse:
            registry = runner.registry(warehouse)
            number = registry.next_version_number(monitor.name)
        path, sha = artifacts.save(challenger.model, runner.artifacts_dir, monitor.name, run.run_id)
        version = ModelVersion(
            monitor_name=monitor.name, model_version=f"v{number}", version_number=number, created_at=now(), trained_as_of=run.as_of,
            training_start=run.training_start, training_end=run.training_end, training_rows=run.training_rows,
            window_strategy=strategy, data_fingerprint=fingerprint(challenger.rows, [f.name for f in monitor.features]),
            estimator=retraining["estimator"], estimator_params=train.estimator_params(challenger.model),
            holdout_start=run.holdout_start, holdout_end=run.holdout_end, holdout_rows=run.holdout_rows,
            metric_name=metric, holdout_metric=comparison.challenger_metric,
            holdout_metric_low=comparison.challenger_low, holdout_metric_high=comparison.challenger_high,
            parent_version=champion.model_version if champion else None,
            trigger_alert_ids=run.trigger_alert_ids, artifact_uri=str(path), artifact_sha256=sha, run_id=run.run_id)
        run.challenger_version = version.model_version
        run.details = as_json({**challenger.details, "plan": plan.describe(),
                               "excluded_windows": [str(w) for w in plan.excluded_windows]})
        run.reason = comparison.reason
        if champion is None:
            run.status = "initial"
            events = [Event(monitor.name, version.model_version, "champion", "first model", run.run_id)]
        elif comparison.promote:
            run.status = "promoted"
            events = [Event(monitor.name, champion.model_version, "archived",
                            f"replaced by {version.model_version}", run.run_id),
                      Event(monitor.name, version.model_version, "champion", comparison.reason, run.run_id)]
        else:
            run.status = "declined"
            events = [Event(monitor.name, version.model_version, "challenger", comparison.reason, run.run_id)]
    except _Blocked as error:
        run.status, run.reason = "blocked", str(error)
    except (train.TrainingError, EvaluationError, WindowError, artifacts.ArtifactError, ValueError) as error:
        run.status, run.reason, run.error = "failed", str(error), traceback.format_exc(limit=3)
        version, events = None, []
    run.finished_at = now()
    run.total_seconds = time.perf_counter() - started
    consumed = list(decision.trigger_alert_ids) if run.status in ("initial", "promoted", "declined") else []
    with runner.connect() as warehouse:
        runner.registry(warehouse).record(run, version, events, consumed)
    return Outcome(monitor.name, run, decision, comparison, plan)


class _Blocked(Exception):
    """A data gate refused the retrain: recorded as 'blocked', not as a failure."""


def _seed(run_id: str) -> int:
    return int(run_id[:8], 16)


def retrain(runner: Runner, monitor: str | None = None, *, dry_run: bool = False, force: bool = False) -> list[Outcome]:
    monitors = [runner.monitor(monitor)] if monitor else runner.monitors
    return [retrain_monitor(runner, m, dry_run=dry_run, force=force) for m in monitors]
