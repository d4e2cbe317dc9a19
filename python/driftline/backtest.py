"""`driftline backtest`: replay a monitor's labelled history to choose a retraining policy.

The warehouse is read once: every prediction (latest logged row per id) with its features,
every label delivery with its `labelled_at` (revisions included), the stored per-window
fine-bin profiles (`driftline_window_profiles`) and the data-incident windows
(`driftline_alerts`). Everything after that runs in memory.

Time moves window by window. At the start of window s ("now" = the end of window s-1) each
policy looks only at what was known then:

* labels: a row counts as labelled when a delivery with `labelled_at <= now` exists, and its
  label is the latest such delivery (revisions arriving later are invisible), exactly the
  rule of `extract.labelled_rows_sql(..., known_at=now)`;
* drift: window s-1 against the simulated champion's training window, both summed from the
  stored window profiles (see `DriftEngine`);
* performance: the primary metric of the model that served the latest window mature at now,
  on the labels known at now.

A retrain attempt runs the runner's own code: `windows.plan_windows` (holdout = latest mature
windows, training ends where the holdout starts, incident windows excluded or blocking),
`retrain.train_challenger` (the declared window strategy) and `evaluate.compare` (declared
metric, margin and confidence); the champion changes only when `compare` says promote.

What is *reported* for window s is the metric of the model in production during s on the
labels eventually known (the latest delivery in the warehouse): an evaluation, never an input
to a decision.
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
import sqlglot
from sqlglot import exp

from . import train
from .config import ConfigError, Monitor
from .evaluate import (EvaluationError, Predictions, compare, higher_is_better, metric_function,
                       primary_metric)
from .extract import TRUNC_UNIT, ident, render, table
from .retrain import DEFAULT_CANDIDATE_DAYS, INCIDENT_KINDS, train_challenger
from .tables import package_setting, relation_name
from .warehouse import Warehouse
from .windows import UNIT_OFFSET, WindowError, plan_windows, window_floor

POLICY_KINDS = ("never", "periodic", "drift", "performance", "hybrid")
STRATEGIES = ("fixed", "dynamic", "representative", "decay", "incremental")
DEFAULT_POLICIES = ("never", "periodic:7", "periodic:30", "drift", "performance", "hybrid:30")
BASELINES = ("baseline_majority", "baseline_previous_label")
DEFAULT_THRESHOLDS = {"psi": (0.1, 0.25), "js_distance": (0.1, 0.2)}
PERFORMANCE_DROP_CRITICAL = 0.1  # the dbt package's critical drop from the reference windows' mean
PSI_EPSILON = 1e-4


class BacktestError(ValueError):
    """A backtest that cannot run: the message says what is missing."""


# ---------------------------------------------------------------------------
# Policies
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """`never`, `periodic:K` (every K windows), `drift`, `performance`, `hybrid:K` (every K
    windows, or earlier on a drift or performance trigger)."""

    kind: str
    every: int | None = None

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.every}" if self.every else self.kind

    @classmethod
    def parse(cls, text: str) -> "Policy":
        kind, _, every = text.strip().partition(":")
        if kind not in POLICY_KINDS:
            raise BacktestError(f"unknown policy '{text}' (choose from never, periodic:K, drift, performance, hybrid:K)")
        if kind in ("periodic", "hybrid"):
            if not every.isdigit() or int(every) < 1:
                raise BacktestError(f"policy '{text}' needs a positive number of windows, e.g. {kind}:30")
            return cls(kind, int(every))
        if every:
            raise BacktestError(f"policy '{kind}' takes no number (got '{text}')")
        return cls(kind)

    @property
    def uses_drift(self) -> bool:
        return self.kind in ("drift", "hybrid")

    @property
    def uses_performance(self) -> bool:
        return self.kind in ("performance", "hybrid")


@dataclass
class BacktestConfig:
    policies: Sequence[str] = DEFAULT_POLICIES
    strategies: Sequence[str] | None = None  # default: the monitor's declared strategy
    max_retrains: int | None = None
    decay: bool = True
    decay_window_days: Sequence[int] | None = None  # default: candidate_window_days or (7, 14, 30, 60)
    decay_origins: int = 12
    decay_max_age: int = 30  # windows
    top_k_categories: int = 20
    start: pd.Timestamp | None = None  # earliest moment to train the first model
    bootstrap_resamples: int = 1000
    on_train: Callable[[pd.DataFrame, pd.Timestamp], None] | None = None  # instrumentation hook (tests)


# ---------------------------------------------------------------------------
# Extraction: once
# ---------------------------------------------------------------------------

_ROWS = """
with log as (
    select
        l.:id_column as prediction_id,
        l.:time_column as event_at,
        row_number() over (partition by l.:id_column order by l.:time_column desc) as id_rank
    from :log_relation as l
)
select log.*, date_trunc(:unit, log.event_at) as window_start
from log
where log.id_rank = 1
"""

_DELIVERIES = """
select
    cast(o.:label_id_column as varchar) as prediction_id,
    :label_value as label,
    o.:labelled_at_column as labelled_at
