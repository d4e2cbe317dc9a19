"""Holdout metrics and the champion/challenger comparison.

Every metric takes row weights, so a paired bootstrap is one matrix product away: each
resample is a vector of multinomial counts over the holdout rows, applied to both models'
predictions of the *same* rows. Unweighted calls agree with scikit-learn's metrics (tested).

The promotion rule: the challenger must beat the champion on the declared metric by at least
`min_improvement`, with the one-sided lower confidence bound of the paired improvement above
that margin. Classifiers judged on accuracy use McNemar's exact test on the discordant pairs
instead of the bootstrap.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np

LOWER_IS_BETTER = frozenset({"log_loss", "brier", "mae", "rmse", "mape"})
DEFAULT_METRIC = {"binary_classification": "roc_auc", "multiclass_classification": "macro_f1", "regression": "mae"}
TASK_METRICS = {
    "binary_classification": {"roc_auc", "log_loss", "brier", "accuracy", "f1"},
    "multiclass_classification": {"accuracy", "macro_f1", "log_loss"},
    "regression": {"mae", "rmse", "r2"},
}


class EvaluationError(ValueError):
    """A holdout that cannot judge a model (empty, one class for AUC, …)."""


@dataclass(frozen=True)
class Predictions:
    """One model's output on the holdout rows, in the holdout's row order.

    `score` is the positive-class probability (binary), `proba` the class-probability matrix
    with columns in `classes` order (multiclass), `label` the predicted label or value.
    """

    label: np.ndarray
    score: np.ndarray | None = None
    proba: np.ndarray | None = None
    classes: np.ndarray | None = None


def primary_metric(task: str, declared: str | None) -> str:
    metric = declared or DEFAULT_METRIC[task]
    if metric not in TASK_METRICS[task]:
        raise EvaluationError(f"promotion_metric '{metric}' does not apply to a {task} model "
                              f"(choose one of: {', '.join(sorted(TASK_METRICS[task]))})")
    return metric


def higher_is_better(metric: str) -> bool:
    return metric not in LOWER_IS_BETTER


# ---------------------------------------------------------------------------
# Weighted metrics: w has shape (n,) or (B, n); the result has shape () or (B,)
# ---------------------------------------------------------------------------


def _wmean(values: np.ndarray, w: np.ndarray) -> np.ndarray:
    return (w * values).sum(axis=-1) / w.sum(axis=-1)


def weighted_roc_auc(y: np.ndarray, score: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Mann-Whitney AUC with weights: ties between a positive and a negative count one half."""
    y = np.asarray(y, dtype=bool)
    order = np.argsort(score, kind="mergesort")
    s, pos = score[order], y[order]
    wp = np.where(pos, w[..., order], 0.0)
    wn = np.where(pos, 0.0, w[..., order])
    # group equal scores: negatives strictly below, plus half of the tied negatives
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    neg_group = np.add.reduceat(wn, starts, axis=-1)
    pos_group = np.add.reduceat(wp, starts, axis=-1)
    below = np.cumsum(neg_group, axis=-1) - neg_group
    numerator = (pos_group * (below + 0.5 * neg_group)).sum(axis=-1)
    denominator = wp.sum(axis=-1) * wn.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return numerator / denominator


def weighted_log_loss_binary(y: np.ndarray, score: np.ndarray, w: np.ndarray) -> np.ndarray:
    p = np.clip(score, np.finfo(float).eps, 1 - np.finfo(float).eps)
    losses = -np.where(np.asarray(y, dtype=bool), np.log(p), np.log1p(-p))
    return _wmean(losses, w)


def weighted_log_loss_multiclass(y: np.ndarray, proba: np.ndarray, classes: np.ndarray, w: np.ndarray) -> np.ndarray:
    index = {c: i for i, c in enumerate(classes)}
    columns = np.array([index.get(v, -1) for v in y])
    p = np.where(columns >= 0, proba[np.arange(len(y)), np.maximum(columns, 0)], 0.0)
    p = np.clip(p / proba.sum(axis=1), np.finfo(float).eps, 1.0)
    return _wmean(-np.log(p), w)


def weighted_f1(y_true: np.ndarray, y_pred: np.ndarray, w: np.ndarray, positive) -> np.ndarray:
    t, p = y_true == positive, y_pred == positive
    tp = (w * (t & p)).sum(axis=-1)
    fp = (w * (~t & p)).sum(axis=-1)
    fn = (w * (t & ~p)).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(2 * tp + fp + fn > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1e-300), 0.0)


def weighted_macro_f1(y_true: np.ndarray, y_pred: np.ndarray, w: np.ndarray) -> np.ndarray:
    labels = np.union1d(y_true, y_pred)
    return np.mean([weighted_f1(y_true, y_pred, w, label) for label in labels], axis=0)


def weighted_r2(y: np.ndarray, pred: np.ndarray, w: np.ndarray) -> np.ndarray:
    mean = _wmean(y, w)
    total = (w * (y - np.expand_dims(mean, -1)) ** 2).sum(axis=-1)
    residual = (w * (y - pred) ** 2).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 1.0 - residual / total


