"""Generated data with known distributions for checking driftline's statistics against numpy/scipy."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

START = datetime(2026, 3, 2)
REFERENCE_DAYS = 5
ROWS_PER_DAY = 2000
CATEGORIES = ["a", "b", "c", "d", "e"]


def drift_frame(days: int = 10, seed: int = 11) -> pd.DataFrame:
    """Days 0-4 are the reference; later days each carry a different kind of change."""
    rng = np.random.default_rng(seed)
    frames = []
    for day in range(days):
        n = ROWS_PER_DAY
        ts = [START + timedelta(days=day, seconds=int(s)) for s in rng.integers(0, 86_400, n)]
        shift = 0.5 if day >= 6 else 0.0
        scale = 2.0 if day == 7 else 1.0
        normal = rng.normal(shift, scale, n)
        skewed = rng.lognormal(0.0 if day < 8 else 0.3, 1.0, n)
        probs = [0.4, 0.3, 0.15, 0.1, 0.05] if day < 6 else [0.2, 0.2, 0.2, 0.2, 0.2]
        discrete = rng.choice([1.0, 2.0, 3.0, 4.0, 5.0], n, p=probs)
        ties = np.round(rng.normal(10 + (0.3 if day >= 6 else 0.0), 1.0, n), 0)
        constant = np.full(n, 3.0 if day != 8 else 4.0)
        cats = rng.choice(CATEGORIES, n, p=[0.5, 0.2, 0.15, 0.1, 0.05]).astype(object)
        if day == 6:
            cats[: n // 10] = "z_new"  # unseen in the reference
        one_cat = np.full(n, "only", dtype=object)
        sparse = rng.normal(100, 5, n)
        if day == 7:
            sparse[:] = np.nan  # a window of only NULLs
        frame = pd.DataFrame(
            {
                "event_id": [f"e{day:02d}{i:05d}" for i in range(n)],
                "event_at": pd.to_datetime(ts),
                "grp": rng.choice(["g1", "g2"], n, p=[0.6, 0.4]),
                "x_normal": normal,
                "x_skewed": skewed,
                "x_discrete": discrete,
                "x_ties": ties,
                "x_constant": constant,
                "x_sparse": sparse,
                "c_cat": cats,
                "c_one": one_cat,
                "pred": normal * 2 + 1,
            }
        )
        if day == 9:  # NaN and infinities in an otherwise normal window
            frame.loc[frame.index[:50], "x_normal"] = np.nan
            frame.loc[frame.index[50:60], "x_normal"] = np.inf
            frame.loc[frame.index[60:70], "x_normal"] = -np.inf
        # a few natural nulls everywhere
        frame.loc[frame.sample(frac=0.02, random_state=day).index, "x_skewed"] = np.nan
        frame.loc[frame.sample(frac=0.01, random_state=100 + day).index, "c_cat"] = None
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


NUMERIC = ["x_normal", "x_skewed", "x_discrete", "x_ties", "x_constant", "x_sparse"]
CATEGORICAL = ["c_cat", "c_one"]


def drift_declaration() -> dict:
    return {
        "monitor": "synthetic",
        "id_column": "event_id",
        "event_time_column": "event_at",
        "task": "regression",
        "prediction_column": "pred",
        "features": [{"name": n, "kind": "numeric"} for n in NUMERIC]
        + [{"name": n, "kind": "categorical"} for n in CATEGORICAL],
        "segments": ["grp"],
        "reference": {"method": "first_windows", "windows": REFERENCE_DAYS},
        "thresholds": {"min_window_rows": 50},
    }
