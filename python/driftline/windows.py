"""Window arithmetic and the training/holdout plan: pure functions over timestamps.

Maturity follows the dbt package's rule (driftline_performance.is_mature): a window is mature
when its label coverage reached `labels.mature_coverage`, or when `labels.horizon_days` have
passed since it ended. The holdout is the most recent mature labelled windows; training data
always ends where the holdout starts, so no holdout row is ever trained on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import pandas as pd

UNIT_OFFSET = {
    "hour": pd.DateOffset(hours=1),
    "day": pd.DateOffset(days=1),
    "week": pd.DateOffset(weeks=1),
    "month": pd.DateOffset(months=1),
}


class WindowError(ValueError):
    """Not enough history to plan a retrain: the message says what is missing."""


def window_floor(values: pd.Series | pd.Timestamp, unit: str):
    """The start of the window holding each timestamp (weeks start on Monday, like date_trunc)."""
    single = isinstance(values, pd.Timestamp)
    series = pd.Series([values]) if single else pd.Series(values)
    series = pd.to_datetime(series)
    if unit == "week":
        floored = series.dt.normalize() - pd.to_timedelta(series.dt.day_of_week, unit="D")
    elif unit == "month":
        floored = series.dt.to_period("M").dt.start_time
    else:
        floored = series.dt.floor({"hour": "h", "day": "D"}[unit])
    return floored.iloc[0] if single else floored


def window_end(start: pd.Timestamp, unit: str) -> pd.Timestamp:
    return pd.Timestamp(start) + UNIT_OFFSET[unit]


def mature_windows(coverage: pd.DataFrame, as_of: pd.Timestamp, unit: str, horizon_days: int,
                   mature_coverage: float) -> pd.DataFrame:
    """`coverage` (window_start, n_predictions, n_labelled) -> the rows that are mature at `as_of`."""
    if coverage.empty:
        return coverage
    ends = coverage["window_start"].map(lambda w: window_end(w, unit))
    by_coverage = coverage["n_labelled"] / coverage["n_predictions"].clip(lower=1) >= mature_coverage
    by_age = ends + pd.Timedelta(days=horizon_days) <= as_of
    complete = ends <= as_of  # the window in progress is never mature
    return coverage[(by_coverage | by_age) & complete & (coverage["n_labelled"] > 0)]


@dataclass(frozen=True)
class WindowPlan:
    """Where a retrain trains and where it is judged. Intervals are [start, end)."""

    as_of: pd.Timestamp
    training_start: pd.Timestamp
    training_end: pd.Timestamp
    holdout_start: pd.Timestamp
    holdout_end: pd.Timestamp
    holdout_windows: tuple[pd.Timestamp, ...]
    excluded_windows: tuple[pd.Timestamp, ...] = field(default=())

    def describe(self) -> str:
        fmt = "%Y-%m-%d %H:%M" if any(t.hour for t in (self.training_start, self.holdout_start)) else "%Y-%m-%d"
        text = (f"train on [{self.training_start:{fmt}}, {self.training_end:{fmt}}), "
                f"judge on {len(self.holdout_windows)} mature window(s) [{self.holdout_start:{fmt}}, {self.holdout_end:{fmt}})")
        if self.excluded_windows:
            text += f", skipping {len(self.excluded_windows)} incident window(s)"
        return text


def plan_windows(
    coverage: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    unit: str,
    horizon_days: int,
    mature_coverage: float,
    holdout_windows: int,
    training_days: int,
    incident_windows: Sequence[pd.Timestamp] = (),
) -> WindowPlan:
    """Pick the holdout (latest mature labelled windows, incidents excluded) and the training
    span of `training_days` days that ends where the holdout begins."""
    incidents = {pd.Timestamp(w) for w in incident_windows}
    mature = mature_windows(coverage, as_of, unit, horizon_days, mature_coverage)
    candidates = [pd.Timestamp(w) for w in mature["window_start"] if pd.Timestamp(w) not in incidents]
    if len(candidates) < holdout_windows:
        raise WindowError(
            f"only {len(candidates)} mature labelled window(s) before {as_of:%Y-%m-%d %H:%M}; "
            f"the holdout needs retraining.holdout_windows = {holdout_windows}")
    holdout = tuple(sorted(candidates)[-holdout_windows:])
    holdout_start, holdout_end = holdout[0], window_end(holdout[-1], unit)
    training_start = holdout_start - pd.Timedelta(days=training_days)
    excluded = tuple(sorted(w for w in incidents if training_start <= w < holdout_start))
    return WindowPlan(as_of, training_start, holdout_start, holdout_start, holdout_end, holdout, excluded)