def metric_function(metric: str, task: str, positive_label) -> Callable[[np.ndarray, Predictions, np.ndarray], np.ndarray]:
    """f(y, predictions, weights) for one metric."""
    if metric == "roc_auc":
        return lambda y, p, w: weighted_roc_auc(y == positive_label, _need(p.score, metric), w)
    if metric == "log_loss" and task == "binary_classification":
        return lambda y, p, w: weighted_log_loss_binary(y == positive_label, _need(p.score, metric), w)
    if metric == "log_loss":
        return lambda y, p, w: weighted_log_loss_multiclass(y, _need(p.proba, metric), p.classes, w)
    if metric == "brier":
        return lambda y, p, w: _wmean(((y == positive_label) - _need(p.score, metric)) ** 2, w)
    if metric == "accuracy":
        return lambda y, p, w: _wmean((y == p.label).astype(float), w)
    if metric == "f1":
        return lambda y, p, w: weighted_f1(y, p.label, w, positive_label)
    if metric == "macro_f1":
        return lambda y, p, w: weighted_macro_f1(y, p.label, w)
    if metric == "mae":
        return lambda y, p, w: _wmean(np.abs(y - p.label), w)
    if metric == "rmse":
        return lambda y, p, w: np.sqrt(_wmean((y - p.label) ** 2, w))
    if metric == "r2":
        return lambda y, p, w: weighted_r2(y, p.label, w)
    raise EvaluationError(f"unknown metric '{metric}'")


def _need(values: np.ndarray | None, metric: str) -> np.ndarray:
    if values is None:
        raise EvaluationError(f"metric '{metric}' needs predicted probabilities; the estimator has no predict_proba")
    return values


# ---------------------------------------------------------------------------
# Paired comparison
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Challenger against champion on the same holdout rows. `improvement` > 0 favours the
    challenger whatever the metric's direction; the interval is two-sided at `confidence`."""

    metric: str
    n_rows: int
    champion_metric: float | None
    challenger_metric: float
    challenger_low: float
    challenger_high: float
    improvement: float | None
    improvement_low: float | None
    improvement_high: float | None
    test_name: str
    p_value: float | None
    confidence: float
    min_improvement: float
    promote: bool
    reason: str

    def as_dict(self) -> dict:
        return asdict(self)


def _mcnemar_p(challenger_right: np.ndarray, champion_right: np.ndarray) -> float:
    """One-sided exact McNemar: P(at least b challenger-only wins | b + c discordant pairs, p = 1/2)."""
    b = int(np.sum(challenger_right & ~champion_right))
    c = int(np.sum(~challenger_right & champion_right))
    n = b + c
    if n == 0:
        return 1.0
    log_half = n * math.log(0.5)
    terms = [math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + log_half for k in range(b, n + 1)]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def bootstrap_weights(n: int, resamples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.multinomial(n, np.full(n, 1.0 / n), size=resamples).astype(float)


def compare(
    y: np.ndarray,
    challenger: Predictions,
    champion: Predictions | None,
    *,
    task: str,
    metric: str,
    positive_label,
    confidence: float = 0.95,
    min_improvement: float = 0.0,
    resamples: int = 1000,
    seed: int = 0,
) -> Comparison:
    """Score both models on the holdout and decide whether the challenger earns promotion."""
    y = np.asarray(y)
    n = len(y)
    if n == 0:
        raise EvaluationError("the holdout is empty: no mature labelled rows to judge a model on")
    f = metric_function(metric, task, positive_label)
    ones = np.ones(n)
    challenger_value = float(f(y, challenger, ones))
    if not np.isfinite(challenger_value):
        raise EvaluationError(f"{metric} is undefined on this holdout ({n} rows; e.g. a single class for AUC)")
    sign = 1.0 if higher_is_better(metric) else -1.0
    alpha = 1.0 - confidence
    draws = []
    for start in range(0, resamples, 200):  # bounded memory: 200 x n weights at a time
        w = bootstrap_weights(n, min(200, resamples - start), seed + start)
        draws.append(np.stack([f(y, challenger, w)] + ([f(y, champion, w)] if champion is not None else [])))
    draws = np.concatenate(draws, axis=1)
    low, high = np.nanquantile(draws[0], [alpha / 2, 1 - alpha / 2])
    common = dict(metric=metric, n_rows=n, challenger_metric=challenger_value, challenger_low=float(low),
                  challenger_high=float(high), confidence=confidence, min_improvement=min_improvement)
    if champion is None:
        return Comparison(champion_metric=None, improvement=None, improvement_low=None, improvement_high=None,
                          test_name="none", p_value=None, promote=True,
                          reason="no champion: the first model is registered as champion", **common)

    champion_value = float(f(y, champion, ones))
    improvement = sign * (challenger_value - champion_value)
    differences = sign * (draws[0] - draws[1])
    diff_low, diff_high = np.nanquantile(differences, [alpha / 2, 1 - alpha / 2])
    if metric == "accuracy" and task != "regression":
        test_name = "mcnemar_exact"
        p_value = _mcnemar_p(challenger.label == y, champion.label == y)
        significant = p_value < alpha
    else:
        test_name = "paired_bootstrap"
        one_sided_low = float(np.nanquantile(differences, alpha))
        p_value = float((np.sum(differences <= min_improvement) + 1) / (np.sum(np.isfinite(differences)) + 1))
        significant = one_sided_low > min_improvement
    promote = bool(significant and improvement >= min_improvement)
    verdict = "promote" if promote else "keep the champion"
    reason = (f"{verdict}: {metric} {challenger_value:.4f} vs champion {champion_value:.4f}, "
              f"improvement {improvement:+.4f} ({confidence:.0%} interval {diff_low:+.4f} to {diff_high:+.4f}; "
              f"{test_name} p={p_value:.3g}; needs > {min_improvement:g})")
    return Comparison(champion_metric=champion_value, improvement=improvement, improvement_low=float(diff_low),
                      improvement_high=float(diff_high), test_name=test_name, p_value=p_value, promote=promote,
                      reason=reason, **common)
