"""Generated prediction logs and labels with the edge cases performance metrics must survive."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

START = datetime(2026, 5, 4)


def _times(rng, day: int, n: int) -> list[datetime]:
    return [START + timedelta(days=day, seconds=int(s)) for s in rng.integers(0, 86_000, n)]


def binary_tables(seed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Day 0-1 ordinary; 2 single class; 3 no predicted positives; 4 all-equal scores; 5 one row;
    6 ties in scores; 7-8 a challenger v2 scored in shadow on most of v1's ids; 9 unlabelled."""
    rng = np.random.default_rng(seed)
    logs, labels = [], []
    for day in range(10):
        n = {5: 1}.get(day, 300)
        ids = [f"b{day}_{i}" for i in range(n)]
        y = rng.binomial(1, 0.3, n)
        score = np.clip(0.3 + 0.35 * (y - 0.3) + rng.normal(0, 0.2, n), 0.001, 0.999)
        if day == 2:
            y = np.zeros(n, dtype=int)
        if day == 4:
            score = np.full(n, 0.42)
        if day == 6:
            score = np.round(score, 1)
        pred = (score >= 0.5).astype(int)
        if day == 3:
            pred = np.zeros(n, dtype=int)
        log = pd.DataFrame({"pid": ids, "ts": _times(rng, day, n), "version": "v1", "x": rng.normal(0, 1, n),
                            "score": score, "predicted": pred})
        logs.append(log)
        if day in (7, 8):
            shadow = log.iloc[: int(n * 0.8)].copy()
            shadow["version"] = "v2"
            shadow["score"] = np.clip(shadow["score"] + rng.normal(0, 0.05, len(shadow)), 0.001, 0.999)
            shadow["predicted"] = (shadow["score"] >= 0.5).astype(int)
            logs.append(shadow)
        if day == 9:
            continue  # labels have not arrived yet
        labelled = rng.random(n) < 0.9 if n > 1 else np.array([True])
        arrived = log["ts"] + pd.to_timedelta(rng.uniform(0.5, 3, n), unit="D")
        labels.append(pd.DataFrame({"pid": np.array(ids)[labelled], "outcome": y[labelled], "observed_at": arrived[labelled]}))
    labels = pd.concat(labels, ignore_index=True)
    # revisions: a wrong first label superseded by the right one later; and an exact duplicate delivery
    revised = labels.sample(20, random_state=1)
    wrong = revised.assign(outcome=1 - revised.outcome, observed_at=revised.observed_at - pd.Timedelta(hours=6))
    duplicate = labels.sample(10, random_state=2)
    orphans = pd.DataFrame({"pid": [f"ghost{i}" for i in range(7)], "outcome": 1, "observed_at": pd.Timestamp(START) + pd.Timedelta(days=2)})
    labels = pd.concat([labels, wrong, duplicate, orphans], ignore_index=True)
    return pd.concat(logs, ignore_index=True), labels


def multiclass_tables(seed: int = 6) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n = 900
    day = rng.integers(0, 3, n)
    y = rng.choice(["cat", "dog", "eel"], n, p=[0.5, 0.3, 0.2])
    pred = np.where(rng.random(n) < 0.7, y, rng.choice(["cat", "dog", "eel", "fox"], n))
    ts = [START + timedelta(days=int(d), seconds=int(s)) for d, s in zip(day, rng.integers(0, 86_000, n))]
    log = pd.DataFrame({"pid": [f"m{i}" for i in range(n)], "ts": ts, "x": rng.normal(size=n), "predicted": pred})
    labels = pd.DataFrame({"pid": log.pid, "outcome": y, "observed_at": log.ts + pd.Timedelta(days=1)})
    return log, labels


def regression_tables(seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Day 0 ordinary with some zero targets; day 1 a constant target; day 2 one row."""
    rng = np.random.default_rng(seed)
    logs, labels = [], []
    for day, n in ((0, 400), (1, 50), (2, 1)):
        target = rng.gamma(2.0, 10.0, n) if day != 1 else np.full(n, 7.0)
        if day == 0:
            target[:15] = 0.0
        predicted = target + rng.normal(0, 3, n)
        ids = [f"r{day}_{i}" for i in range(n)]
        ts = _times(rng, day, n)
        logs.append(pd.DataFrame({"pid": ids, "ts": ts, "x": rng.normal(size=n), "predicted": predicted}))
        labels.append(pd.DataFrame({"pid": ids, "outcome": target, "observed_at": [t + timedelta(days=2) for t in ts]}))
    return pd.concat(logs, ignore_index=True), pd.concat(labels, ignore_index=True)


def declarations() -> dict[str, dict]:
    labels = {"id_column": "pid", "label_column": "outcome", "labelled_at_column": "observed_at", "horizon_days": 30}
    return {
        "binary_log": {
            "monitor": "binary", "id_column": "pid", "event_time_column": "ts", "model_version_column": "version",
            "task": "binary_classification", "prediction_column": "predicted", "score_column": "score",
            "features": [{"name": "x", "kind": "numeric"}], "labels": {**labels, "source": "raw.binary_labels"},
        },
        "binary_labels": None,
        "multiclass_log": {
            "monitor": "multiclass", "id_column": "pid", "event_time_column": "ts", "task": "multiclass_classification",
            "prediction_column": "predicted", "features": [{"name": "x", "kind": "numeric"}],
            "labels": {**labels, "source": "raw.multiclass_labels"},
        },
        "multiclass_labels": None,
        "regression_log": {
            "monitor": "regression", "id_column": "pid", "event_time_column": "ts", "task": "regression",
            "prediction_column": "predicted", "features": [{"name": "x", "kind": "numeric"}],
            "labels": {**labels, "source": "raw.regression_labels"},
        },
        "regression_labels": None,
    }
