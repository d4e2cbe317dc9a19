"""Training with the user's own recipe: an estimator factory named by import path.

Retraining re-runs the same recipe on new data, so the factory is called afresh for every
challenger (same features, same estimator code, same search space). The strategies only decide
*which rows* and *with what weights* the recipe sees, except `incremental`, which continues the
champion itself (`partial_fit`, or `warm_start` on a fresh fit of the new rows).
"""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import time
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.pipeline import Pipeline

from .config import Monitor
from .evaluate import Predictions


class TrainingError(RuntimeError):
    """The recipe could not be loaded, fitted or applied; the message says which and why."""


def load_factory(import_path: str) -> Callable[[], Any]:
    module_name, _, attribute = import_path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise TrainingError(f"retraining.estimator: cannot import module '{module_name}': {error}") from error
    factory = getattr(module, attribute, None)
    if factory is None or not callable(factory):
        raise TrainingError(f"retraining.estimator: '{module_name}' has no callable '{attribute}'")
    return factory


def new_estimator(import_path: str) -> Any:
    estimator = load_factory(import_path)()
    if not (hasattr(estimator, "fit") and hasattr(estimator, "predict")):
        raise TrainingError(f"retraining.estimator: '{import_path}' returned {type(estimator).__name__}, "
                            "not an unfitted scikit-learn estimator (no fit/predict)")
    return estimator


def estimator_params(estimator: Any) -> str:
    """The estimator's parameters as stable JSON (nested objects by their repr)."""
    params = estimator.get_params(deep=False) if isinstance(estimator, BaseEstimator) else {}
    return json.dumps({k: v if isinstance(v, (int, float, str, bool, type(None))) else repr(v)
                       for k, v in sorted(params.items())}, sort_keys=True)


def feature_frame(monitor: Monitor, rows: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """The declared features as the estimator sees them, and how many values were cleaned.

    ±inf becomes NaN (missing) in numeric features, as in the dbt profiles' KS and W1;
    categorical values become strings with missing kept missing."""
    frame = pd.DataFrame(index=rows.index)
    cleaned: dict[str, int] = {}
    for feature in monitor.features:
        if feature.name not in rows:
            raise TrainingError(f"feature '{feature.name}' is missing from the extracted rows")
        values = rows[feature.name]
        if feature.kind == "numeric":
            numbers = pd.to_numeric(values, errors="coerce").astype("float64")
            infinite = np.isinf(numbers.to_numpy())
            if infinite.any():
                cleaned[feature.name] = int(infinite.sum())
                numbers = numbers.mask(infinite)
            frame[feature.name] = numbers
        else:
            frame[feature.name] = values.astype(object).map(lambda v: np.nan if pd.isna(v) else str(v))
    return frame, cleaned


def target(monitor: Monitor, rows: pd.DataFrame) -> np.ndarray:
    if monitor.task == "regression":
        return pd.to_numeric(rows["label"], errors="coerce").to_numpy(dtype=float)
    return rows["label"].astype(str).to_numpy(dtype=object)


def decay_weights(event_at: pd.Series, reference: pd.Timestamp, half_life_days: float) -> np.ndarray:
    """0.5 ** (age in days / half-life), age measured back from the end of the training span."""
    age_days = (pd.Timestamp(reference) - pd.to_datetime(event_at)).dt.total_seconds().to_numpy() / 86_400.0
    return np.power(0.5, np.maximum(age_days, 0.0) / half_life_days)


def _fit_params(estimator: Any, sample_weight: np.ndarray | None) -> dict[str, Any]:
    if sample_weight is None:
        return {}
    final = estimator.steps[-1][1] if isinstance(estimator, Pipeline) else estimator
    if "sample_weight" not in inspect.signature(final.fit).parameters:
        raise TrainingError(f"window_strategy 'decay' needs sample weights, but {type(final).__name__}.fit "
                            "takes no sample_weight")
    if isinstance(estimator, Pipeline):
        return {f"{estimator.steps[-1][0]}__sample_weight": sample_weight}
    return {"sample_weight": sample_weight}


@dataclass
class Fitted:
    estimator: Any
    seconds: float
    rows: int
    method: str  # fit | partial_fit | warm_start


def fit(estimator: Any, X: pd.DataFrame, y: np.ndarray, sample_weight: np.ndarray | None = None) -> Fitted:
    if len(X) == 0:
        raise TrainingError("the training window holds no labelled rows")
    if not isinstance(y[0], str) and np.isnan(np.asarray(y, dtype=float)).any():
        raise TrainingError("the training window has labels that are not numbers")
    started = time.perf_counter()
    try:
        estimator.fit(X, y, **_fit_params(estimator, sample_weight))
    except TrainingError:
        raise
    except Exception as error:  # the user's recipe: report what failed, in its words
        raise TrainingError(f"fitting {type(estimator).__name__} on {len(X)} rows failed: {error}") from error
    return Fitted(estimator, time.perf_counter() - started, len(X), "fit")


def continue_training(champion: Any, X: pd.DataFrame, y: np.ndarray) -> Fitted:
    """The incremental strategy: update a copy of the champion with the new rows only."""
    if len(X) == 0:
        raise TrainingError("no labelled rows since the champion's training window: nothing to update with")
    model = copy.deepcopy(champion)
    started = time.perf_counter()
    final = model.steps[-1][1] if isinstance(model, Pipeline) else model
    try:
        if hasattr(final, "partial_fit"):
            features = model[:-1].transform(X) if isinstance(model, Pipeline) else X
            final.partial_fit(features, y)
            method = "partial_fit"
        elif "warm_start" in final.get_params():
            final.set_params(warm_start=True)
            model.fit(X, y)
            method = "warm_start"
        else:
            raise TrainingError(f"window_strategy 'incremental' needs partial_fit or warm_start; "
                                f"{type(final).__name__} has neither")
    except TrainingError:
        raise
    except Exception as error:
        raise TrainingError(f"updating {type(final).__name__} on {len(X)} rows failed: {error}") from error
    return Fitted(model, time.perf_counter() - started, len(X), method)


def predict(monitor: Monitor, model: Any, X: pd.DataFrame) -> Predictions:
    """Labels, and probabilities when the model has them, for every row of X."""
    try:
        label = np.asarray(model.predict(X))
        if monitor.task == "regression":
            return Predictions(label=label.astype(float))
        label = label.astype(str).astype(object)
        if not hasattr(model, "predict_proba"):
            return Predictions(label=label)
        proba = np.asarray(model.predict_proba(X), dtype=float)
    except Exception as error:
        raise TrainingError(f"{type(model).__name__} could not score {len(X)} rows: {error}") from error
    classes = np.asarray(model.classes_).astype(str)
    score = None
    if monitor.task == "binary_classification":
        positive = str(monitor["positive_label"])
        if positive not in classes:
            raise TrainingError(f"positive_label '{positive}' is not among the model's classes {list(classes)}")
        score = proba[:, list(classes).index(positive)]
    return Predictions(label=label, score=score, proba=proba, classes=classes)
