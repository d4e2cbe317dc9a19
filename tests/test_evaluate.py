"""Holdout metrics against scikit-learn, and the promotion rule on generated predictions."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from sklearn import metrics

from driftline.evaluate import EvaluationError, Predictions, compare, metric_function


def _binary(n: int = 600, seed: int = 1):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    score = np.clip(0.3 * y + rng.normal(0.35, 0.25, n), 0.01, 0.99).round(2)  # rounding makes ties
    return np.where(y == 1, "1", "0").astype(object), score, rng.integers(1, 4, n).astype(float)


@pytest.mark.parametrize("weighted", [False, True])
def test_binary_metrics_match_sklearn(weighted):
    y, score, w = _binary()
    w = w if weighted else np.ones(len(y))
    label = np.where(score >= 0.5, "1", "0").astype(object)
    p = Predictions(label=label, score=score)
    truth = (y == "1").astype(int)
    expected = {
        "roc_auc": metrics.roc_auc_score(truth, score, sample_weight=w),
        "log_loss": metrics.log_loss(truth, score, sample_weight=w),
        "brier": metrics.brier_score_loss(truth, score, sample_weight=w),
        "accuracy": metrics.accuracy_score(y, label, sample_weight=w),
        "f1": metrics.f1_score(y, label, pos_label="1", sample_weight=w),
    }
    for name, value in expected.items():
        got = float(metric_function(name, "binary_classification", "1")(y, p, w))
        assert got == pytest.approx(value, abs=1e-6), name


def test_multiclass_and_regression_metrics_match_sklearn():
    rng = np.random.default_rng(2)
    y = rng.choice(["a", "b", "c"], 500).astype(object)
    proba = rng.dirichlet([1, 1, 1], 500)
    classes = np.array(["a", "b", "c"])
    label = classes[proba.argmax(axis=1)].astype(object)
    w = rng.integers(1, 3, 500).astype(float)
    p = Predictions(label=label, proba=proba, classes=classes)
    assert float(metric_function("macro_f1", "multiclass_classification", "1")(y, p, w)) == pytest.approx(
        metrics.f1_score(y, label, average="macro", sample_weight=w), abs=1e-9)
    assert float(metric_function("log_loss", "multiclass_classification", "1")(y, p, w)) == pytest.approx(
        metrics.log_loss(y, proba, labels=classes, sample_weight=w), abs=1e-9)

    target = rng.normal(10, 3, 400)
    pred = target + rng.normal(0, 1, 400)
    w = rng.integers(1, 3, 400).astype(float)
    r = Predictions(label=pred)
    assert float(metric_function("mae", "regression", "1")(target, r, w)) == pytest.approx(
        metrics.mean_absolute_error(target, pred, sample_weight=w), abs=1e-9)
    assert float(metric_function("rmse", "regression", "1")(target, r, w)) == pytest.approx(
        np.sqrt(metrics.mean_squared_error(target, pred, sample_weight=w)), abs=1e-9)
    assert float(metric_function("r2", "regression", "1")(target, r, w)) == pytest.approx(
        metrics.r2_score(target, pred, sample_weight=w), abs=1e-9)


def test_bootstrap_rows_are_vectorised_resamples():
    """A (B, n) weight matrix gives B metrics, each equal to sklearn on that resample."""
    y, score, _ = _binary(200, 3)
    rng = np.random.default_rng(0)
    weights = rng.multinomial(200, np.full(200, 1 / 200), size=5).astype(float)
    got = metric_function("roc_auc", "binary_classification", "1")(y, Predictions(label=y, score=score), weights)
    for row, value in zip(weights, got):
        assert value == pytest.approx(metrics.roc_auc_score(y == "1", score, sample_weight=row), abs=1e-9)


def test_identical_models_are_never_promoted_and_a_clear_winner_is():
    y, score, _ = _binary(800, 4)
    same = Predictions(label=y, score=score)
    tie = compare(y, same, same, task="binary_classification", metric="roc_auc", positive_label="1")
    assert not tie.promote and tie.improvement == 0.0 and tie.improvement_low == 0.0

    rng = np.random.default_rng(5)
    sharper = np.clip(score + 0.25 * ((y == "1") - 0.5) + rng.normal(0, 0.02, len(y)), 0, 1)
    win = compare(y, Predictions(label=y, score=sharper), same, task="binary_classification", metric="roc_auc",
                  positive_label="1")
    assert win.promote and win.improvement > 0 and win.improvement_low > 0 and win.test_name == "paired_bootstrap"
    assert win.challenger_metric == pytest.approx(metrics.roc_auc_score(y == "1", sharper))

    # the same win, but not by the declared margin: keep the champion and say why
    margin = compare(y, Predictions(label=y, score=sharper), same, task="binary_classification", metric="roc_auc",
                     positive_label="1", min_improvement=0.5)
    assert not margin.promote and "needs > 0.5" in margin.reason


def test_lower_is_better_metrics_flip_the_sign():
    rng = np.random.default_rng(6)
    target = rng.normal(0, 1, 500)
    good, bad = Predictions(label=target + rng.normal(0, 0.1, 500)), Predictions(label=target + rng.normal(0, 1, 500))
    result = compare(target, good, bad, task="regression", metric="mae", positive_label="1")
    assert result.promote and result.improvement > 0 and result.challenger_metric < result.champion_metric


def test_mcnemar_matches_an_exact_binomial_test():
    rng = np.random.default_rng(7)
    y = rng.choice(["0", "1"], 400).astype(object)
    champion = np.where(rng.random(400) < 0.75, y, np.where(y == "1", "0", "1")).astype(object)
    challenger = champion.copy()
    flip = rng.choice(np.flatnonzero(champion != y), 30, replace=False)
    challenger[flip] = y[flip]  # 30 rows only the challenger gets right
    worse = rng.choice(np.flatnonzero(champion == y), 12, replace=False)
    challenger[worse] = np.where(y[worse] == "1", "0", "1")  # 12 rows only the champion gets right
    result = compare(y, Predictions(label=challenger), Predictions(label=champion), task="binary_classification",
                     metric="accuracy", positive_label="1")
    assert result.test_name == "mcnemar_exact"
    assert result.p_value == pytest.approx(stats.binomtest(30, 42, 0.5, alternative="greater").pvalue, rel=1e-9)
    assert result.promote


def test_an_empty_or_single_class_holdout_is_a_clear_error():
    with pytest.raises(EvaluationError, match="holdout is empty"):
        compare(np.array([], dtype=object), Predictions(label=np.array([]), score=np.array([])), None,
                task="binary_classification", metric="roc_auc", positive_label="1")
    y = np.array(["1"] * 10, dtype=object)
    with pytest.raises(EvaluationError, match="undefined"):
        compare(y, Predictions(label=y, score=np.linspace(0, 1, 10)), None, task="binary_classification",
                metric="roc_auc", positive_label="1")