from :label_relation as o
where o.:labelled_at_column is not null
"""


def rows_sql(monitor: Monitor, dialect: str) -> str:
    d = monitor.declaration
    tree = render(_ROWS, dialect,
                   extra_columns=[exp.column(ident(f.name), table="l").as_(ident(f.name)) for f in monitor.features],
                   id_column=ident(d["id_column"]), time_column=ident(d["event_time_column"]),
                   log_relation=table(monitor.relation), unit=exp.Literal.string(TRUNC_UNIT[d["window"]]))
    return tree.sql(dialect=dialect)


def deliveries_sql(monitor: Monitor, dialect: str) -> str:
    labels = monitor.declaration["labels"]
    label_type = "double" if monitor.task == "regression" else "varchar"
    tree = exp.replace_placeholders(
        sqlglot.parse_one(_DELIVERIES, read="duckdb"),
        label_id_column=ident(labels["id_column"]), labelled_at_column=ident(labels["labelled_at_column"]),
        label_relation=table(monitor.label_relation),
        label_value=exp.cast(exp.column(ident(labels["label_column"]), table="o"), label_type))
    return tree.sql(dialect=dialect)


@dataclass
class History:
    """A monitor's whole labelled history in memory, with every label revision."""

    monitor: Monitor
    windows: pd.DatetimeIndex  # contiguous windows from the first prediction's to the last one's
    rows: pd.DataFrame  # one row per prediction, sorted by event_at: prediction_id, event_at, window_start, features
    row_window: np.ndarray  # window index of each row
    window_bounds: np.ndarray  # rows of window w are [window_bounds[w], window_bounds[w + 1])
    delivery_row: np.ndarray  # deliveries sorted by (row, labelled_at)
    delivery_at: np.ndarray  # datetime64[ns]
    delivery_label: np.ndarray  # object (str or None) or float (regression)
    delivery_bounds: np.ndarray  # deliveries of row i are [delivery_bounds[i], delivery_bounds[i + 1])
    first_labelled_at: np.ndarray  # first non-null delivery per row (NaT-free: max datetime when none)
    final_label: np.ndarray  # latest delivery per row (None / NaN when none or null)
    incidents: tuple[pd.Timestamp, ...] = ()
    profiles: pd.DataFrame | None = None  # __all__ slice: w, feature_name, feature_kind, bin_index, category, n_rows, n_finite
    dbt_reference: tuple[pd.Timestamp, pd.Timestamp] | None = None
    X: pd.DataFrame | None = None  # feature frame of every row, as the estimator sees it
    delivery_present: np.ndarray | None = None  # the delivery carries a non-null label

    @property
    def n_windows(self) -> int:
        return len(self.windows)

    def window_index(self, when: pd.Timestamp) -> int:
        """Index of the first window starting at or after `when`."""
        return int(self.windows.searchsorted(pd.Timestamp(when), side="left"))

    def window_end(self, w: int) -> pd.Timestamp:
        return self.windows[w] + UNIT_OFFSET[self.monitor.window]

    def labels_known(self, lo: int, hi: int, known_at: pd.Timestamp) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows in [lo, hi) with a non-null label known at `known_at`: (row index, label, labelled_at).

        The latest delivery with labelled_at <= known_at wins; a null latest delivery means unlabelled."""
        d0, d1 = self.delivery_bounds[lo], self.delivery_bounds[hi]
        at = self.delivery_at[d0:d1]
        known = at <= np.datetime64(pd.Timestamp(known_at).to_datetime64(), "ns")
        rows = self.delivery_row[d0:d1][known]
        if rows.size == 0:
            empty = np.array([], dtype=np.int64)
            return empty, self.delivery_label[:0], at[:0]
        last = np.r_[rows[1:] != rows[:-1], True]
        labels = self.delivery_label[d0:d1][known][last]
        stamps = at[known][last]
        rows = rows[last]
        present = self.delivery_present[d0:d1][known][last]
        return rows[present], labels[present], stamps[present]

    def labelled(self, start: pd.Timestamp, end: pd.Timestamp, known_at: pd.Timestamp,
                 exclude: Sequence[pd.Timestamp] = ()) -> pd.DataFrame:
        """What `retrain.extract(warehouse, monitor, start, end, known_at, exclude=...)` returns, from memory."""
        event = self.rows["event_at"].to_numpy()
        lo = int(np.searchsorted(event, np.datetime64(pd.Timestamp(start).to_datetime64(), "ns"), side="left"))
        hi = int(np.searchsorted(event, np.datetime64(pd.Timestamp(end).to_datetime64(), "ns"), side="left"))
        index, labels, stamps = self.labels_known(lo, hi, known_at)
        frame = self.rows.iloc[index].copy()
        frame["label"] = labels
        frame["labelled_at"] = pd.to_datetime(stamps)
        if len(exclude):
            frame = frame[~frame["window_start"].isin(list(exclude))]
        return frame

    def coverage(self, known_at: pd.Timestamp, before: int) -> pd.DataFrame:
        """Per window < `before` with predictions: n_predictions and n_labelled by `known_at` (as `coverage_sql`)."""
        n_pred = np.diff(self.window_bounds[: before + 1])
        stop = self.window_bounds[before]
        labelled = self.first_labelled_at[:stop] <= np.datetime64(pd.Timestamp(known_at).to_datetime64(), "ns")
        n_lab = np.bincount(self.row_window[:stop][labelled], minlength=before)[:before]
        keep = n_pred > 0
        return pd.DataFrame({"window_start": self.windows[:before][keep], "n_predictions": n_pred[keep],
                             "n_labelled": n_lab[keep]})


def load_history(warehouse: Warehouse, manifest: dict[str, Any], monitor: Monitor) -> History:
    """Read everything the backtest needs from the warehouse, once."""
    if monitor.label_relation is None:
        raise BacktestError(f"monitor '{monitor.name}' declares no labels: there is nothing to backtest against")
    rows = warehouse.query(rows_sql(monitor, warehouse.dialect))
    deliveries = warehouse.query(deliveries_sql(monitor, warehouse.dialect))
    profiles = incidents = reference = None
    try:
        profiles, reference = _read_profiles(warehouse, manifest, monitor)
        incidents = _read_incidents(warehouse, manifest, monitor)
    except KeyError as error:
        raise BacktestError(f"driftline's tables are missing ({error}): run `dbt build` first") from error
    return build_history(monitor, rows, deliveries, profiles=profiles, incidents=incidents, dbt_reference=reference)


def _read_profiles(warehouse: Warehouse, manifest: dict[str, Any], monitor: Monitor):
    references = warehouse.query(
        f"select reference_id, reference_start, reference_end from {relation_name(manifest, 'int_driftline__references')} "
        "where monitor_name = ?", [monitor.name])
    if references.empty:
        return None, None
    reference = references.iloc[0]
    profiles = warehouse.query(
        f"""select window_start, feature_name, feature_kind, bin_index, category, n_rows, n_finite
            from {relation_name(manifest, 'driftline_window_profiles')}
            where monitor_name = ? and reference_id = ? and segment_name = '__all__' and feature_role = 'feature'
                and (feature_kind = 'categorical' or bin_index is not null)""",  # not the numeric moments rows
        [monitor.name, reference["reference_id"]])
    return profiles, (pd.Timestamp(reference["reference_start"]), pd.Timestamp(reference["reference_end"]))


def _read_incidents(warehouse: Warehouse, manifest: dict[str, Any], monitor: Monitor) -> list[pd.Timestamp]:
    marks = ", ".join("?" for _ in INCIDENT_KINDS)
    rows = warehouse.query(
        f"""select distinct window_start from {relation_name(manifest, 'driftline_alerts')}
            where monitor_name = ? and kind in ({marks}) and severity = 'critical'
                and segment_name = '__all__' and statistic <> 'orphan_labels'
            order by window_start""", [monitor.name, *INCIDENT_KINDS])
    return [pd.Timestamp(w) for w in rows["window_start"]]


def build_history(monitor: Monitor, rows: pd.DataFrame, deliveries: pd.DataFrame, *, profiles: pd.DataFrame | None = None,
                  incidents: Sequence[pd.Timestamp] | None = None,
                  dbt_reference: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> History:
    """Index extracted frames for fast as-of lookups (pure: tests feed frames directly)."""
    if rows.empty:
        raise BacktestError(f"monitor '{monitor.name}' has no predictions")
    unit = monitor.window
    rows = rows.drop(columns=[c for c in ("id_rank",) if c in rows]).copy()
    rows["event_at"] = pd.to_datetime(rows["event_at"]).astype("datetime64[ns]")
    rows["window_start"] = window_floor(rows["event_at"], unit).astype("datetime64[ns]").to_numpy()
    rows["prediction_id"] = rows["prediction_id"].astype(str)
    rows = rows.sort_values(["event_at", "prediction_id"], kind="stable", ignore_index=True)
    first, last = rows["window_start"].iloc[0], rows["window_start"].iloc[-1]
    freq = {"hour": "h", "day": "D", "week": "7D", "month": "MS"}[unit]
    windows = pd.date_range(first, last, freq=freq)
    row_window = windows.searchsorted(rows["window_start"]).astype(np.int64)
    window_bounds = np.searchsorted(row_window, np.arange(len(windows) + 1), side="left")

    position = pd.Series(np.arange(len(rows)), index=rows["prediction_id"].to_numpy())
    deliveries = deliveries.copy()
    deliveries["row"] = position.reindex(deliveries["prediction_id"].astype(str).to_numpy()).to_numpy()
    deliveries = deliveries[deliveries["row"].notna()]  # orphans match no prediction
    deliveries["row"] = deliveries["row"].astype(np.int64)
    deliveries["labelled_at"] = pd.to_datetime(deliveries["labelled_at"]).astype("datetime64[ns]")
    deliveries = deliveries.sort_values(["row", "labelled_at"], kind="stable", ignore_index=True)
    d_row = deliveries["row"].to_numpy()
    d_at = deliveries["labelled_at"].to_numpy()
    if monitor.task == "regression":
        d_label = pd.to_numeric(deliveries["label"], errors="coerce").to_numpy(dtype=float)
    else:
        d_label = deliveries["label"].astype(object).where(deliveries["label"].notna(), None).to_numpy(dtype=object)
    d_bounds = np.searchsorted(d_row, np.arange(len(rows) + 1), side="left")

    never = np.datetime64("2262-01-01", "ns")
    nonnull = ~pd.isna(d_label)
    first_at = np.full(len(rows), never, dtype="datetime64[ns]")
    if nonnull.any():
        firsts = pd.Series(d_at[nonnull]).groupby(d_row[nonnull]).min()
        first_at[firsts.index.to_numpy()] = firsts.to_numpy()
    final = np.full(len(rows), np.nan if monitor.task == "regression" else None,
                    dtype=float if monitor.task == "regression" else object)
    if len(d_row):
        is_last = np.r_[d_row[1:] != d_row[:-1], True]
        final[d_row[is_last]] = d_label[is_last]

    if profiles is not None and len(profiles):
        profiles = profiles.copy()
        profiles["window_start"] = pd.to_datetime(profiles["window_start"])
        profiles["w"] = windows.searchsorted(profiles["window_start"])
        profiles = profiles[profiles["w"] < len(windows)]
    history = History(monitor, windows, rows, row_window, window_bounds, d_row, d_at, d_label, d_bounds, first_at,
                      final, tuple(pd.Timestamp(w) for w in (incidents or ())), profiles, dbt_reference)
    history.X = train.feature_frame(monitor, rows)[0]
    history.delivery_present = nonnull
    return history


# ---------------------------------------------------------------------------
# Drift from stored window profiles
# ---------------------------------------------------------------------------


class DriftEngine:
    """PSI and JS distance of every window against a simulated reference, from stored profiles.

    A reference is a span of windows [a, b) (the simulated champion's training window). Its
    profile is the sum of the stored `driftline_window_profiles` rows of those windows (the
    `__all__` slice), which are mergeable. Bins follow the dbt definitions:

    * numeric: the stored fine bins (about 1,000 quantile bins of the *dbt* reference, plus
      below-minimum, at-minimum, above-maximum and NULL) are merged into decile bins of the
      simulated reference. Decile p is the fine bin holding the value of rank ceil(p·n/100)
      among the reference's finite values; PSI bin of a fine bin j = #{decile bins < j}; NULL
      is its own bin. When the simulated reference is the dbt reference, the deciles are dbt
      edges and fine-bin upper bounds, and this gives exactly dbt's PSI bins (tested), so PSI
      and JS equal `driftline_feature_drift`. Otherwise the decile edges are rounded up to the
      fine-bin grid of the dbt reference (at most one fine bin, about 0.1 % of dbt-reference
      mass; coarser in the tails outside the dbt reference's range).
    * categorical: the simulated reference's top-K categories (by count, ties by name), then
      `__other__`, `__unseen__` and NULL, as dbt does.

    PSI (ε = 1e-4, renormalised) and JS (base 2, raw shares) use dbt's formulas. A window is
    judged only with at least `min_window_rows` rows; a feature breaches when PSI or JS reaches
    its warn threshold, is critical at the critical threshold, and `drift_sustained` holds for
    a window when some feature/statistic is critical there after at least `sustained_windows`
    consecutive breaching windows, the dbt rule. KS, Wasserstein, segment slices and the
    model-output columns are not replayed (the replayed models' scores are not in the profiles).
    """

    def __init__(self, history: History, top_k: int = 20):
        monitor = history.monitor
        thresholds = monitor["thresholds"] or {}
        self.n_windows = history.n_windows
        self.min_rows = int(thresholds.get("min_window_rows") or 0)
        self.sustained = int(thresholds.get("sustained_windows") or 3)
        self.top_k = top_k
        self.features: dict[str, dict[str, Any]] = {}
        self._cache: dict[tuple[int, int], np.ndarray] = {}
        profiles = history.profiles
        if profiles is None or profiles.empty:
            return
        overrides = thresholds.get("features") or {}
        base = thresholds.get("statistics") or {}
        for feature in monitor.features:
            part = profiles[profiles["feature_name"] == feature.name]
            if part.empty:
                continue
            w = part["w"].to_numpy(dtype=np.int64)
            if feature.kind == "numeric":
                key = part["bin_index"].to_numpy(dtype=np.int64) + 1  # NULL (-1) -> 0
                names = None
            else:
                category = part["category"].astype(object).where(part["category"].notna(), None)
                names = sorted({c for c in category if c is not None})
                codes = {c: i + 1 for i, c in enumerate(names)}
                key = np.array([0 if c is None else codes[c] for c in category], dtype=np.int64)
            n_keys = int(key.max()) + 1
            n_rows = part["n_rows"].to_numpy(dtype=float)
            n_finite = part["n_finite"].fillna(0).to_numpy(dtype=float) if feature.kind == "numeric" else n_rows
            limits = {}
            for stat, (warn, critical) in DEFAULT_THRESHOLDS.items():
                chosen = dict(base.get(stat) or {})
                chosen.update((overrides.get(feature.name) or {}).get(stat) or {})
                limits[stat] = (float(chosen.get("warn", warn)), float(chosen.get("critical", critical)))
            self.features[feature.name] = dict(
                kind=feature.kind, w=w, key=key, n_keys=n_keys, n_rows=n_rows, n_finite=n_finite, names=names,
                n_cur=np.bincount(w, weights=n_rows, minlength=self.n_windows), limits=limits)

    def bins(self, feature: str, a: int, b: int) -> tuple[np.ndarray, int] | None:
        """key -> PSI bin for the reference span [a, b), and the number of PSI bins; None if empty."""
        f = self.features[feature]
        inside = (f["w"] >= a) & (f["w"] < b)
        counts = np.bincount(f["key"][inside], weights=f["n_rows"][inside], minlength=f["n_keys"])
        if counts.sum() <= 0:
            return None
        mapping = np.zeros(f["n_keys"], dtype=np.int64)
        if f["kind"] == "numeric":
            finite = np.bincount(f["key"][inside], weights=f["n_finite"][inside], minlength=f["n_keys"])[1:]
            n = int(round(finite.sum()))
            cumulative = np.cumsum(finite)
            if n > 0:
                ranks = [-(-p * n // 100) for p in range(10, 100, 10)]
                deciles = np.unique(np.searchsorted(cumulative, np.array(ranks, dtype=float) - 0.5, side="left"))
            else:
                deciles = np.array([], dtype=np.int64)
            fine = np.arange(f["n_keys"] - 1)
            mapping[1:] = np.searchsorted(deciles, fine, side="left")  # #{decile bins < j}
            n_psi = len(deciles) + 2
            mapping[0] = n_psi - 1  # NULL bin
            return mapping, n_psi
        present = counts[1:]
        order = sorted((i for i in range(len(present)) if present[i] > 0), key=lambda i: (-present[i], f["names"][i]))
        top = order[: self.top_k]
        k = len(top)
        mapping[1:] = k + 1  # unseen
        for i in order[self.top_k:]:
            mapping[i + 1] = k  # other
        for rank, i in enumerate(top):
            mapping[i + 1] = rank
        mapping[0] = k + 2  # NULL
        return mapping, k + 3

    def statistics(self, feature: str, a: int, b: int) -> dict[str, np.ndarray]:
        """PSI and JS distance of every window against the reference span [a, b) (NaN without data)."""
        f = self.features[feature]
        nan = np.full(self.n_windows, np.nan)
        grid = self.bins(feature, a, b)
        if grid is None:
            return {"psi": nan, "js_distance": nan.copy()}
        mapping, n_psi = grid
        cells = np.bincount(f["w"] * n_psi + mapping[f["key"]], weights=f["n_rows"], minlength=self.n_windows * n_psi)
        current = cells.reshape(self.n_windows, n_psi)
        inside = (f["w"] >= a) & (f["w"] < b)
        reference = np.bincount(mapping[f["key"][inside]], weights=f["n_rows"][inside], minlength=n_psi)
        p_ref = reference / reference.sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            p_cur = current / current.sum(axis=1, keepdims=True)
            q_ref = np.where(p_ref > 0, p_ref, PSI_EPSILON)
            q_ref = q_ref / q_ref.sum()
            q_cur = np.where(p_cur > 0, p_cur, PSI_EPSILON)
            q_cur = q_cur / q_cur.sum(axis=1, keepdims=True)
            psi = ((q_cur - q_ref) * np.log(q_cur / q_ref)).sum(axis=1)
            mix = p_ref + p_cur
            js = 0.5 * np.where(p_ref > 0, p_ref * np.log(2 * p_ref / mix), 0.0).sum(axis=1) \
                + 0.5 * np.where(p_cur > 0, p_cur * np.log(2 * p_cur / mix), 0.0).sum(axis=1)
            js = np.sqrt(np.maximum(js, 0.0) / math.log(2))
        empty = f["n_cur"] <= 0
        psi[empty], js[empty] = np.nan, np.nan
        return {"psi": psi, "js_distance": js}

    def sustained_drift(self, a: int, b: int) -> np.ndarray:
        """Per window: does `drift_sustained` hold there against the reference span [a, b)?"""
        if (a, b) in self._cache:
            return self._cache[(a, b)]
        result = np.zeros(self.n_windows, dtype=bool)
        index = np.arange(self.n_windows)
        for name, f in self.features.items():
            judged = f["n_cur"] >= max(self.min_rows, 1)
            for stat, values in self.statistics(name, a, b).items():
                warn, critical = f["limits"][stat]
                breach = judged & (np.nan_to_num(values, nan=-1.0) >= warn)
                last_gap = np.maximum.accumulate(np.where(breach, -1, index))
                streak = index - last_gap
                result |= judged & (np.nan_to_num(values, nan=-1.0) >= critical) & (streak >= self.sustained)
        self._cache[(a, b)] = result
        return result


# ---------------------------------------------------------------------------
# Simulated models
# ---------------------------------------------------------------------------

CHUNK_WINDOWS = 32


@dataclass(eq=False)
class SimModel:
    """A model version of the replay: what it was trained on and its (lazily computed) predictions."""

    number: int
    estimator: Any
    training_start: pd.Timestamp
    training_end: pd.Timestamp
    reference: tuple[int, int]  # window span of its training window: the simulated drift reference
    served_from: int
    holdout_metric: float
    chunks: dict[int, Predictions] = field(default_factory=dict)

    @property
    def model_version(self) -> str:
        return f"v{self.number}"

    def predictions(self, history: History, w: int) -> Predictions:
        chunk = w // CHUNK_WINDOWS
        if chunk not in self.chunks:
            lo = history.window_bounds[chunk * CHUNK_WINDOWS]
            hi = history.window_bounds[min((chunk + 1) * CHUNK_WINDOWS, history.n_windows)]
            self.chunks[chunk] = train.predict(history.monitor, self.estimator, history.X.iloc[lo:hi])
        lo = history.window_bounds[w] - history.window_bounds[chunk * CHUNK_WINDOWS]
        hi = history.window_bounds[w + 1] - history.window_bounds[chunk * CHUNK_WINDOWS]
        return _slice(self.chunks[chunk], slice(lo, hi))


def _slice(p: Predictions, part) -> Predictions:
    return Predictions(label=p.label[part], score=None if p.score is None else p.score[part],
                       proba=None if p.proba is None else p.proba[part], classes=p.classes)


def _take(p: Predictions, index: np.ndarray) -> Predictions:
    return _slice(p, index)


def balanced_accuracy(y: np.ndarray, predicted: np.ndarray) -> float:
    classes = np.unique(y)
    if len(classes) == 0:
        return float("nan")
    return float(np.mean([np.mean(predicted[y == c] == c) for c in classes]))


# ---------------------------------------------------------------------------
# The replay
# ---------------------------------------------------------------------------


@dataclass
class Replay:
    policy: str
    strategy: str
    results: pd.DataFrame
    retrains: int
    promotions: int
    blocked: int
    failed: int
    training_seconds: float
    events: list[dict[str, Any]]


class Backtester:
    def __init__(self, history: History, config: BacktestConfig | None = None):
        self.history = history
        self.config = config or BacktestConfig()
        monitor = history.monitor
        if monitor["retraining"] is None:
            raise BacktestError(f"monitor '{monitor.name}' declares no retraining (retraining.estimator): "
                                "the backtest replays the declared recipe")
        self.monitor = monitor
        self.retraining = monitor["retraining"]
        self.labels = monitor["labels"]
        self.metric = primary_metric(monitor.task, self.retraining["promotion_metric"])
        self.metric_fn = metric_function(self.metric, monitor.task, str(monitor["positive_label"]))
        self.sign = 1.0 if higher_is_better(self.metric) else -1.0
        self.positive = str(monitor["positive_label"])
        self.drift = DriftEngine(history, self.config.top_k_categories)
        thresholds = monitor["thresholds"] or {}
        self.floor = thresholds.get("performance_floor")
        self.min_rows = int(thresholds.get("min_window_rows") or 0)
        self.unit = monitor.window
        self._initial: dict[str, tuple[SimModel, float, dict]] = {}
        self._incident_index: np.ndarray | None = None
        self._first_step: int | None = None
        self._ones = None
        h = history
        # final labels of each window, for reporting
        self._truth: list[tuple[np.ndarray, np.ndarray]] = []
        for w in range(h.n_windows):
            lo, hi = h.window_bounds[w], h.window_bounds[w + 1]
            y = h.final_label[lo:hi]
            present = np.flatnonzero(~pd.isna(y))
            self._truth.append((present, y[present]))

    # -- helpers ------------------------------------------------------------------------

    def monitor_for(self, strategy: str) -> Monitor:
        declaration = dict(self.monitor.declaration)
        declaration["retraining"] = {**self.retraining, "window_strategy": strategy}
        return replace(self.monitor, declaration=declaration)

    def now(self, s: int) -> pd.Timestamp:
        return self.history.windows[s] if s < self.history.n_windows else self.history.window_end(s - 1)

    def _longest(self, strategy: str) -> int:
        if strategy == "dynamic":
            return max(self.retraining["candidate_window_days"] or DEFAULT_CANDIDATE_DAYS)
        return int(self.retraining["window_days"])

    def plan(self, s: int, strategy: str):
        """`windows.plan_windows` at the start of window s, with the incidents known by then.

        Only the latest windows' coverage is handed over when they already hold enough mature
        candidates: the holdout is the latest candidates, so the plan is the same as with the
        whole coverage (which is the fallback)."""
        h, now = self.history, self.now(s)
        if self._incident_index is None:
            self._incident_index = np.array(sorted(h.window_index(w) for w in h.incidents), dtype=np.int64)
        known = self._incident_index[self._incident_index < s]
        incidents = [h.windows[w] for w in known[known < h.n_windows]]
        horizon = int(np.ceil(pd.Timedelta(days=self.labels["horizon_days"]) / (h.window_end(0) - h.windows[0])))
        arguments = dict(as_of=now, unit=self.unit, horizon_days=self.labels["horizon_days"],
                         mature_coverage=self.labels["mature_coverage"],
                         holdout_windows=self.retraining["holdout_windows"], training_days=self._longest(strategy))
        recent = horizon + 2 + 2 * self.retraining["holdout_windows"]
        if s > recent:
            coverage = h.coverage(now, s)
            coverage = coverage[coverage["window_start"] >= h.windows[s - recent]]
            recent_incidents = [w for w in incidents if w >= h.windows[s - recent]]
            try:
                plan = plan_windows(coverage, incident_windows=recent_incidents, **arguments)
            except WindowError:
                plan = None
            if plan is not None:
                start = plan.training_start
                excluded = tuple(w for w in incidents if start <= w < plan.holdout_start)
                return replace(plan, excluded_windows=excluded)
        return plan_windows(h.coverage(now, s), incident_windows=incidents, **arguments)

    def first_step(self, strategies: Sequence[str] = ("fixed",)) -> int:
        """The first window start at which a plan exists, no requested strategy is blocked by a data
        incident in its training span, and that span holds enough labels (`min_new_labelled_rows`, both
        classes for classifiers): every policy starts there, with the same first model per strategy."""
        if self._first_step is not None:
            return self._first_step
        h = self.history
        start = h.window_index(self.config.start) if self.config.start is not None else 1
        need = max(int(self.retraining["min_new_labelled_rows"]), 1)
        for s in range(max(start, 1), h.n_windows):
            try:
                plans = [self.plan(s, strategy) for strategy in strategies]
            except WindowError:
                continue
            if any(p.excluded_windows and strategy != "representative" for p, strategy in zip(plans, strategies)):
                continue
            plan = plans[0]
            rows = h.labelled(plan.training_start, plan.training_end, plan.as_of, exclude=plan.excluded_windows)
            if len(rows) >= need and (self.monitor.task == "regression" or rows["label"].nunique() >= 2):
                self._first_step = s
                return s
        raise BacktestError(f"monitor '{self.monitor.name}': no moment in the history has a holdout of "
                            f"{self.retraining['holdout_windows']} mature window(s) and {need} labelled training rows "
                            f"before it without a data incident in the training span of {', '.join(strategies)} "
                            "(try the 'representative' strategy); nothing to replay")

    def _window_of(self, when: pd.Timestamp) -> int:
        return self.history.window_index(when)

    def attempt(self, s: int, strategy: str, champion: SimModel | None, number: int):
        """One retrain as `driftline retrain` runs it, at the start of window s. Returns
        (status, model or None, seconds, comparison, reason)."""
        h, monitor = self.history, self.monitor_for(strategy)
        try:
            plan = self.plan(s, strategy)
        except WindowError as error:
            return "blocked", None, 0.0, None, str(error)
        if plan.excluded_windows and strategy != "representative":
            return "blocked", None, 0.0, None, "data incident in the training span"
        rows = h.labelled(plan.training_start, plan.training_end, plan.as_of, exclude=plan.excluded_windows)
        holdout = h.labelled(plan.holdout_start, plan.holdout_end, plan.as_of)
        holdout = holdout[holdout["window_start"].isin(plan.holdout_windows)]
        if rows.empty or holdout.empty:
            return "blocked", None, 0.0, None, "no labelled rows"
        if self.config.on_train is not None:
            self.config.on_train(rows, plan.as_of)
        meta = None if champion is None else SimpleNamespace(training_end=champion.training_end,
                                                               model_version=champion.model_version)
        started = time.perf_counter()
        try:
            challenger = train_challenger(monitor, rows, plan, champion.estimator if champion else None, meta,
                                          self.metric)
        except (train.TrainingError, EvaluationError, WindowError, ValueError) as error:
            return "failed", None, time.perf_counter() - started, None, str(error)
        seconds = time.perf_counter() - started
        if self.config.on_train is not None and strategy == "incremental":
            self.config.on_train(challenger.rows, plan.as_of)
        X_hold = train.feature_frame(monitor, holdout)[0]
        y_hold = train.target(monitor, holdout)
        try:
            comparison = compare(y_hold, train.predict(monitor, challenger.model, X_hold),
                                 train.predict(monitor, champion.estimator, X_hold) if champion else None,
                                 task=monitor.task, metric=self.metric, positive_label=self.positive,
                                 confidence=self.retraining["confidence"],
                                 min_improvement=self.retraining["min_improvement"],
                                 resamples=self.config.bootstrap_resamples, seed=s)
        except (EvaluationError, train.TrainingError) as error:
            return "failed", None, seconds, None, str(error)
        if strategy == "incremental" and champion is not None:
            training_start = challenger.rows["event_at"].min().floor("D")
        else:
            training_start = plan.training_end - pd.Timedelta(days=challenger.window_days)
        model = SimModel(number, challenger.model, training_start, plan.training_end,
                         (self._window_of(training_start), self._window_of(plan.training_end)), s,
                         comparison.challenger_metric)
        status = "promoted" if comparison.promote else "declined"
        return status, model, seconds, comparison, comparison.reason

    def initial(self, strategy: str) -> tuple[SimModel, float]:
        if strategy not in self._initial:
            s0 = self.first_step()
            status, model, seconds, _, reason = self.attempt(s0, strategy, None, 1)
            if model is None:
                raise BacktestError(f"the first model ({strategy}) could not be trained at "
                                    f"{self.now(s0):%Y-%m-%d}: {reason}")
            self._initial[strategy] = (model, seconds)
        return self._initial[strategy]

    def _new_labels_since(self, champion: SimModel, s: int) -> int:
        h = self.history
        now = np.datetime64(self.now(s).to_datetime64(), "ns")
        lo = int(np.searchsorted(h.rows["event_at"].to_numpy(), np.datetime64(champion.training_end.to_datetime64(), "ns")))
        hi = h.window_bounds[s]
        return int(np.sum(h.first_labelled_at[lo:hi] <= now)) if hi > lo else 0

    def _latest_mature(self, s: int) -> int | None:
        """The latest window mature at the start of window s (dbt's rule, as in windows.mature_windows)."""
        h = self.history
        now = self.now(s)
        horizon = pd.Timedelta(days=self.labels["horizon_days"])
        coverage = self.labels["mature_coverage"]
        first = h.first_labelled_at
        now64 = np.datetime64(now.to_datetime64(), "ns")
        for w in range(s - 1, -1, -1):
            lo, hi = h.window_bounds[w], h.window_bounds[w + 1]
            if hi == lo:
                continue
            n_lab = int(np.sum(first[lo:hi] <= now64))
            old = h.window_end(w) + horizon <= now
            if n_lab > 0 and (old or n_lab / (hi - lo) >= coverage):
                return w
            if old:
                return None  # older windows are mature too, but an unlabelled old window ends the search
        return None

    def _performance_breach(self, s: int, serving: list[SimModel | None]) -> tuple[bool, int | None]:
        w = self._latest_mature(s)
        if w is None or serving[w] is None:
            return False, w
        h = self.history
        lo, hi = h.window_bounds[w], h.window_bounds[w + 1]
        index, labels, _ = h.labels_known(lo, hi, self.now(s))
        if len(index) < max(self.min_rows, 1):
            return False, w
        predictions = _take(serving[w].predictions(h, w), index - lo)
        y = self._target(labels)
        with np.errstate(all="ignore"):
            value = float(self.metric_fn(y, predictions, np.ones(len(y))))
        if not np.isfinite(value):
            return False, w
        model = serving[w]
        below_floor = self.floor is not None and self.sign * (value - float(self.floor)) < 0
        dropped = np.isfinite(model.holdout_metric) and self.sign * (model.holdout_metric - value) >= PERFORMANCE_DROP_CRITICAL
        return bool(below_floor or dropped), w

    def _target(self, labels: np.ndarray) -> np.ndarray:
        if self.monitor.task == "regression":
            return np.asarray(labels, dtype=float)
        return np.asarray(labels).astype(str).astype(object)

    def window_metrics(self, model: SimModel, w: int) -> tuple[float, float, int]:
        present, y = self._truth[w]
        if len(present) == 0:
            return float("nan"), float("nan"), 0
        predictions = _take(model.predictions(self.history, w), present)
        return self._score(self._target(y), predictions)

    def _score(self, y: np.ndarray, predictions: Predictions) -> tuple[float, float, int]:
        with np.errstate(all="ignore"):
            value = float(self.metric_fn(y, predictions, np.ones(len(y))))
        balanced = float("nan") if self.monitor.task == "regression" else \
            balanced_accuracy(y, np.asarray(predictions.label).astype(str))
        return value, balanced, len(y)

    # -- one policy × strategy ----------------------------------------------------------

    def replay(self, policy: Policy, strategy: str) -> Replay:
        h = self.history
        s0 = self.first_step()
        champion, seconds = self.initial(strategy)
        serving: list[SimModel | None] = [None] * h.n_windows
        retrains, promotions, blocked, failed, number = 1, 1, 0, 0, 1
        last_attempt = s0
        consumed_performance = -1
        cooldown = pd.Timedelta(days=self.retraining["cooldown_days"])
        records, events = [], []
        retrained_at = {s0}
        promoted_at = {s0}
        for s in range(s0, h.n_windows):
            if s > s0 and policy.kind != "never":
                reasons = []
                if policy.every and s - last_attempt >= policy.every:
                    reasons.append("schedule")
                triggered = []
                if policy.uses_drift and self.drift.features:
                    if self.drift.sustained_drift(*champion.reference)[s - 1]:
                        triggered.append("drift_sustained")
                perf_window = None
                if policy.uses_performance:
                    breach, perf_window = self._performance_breach(s, serving)
                    if breach and perf_window is not None and perf_window > consumed_performance:
                        triggered.append("performance")
                if triggered and not reasons and self.now(last_attempt) + cooldown > self.now(s):
                    triggered = []  # cooldown blocks triggered retrains (not the declared schedule)
                reasons += triggered
                if reasons:
                    if self._new_labels_since(champion, s) < int(self.retraining["min_new_labelled_rows"]):
                        blocked += 1
                        events.append({"window": s, "status": "blocked", "reasons": reasons, "reason": "too_few_labels"})
                    else:
                        status, model, took, comparison, reason = self.attempt(s, strategy, champion, number + 1)
                        seconds += took
                        if "performance" in reasons and perf_window is not None:
                            consumed_performance = perf_window
                        if status == "blocked":
                            blocked += 1
                        elif status == "failed":
                            failed += 1
                        else:
                            retrains += 1
                            retrained_at.add(s)
                            last_attempt = s
                            number += 1
                            if status == "promoted":
                                promotions += 1
                                promoted_at.add(s)
                                champion = model
                        events.append({"window": s, "status": status, "reasons": reasons, "reason": reason})
            serving[s] = champion
            value, balanced, n = self.window_metrics(champion, s)
            records.append((s, value, balanced, s in retrained_at, s in promoted_at, s - champion.served_from,
                            champion.model_version, n))
        frame = pd.DataFrame(records, columns=["w", "metric", "balanced_metric", "retrained", "promoted",
                                               "model_version_age_windows", "model_version", "n_rows"])
        frame["window_start"] = h.windows[frame["w"].to_numpy()]
        return Replay(policy.name, strategy, frame.drop(columns="w"), retrains, promotions, blocked, failed,
                      seconds, events)

    def baselines(self) -> list[Replay]:
        """Majority class and previous label, from the labels known at the start of each window.

        Known-label counts per class are kept as a running sum over deliveries in time order: a
        delivery adds one to its label and takes one from the label it revises (latest wins)."""
        h = self.history
        s0 = self.first_step()
        order = np.argsort(h.delivery_at, kind="stable")
        at = h.delivery_at[order]
        present = h.delivery_present
        regression = self.monitor.task == "regression"
        if regression:
            values = np.where(present, h.delivery_label, 0.0).astype(float)
        else:
            names = sorted({str(v) for v in h.delivery_label[present]})
            code = {name: i for i, name in enumerate(names)}
            values = np.array([code[str(v)] if ok else -1 for v, ok in zip(h.delivery_label, present)], dtype=np.int64)
        # the delivery each one replaces: the previous one of the same row (deliveries sorted by row, time)
        same_row = np.r_[False, h.delivery_row[1:] == h.delivery_row[:-1]]
        previous_present = np.r_[False, present[:-1]] & same_row
        previous_values = np.r_[values[:1] * 0, values[:-1]]
        previous_label = np.flatnonzero(present[order])  # time-ordered positions of non-null deliveries
        majority, previous = [], []
        if regression:
            add_sum = np.where(present, values, 0.0) - np.where(previous_present, previous_values, 0.0)
            add_n = present.astype(float) - previous_present.astype(float)
            sums, counts = np.cumsum(add_sum[order]), np.cumsum(add_n[order])
        else:
            k = max(len(names), 1)
            delta = np.zeros((len(values), k))
            rows_ = np.arange(len(values))
            delta[rows_[present], values[present]] += 1
            delta[rows_[previous_present], previous_values[previous_present]] -= 1
            running = np.cumsum(delta[order], axis=0)
        ordered_labels = h.delivery_label[order]
        for s in range(s0, h.n_windows):
            cut = int(np.searchsorted(at, np.datetime64(self.now(s).to_datetime64(), "ns"), side="right"))
            last = previous_label[np.searchsorted(previous_label, cut) - 1] if len(previous_label) and previous_label[0] < cut else None
            present_rows, y = self._truth[s]
            y = self._target(y)
            if regression:
                guess_majority = float(sums[cut - 1] / counts[cut - 1]) if cut and counts[cut - 1] else float("nan")
                guess_previous = float(ordered_labels[last]) if last is not None else float("nan")
            else:
                guess_majority = names[int(np.argmax(running[cut - 1]))] if cut and running[cut - 1].sum() else ""
                guess_previous = str(ordered_labels[last]) if last is not None else ""
            for guess, out in ((guess_majority, majority), (guess_previous, previous)):
                value, balanced, n = self._score(y, self._constant(guess, len(y))) if len(y) else (float("nan"),) * 2 + (0,)
                out.append((h.windows[s], value, balanced, False, False, s - s0, "constant", n))
        replays = []
        for name, records in zip(BASELINES, (majority, previous)):
            frame = pd.DataFrame(records, columns=["window_start", "metric", "balanced_metric", "retrained", "promoted",
                                                   "model_version_age_windows", "model_version", "n_rows"])
            replays.append(Replay(name, "none", frame, 0, 0, 0, 0, 0.0, []))
        return replays

    def _constant(self, guess, n: int) -> Predictions:
        if self.monitor.task == "regression":
            return Predictions(label=np.full(n, guess, dtype=float))
        labels = np.full(n, guess, dtype=object)
        score = np.full(n, 1.0 if guess == self.positive else 0.0)
        classes = np.array(sorted({guess, self.positive}), dtype=object)
        proba = np.column_stack([(labels == c).astype(float) for c in classes])
        return Predictions(label=labels, score=score, proba=proba, classes=classes)

    # -- decay ----------------------------------------------------------------------------

    def decay(self) -> pd.DataFrame:
        """Train on a window ending at t0 (labels known at t0), score the following windows by age."""
        h = self.history
        monitor = self.monitor_for("fixed")
        lengths = sorted(set(self.config.decay_window_days or self.retraining["candidate_window_days"]
                             or DEFAULT_CANDIDATE_DAYS))
        max_age = self.config.decay_max_age
        rows = []
        for days in lengths:
            earliest = h.window_index(h.windows[0] + pd.Timedelta(days=days))
            latest = h.n_windows - max(2, min(max_age, h.n_windows // 4))
            if latest <= earliest:
                continue
            origins = np.unique(np.linspace(earliest, latest, self.config.decay_origins).round().astype(int))
            scores: dict[int, list[float]] = {}
            for o in origins:
                t0 = h.windows[o]
                frame = h.labelled(t0 - pd.Timedelta(days=days), t0, t0)
                y = train.target(monitor, frame) if len(frame) else []
                if len(frame) < 2 or (monitor.task != "regression" and len(set(y)) < 2):
                    continue
                try:
                    fitted = train.fit(train.new_estimator(self.retraining["estimator"]),
                                       train.feature_frame(monitor, frame)[0], y)
                except train.TrainingError:
                    continue
                if self.config.on_train is not None:
                    self.config.on_train(frame, t0)
                model = SimModel(0, fitted.estimator, t0, t0, (0, 0), o, float("nan"))
                for age in range(0, min(max_age, h.n_windows - o)):
                    value = self.window_metrics(model, o + age)[0]
                    if np.isfinite(value):
                        scores.setdefault(age, []).append(value)
            for age, values in sorted(scores.items()):
                rows.append((days, age, float(np.mean(values)),
                             float(np.std(values, ddof=1)) if len(values) > 1 else float("nan"), len(values)))
        return pd.DataFrame(rows, columns=["training_window_days", "age_windows", "metric_mean", "metric_sd", "n_origins"])


# ---------------------------------------------------------------------------
# Running it all and summarising
# ---------------------------------------------------------------------------


@dataclass
class BacktestResult:
    backtest_id: str
    monitor_name: str
    metric_name: str
    results: pd.DataFrame
    summary: pd.DataFrame
    decay: pd.DataFrame
    events: dict[str, list[dict[str, Any]]]
    seconds: float
    first_window: pd.Timestamp

    def recommended(self) -> pd.Series | None:
        rows = self.summary[self.summary["recommended"]]
        return rows.iloc[0] if len(rows) else None

    def lines(self) -> list[str]:
        text = [f"{self.monitor_name}: backtest {self.backtest_id} from {self.first_window:%Y-%m-%d}, "
                f"{self.metric_name} per window of the model in production (balanced accuracy beside it)"]
        text.append(f"  {'policy':<24} {'strategy':<15} {'mean':>7} {'balanced':>8} {'retrains':>8} {'train s':>8}")
        for r in self.summary.itertuples():
            baseline = r.policy.startswith("baseline_")
            mark = "  <- recommended" if r.recommended else ("" if r.within_budget or baseline else "  (over budget)")
            text.append(f"  {r.policy:<24} {r.window_strategy:<15} {r.mean_metric:>7.4f} {r.mean_balanced_metric:>8.4f} "
                        f"{r.retrains:>8d} {r.training_seconds:>8.2f}{mark}")
        if not self.decay.empty:
            text.append("  " + decay_summary(self.decay, self.metric_name))
        return text


def decay_summary(decay: pd.DataFrame, metric: str) -> str:
    """One sentence per training length: the metric when fresh, how it changes per 10 windows of age."""
    parts = []
    for days, group in decay.groupby("training_window_days"):
        group = group.sort_values("age_windows")
        fresh = group["metric_mean"].iloc[: 3].mean()
        if len(group) >= 2:
            slope = np.polyfit(group["age_windows"], group["metric_mean"], 1)[0] * 10
        else:
            slope = float("nan")
        parts.append(f"{days}-day window: {metric} {fresh:.3f} when fresh, {slope:+.3f} per 10 windows of age "
                     f"(over {int(group['n_origins'].max())} origins)")
    return "decay: " + "; ".join(parts) if parts else "decay: not enough history"


def summarise(replays: list[Replay], metric: str, max_retrains: int | None) -> pd.DataFrame:
    sign = 1.0 if higher_is_better(metric) else -1.0
    rows = []
    for r in replays:
        rows.append({"policy": r.policy, "window_strategy": r.strategy,
                     "mean_metric": float(np.nanmean(r.results["metric"])) if r.results["metric"].notna().any() else float("nan"),
                     "mean_balanced_metric": float(np.nanmean(r.results["balanced_metric"]))
                     if r.results["balanced_metric"].notna().any() else float("nan"),
                     "retrains": int(r.retrains), "promotions": int(r.promotions), "blocked": int(r.blocked),
                     "training_seconds": float(r.training_seconds)})
    summary = pd.DataFrame(rows)
    baseline = summary["policy"].isin(BASELINES)
    summary["within_budget"] = ~baseline & ((summary["retrains"] <= max_retrains) if max_retrains is not None else True)
    summary["recommended"] = False
    candidates = summary[summary["within_budget"] & summary["mean_metric"].notna()]
    if len(candidates):
        best = (candidates.assign(key=-sign * candidates["mean_metric"])
                .sort_values(["key", "retrains"], kind="stable").index[0])
        summary.loc[best, "recommended"] = True
    return summary


def run(history: History, config: BacktestConfig | None = None, echo: Callable[[str], None] = lambda _: None) -> BacktestResult:
    config = config or BacktestConfig()
    started = time.perf_counter()
    tester = Backtester(history, config)
    policies = [Policy.parse(p) for p in config.policies]
    strategies = list(config.strategies or [tester.retraining["window_strategy"]])
    for strategy in strategies:
        if strategy not in STRATEGIES:
            raise BacktestError(f"unknown window strategy '{strategy}' (choose from {', '.join(STRATEGIES)})")
    s0 = tester.first_step(strategies)
    echo(f"{history.monitor.name}: {history.n_windows} windows, {len(history.rows):,} predictions; "
         f"replay from {tester.now(s0):%Y-%m-%d}")
    replays = []
    for strategy in strategies:
        for policy in policies:
            replay = tester.replay(policy, strategy)
            echo(f"  {policy.name:<14} {strategy:<14} {replay.retrains} retrain(s), {replay.promotions} promotion(s)")
            replays.append(replay)
    replays += tester.baselines()
    summary = summarise(replays, tester.metric, config.max_retrains)
    backtest_id = uuid.uuid4().hex[:16]
    frames = []
    for r in replays:
        frame = r.results.copy()
        frame.insert(0, "window_strategy", r.strategy)
        frame.insert(0, "policy", r.policy)
        frames.append(frame)
    results = pd.concat(frames, ignore_index=True)
    results.insert(0, "monitor_name", history.monitor.name)
    results.insert(0, "backtest_id", backtest_id)
    results["metric_name"] = tester.metric
    results = results[["backtest_id", "monitor_name", "policy", "window_strategy", "window_start", "metric_name",
                       "metric", "balanced_metric", "retrained", "model_version_age_windows", "n_rows", "promoted",
                       "model_version"]]
    summary.insert(0, "monitor_name", history.monitor.name)
    summary.insert(0, "backtest_id", backtest_id)
    summary["metric_name"] = tester.metric
    decay = tester.decay() if config.decay else pd.DataFrame(
        columns=["training_window_days", "age_windows", "metric_mean", "metric_sd", "n_origins"])
    decay.insert(0, "monitor_name", history.monitor.name)
    decay.insert(0, "backtest_id", backtest_id)
    decay["metric_name"] = tester.metric
    return BacktestResult(backtest_id, history.monitor.name, tester.metric, results, summary, decay,
                          {f"{r.policy}/{r.strategy}": r.events for r in replays if r.events},
                          time.perf_counter() - started, tester.now(s0))


# ---------------------------------------------------------------------------
# Warehouse tables, next to the registry
# ---------------------------------------------------------------------------

TABLES: dict[str, list[tuple[str, str]]] = {
    "driftline_backtest_results": [
        ("backtest_id", "varchar"), ("monitor_name", "varchar"), ("policy", "varchar"), ("window_strategy", "varchar"),
        ("window_start", "timestamp"), ("metric_name", "varchar"), ("metric", "double"), ("balanced_metric", "double"),
        ("retrained", "boolean"), ("model_version_age_windows", "integer"), ("n_rows", "bigint"),
        ("promoted", "boolean"), ("model_version", "varchar"),
    ],
    "driftline_backtest_summary": [
        ("backtest_id", "varchar"), ("monitor_name", "varchar"), ("policy", "varchar"), ("window_strategy", "varchar"),
        ("mean_metric", "double"), ("mean_balanced_metric", "double"), ("retrains", "integer"),
        ("training_seconds", "double"), ("recommended", "boolean"), ("within_budget", "boolean"),
        ("promotions", "integer"), ("blocked", "integer"), ("metric_name", "varchar"),
    ],
    "driftline_backtest_decay": [
        ("backtest_id", "varchar"), ("monitor_name", "varchar"), ("training_window_days", "integer"),
        ("age_windows", "integer"), ("metric_mean", "double"), ("metric_sd", "double"), ("n_origins", "integer"),
        ("metric_name", "varchar"),
    ],
}
FRAMES = {"driftline_backtest_results": "results", "driftline_backtest_summary": "summary",
          "driftline_backtest_decay": "decay"}


def write_tables(registry, result: BacktestResult) -> None:
    """Create the backtest tables beside the registry (DDL transpiled by sqlglot) and append one run."""
    warehouse = registry.warehouse
    schema = exp.Table(this=exp.to_identifier(registry.schema, quoted=True),
                       db=exp.to_identifier(registry.database, quoted=True) if registry.database else None)
    warehouse.execute(f"create schema if not exists {schema.sql(warehouse.dialect)}")
    placeholder = exp.to_identifier("__t__", quoted=True).sql(warehouse.dialect)
    for name, columns in TABLES.items():
        body = ", ".join(f'"{column}" {kind}' for column, kind in columns)
        ddl = sqlglot.transpile(f'create table if not exists "__t__" ({body})', read="duckdb", write=warehouse.dialect)[0]
        warehouse.execute(ddl.replace(placeholder, registry.relation(name)))
    with warehouse.transaction():
        for name, columns in TABLES.items():
            frame = getattr(result, FRAMES[name])[[c for c, _ in columns]]
            names = ", ".join(f'"{c}"' for c, _ in columns)
            if warehouse.kind == "duckdb":
                warehouse.connection.register("__driftline_backtest", frame)
                try:
                    warehouse.execute(f"insert into {registry.relation(name)} ({names}) "
                                      f"select {names} from __driftline_backtest")
                finally:
                    warehouse.connection.unregister("__driftline_backtest")
            else:
                from .registry import bind_value

                marks = ", ".join("?" for _ in columns)
                for record in frame.itertuples(index=False):
                    warehouse.execute(f"insert into {registry.relation(name)} ({names}) values ({marks})",
                                      [bind_value(v) for v in record])


# ---------------------------------------------------------------------------
# The plot: dependency-free SVG
# ---------------------------------------------------------------------------

_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
            "#7f7f7f"]


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def render_svg(result: BacktestResult, smooth: int = 7, width: int = 960, height: int = 420) -> str:
    """Metric over time per policy (the best strategy of each, rolling mean over `smooth` windows),
    retrains as ticks, baselines dashed; the decay curves in a second panel."""
    summary = result.summary
    best = (summary.assign(key=summary["mean_metric"] * (1 if higher_is_better(result.metric_name) else -1))
            .sort_values("key", ascending=False).drop_duplicates("policy"))
    series = []
    for r in best.itertuples():
        part = result.results[(result.results["policy"] == r.policy) & (result.results["window_strategy"] == r.window_strategy)]
        part = part.sort_values("window_start")
        values = part["metric"].rolling(smooth, min_periods=1).mean()
        series.append((f"{r.policy} / {r.window_strategy} (mean {r.mean_metric:.3f}, {r.retrains} retrains)",
                       part["window_start"].to_numpy(), values.to_numpy(), part["retrained"].to_numpy(),
                       r.policy in BASELINES))
    left, right, top, panel = 60, 330, 30, height - 70
    x0, x1 = left, width - right
    times = np.concatenate([s[1] for s in series]).astype("datetime64[ns]").astype(np.int64)
    t_lo, t_hi = times.min(), max(times.max(), times.min() + 1)
    finite = np.concatenate([s[2][np.isfinite(s[2])] for s in series]) if series else np.array([0.0, 1.0])
    v_lo, v_hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if v_hi - v_lo < 1e-9:
        v_lo, v_hi = v_lo - 0.5, v_hi + 0.5
    pad = 0.05 * (v_hi - v_lo)
    v_lo, v_hi = v_lo - pad, v_hi + pad

    def x(t):
        return x0 + (np.asarray(t).astype("datetime64[ns]").astype(np.int64) - t_lo) / (t_hi - t_lo) * (x1 - x0)

    def y(v):
        return top + (v_hi - np.asarray(v)) / (v_hi - v_lo) * panel

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
           f'<text x="{left}" y="16" font-size="13">{_escape(result.monitor_name)}: {_escape(result.metric_name)} '
           f'of the model in production per window (rolling mean over {smooth}); ticks = retrains</text>',
           f'<rect x="{x0}" y="{top}" width="{x1 - x0}" height="{panel}" fill="none" stroke="#999"/>']
    for k in range(5):
        v = v_lo + (v_hi - v_lo) * k / 4
        out.append(f'<line x1="{x0}" x2="{x1}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eee"/>'
                   f'<text x="{x0 - 5}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.3f}</text>')
    for k in range(5):
        t = t_lo + (t_hi - t_lo) * k / 4
        label = pd.Timestamp(int(t)).strftime("%Y-%m-%d")
        out.append(f'<text x="{x0 + (x1 - x0) * k / 4:.1f}" y="{top + panel + 15}" text-anchor="middle">{label}</text>')
    for i, (label, t, v, retrained, dashed) in enumerate(series):
        colour = _COLOURS[i % len(_COLOURS)]
        points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x(t), y(v)) if np.isfinite(b))
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5"{dash} points="{points}"/>')
        for a in x(t[retrained.astype(bool)]):
            out.append(f'<line x1="{a:.1f}" x2="{a:.1f}" y1="{top + panel - 8 - 3 * i}" y2="{top + panel - 3 * i}" '
                       f'stroke="{colour}"/>')
        out.append(f'<line x1="{x1 + 10}" x2="{x1 + 30}" y1="{top + 10 + 16 * i}" y2="{top + 10 + 16 * i}" '
                   f'stroke="{colour}" stroke-width="2"{dash}/><text x="{x1 + 35}" y="{top + 14 + 16 * i}">{_escape(label)}</text>')
    if not result.decay.empty:
        base = top + 16 * (len(series) + 1) + 10
        out.append(f'<text x="{x1 + 10}" y="{base}">decay (mean {_escape(result.metric_name)} by age):</text>')
        for j, (days, group) in enumerate(result.decay.groupby("training_window_days")):
            group = group.sort_values("age_windows")
            text = " ".join(f"{v:.3f}" for v in group["metric_mean"].to_numpy()[:: max(1, len(group) // 5)][:6])
            out.append(f'<text x="{x1 + 10}" y="{base + 14 * (j + 1)}">{days} d: {text}</text>')
    out.append("</svg>")
    return "\n".join(out)


# ---------------------------------------------------------------------------
# Entry point for the CLI
# ---------------------------------------------------------------------------


def backtest(runner, monitor: str | None, config: BacktestConfig, *, write: bool = True) -> list[BacktestResult]:
    monitors = [runner.monitor(monitor)] if monitor else [m for m in runner.monitors if m["retraining"] is not None]
    if not monitors:
        raise ConfigError("driftline backtest: no monitor declares retraining")
    manifest = runner.manifest()
    results = []
    for m in monitors:
        if config.top_k_categories == 20:
            config.top_k_categories = int(runner.project.vars.get("driftline_top_k_categories")
                                          or package_setting(manifest, "driftline_top_k_categories", 20))
        with runner.connect() as warehouse:
            history = load_history(warehouse, manifest, m)
        result = run(history, config, echo=runner.echo)
        if write:
            with runner.connect() as warehouse:
                write_tables(runner.registry(warehouse), result)
        results.append(result)
    return results
