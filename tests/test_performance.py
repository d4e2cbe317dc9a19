"""Realized performance against sklearn.metrics, label-join semantics, shadow comparison and estimates."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn import metrics

from perf_data import START
from driftline.tables import relation_name


def latest_labels(labels: pd.DataFrame) -> pd.DataFrame:
    ordered = labels.sort_values(["pid", "observed_at", "outcome"])
    return ordered.groupby("pid").tail(1).set_index("pid")


def joined(log: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    frame = log.join(latest_labels(labels)[["outcome"]], on="pid")
    frame["window_start"] = frame.ts.dt.floor("D")
    return frame


def metric_value(performance, monitor, window, metric, version=None, id_set="own"):
    rows = performance[(performance.monitor_name == monitor) & (performance.window_start == window)
                       & (performance.metric == metric) & (performance.segment_name == "__all__")
                       & (performance.id_set == id_set)]
    if version is not None:
        rows = rows[rows.model_version == version]
    assert len(rows) == 1, (monitor, window, metric, version, id_set, len(rows))
    return rows.iloc[0]


def sk_binary(frame: pd.DataFrame) -> dict[str, float]:
    labelled = frame[frame.outcome.notna()]
    y, pred, score = labelled.outcome.astype(int), labelled.predicted.astype(int), labelled.score
    out = {
        "accuracy": metrics.accuracy_score(y, pred),
        "precision": metrics.precision_score(y, pred, zero_division=0),
        "recall": metrics.recall_score(y, pred, zero_division=0),
        "f1": metrics.f1_score(y, pred, zero_division=0),
        "log_loss": metrics.log_loss(y, score, labels=[0, 1]),
        "brier": metrics.brier_score_loss(y, score, pos_label=1) if y.nunique() > 1 or True else None,
        "positive_rate": frame.predicted.mean(),
        "label_positive_rate": y.mean(),
        "roc_auc": metrics.roc_auc_score(y, score) if y.nunique() == 2 else float("nan"),
    }
    return out


def test_binary_metrics_match_sklearn(perf_build):
    log, labels = perf_build["tables"]["binary"]
    frame = joined(log[log.version == "v1"], labels)
    performance = perf_build["performance"]
    for window, group in frame.groupby("window_start"):
        if group.outcome.notna().sum() == 0:
            continue
        expected = sk_binary(group)
        for metric, value in expected.items():
            got = metric_value(performance, "binary", window, metric, "v1").value
            if math.isnan(value):
                assert math.isnan(got), (window, metric)
            else:
                assert got == pytest.approx(value, abs=1e-9), (window, metric, got, value)


def test_label_join_semantics(perf_build):
    log, labels = perf_build["tables"]["binary"]
    performance = perf_build["performance"]
    frame = joined(log[log.version == "v1"], labels)
    day0 = pd.Timestamp(START)
    row = metric_value(performance, "binary", day0, "accuracy", "v1")
    group = frame[frame.window_start == day0]
    assert row.n_predictions == len(group) and row.n_labelled == group.outcome.notna().sum()
    assert row.label_coverage == pytest.approx(group.outcome.notna().mean(), abs=1e-12)
    # predictions without labels count toward coverage: the last day has none yet
    last = metric_value(performance, "binary", day0 + pd.Timedelta(days=9), "accuracy", "v1")
    assert last.n_labelled == 0 and last.label_coverage == 0 and math.isnan(last.value)
    assert not last.is_mature and row.is_mature  # coverage 0.9 reaches mature_coverage


def test_label_delay_percentiles(perf_build):
    log, labels = perf_build["tables"]["binary"]
    performance = perf_build["performance"]
    first = labels.groupby("pid").observed_at.min()
    frame = log[log.version == "v1"].join(first, on="pid")
    frame["delay"] = (frame.observed_at - frame.ts).dt.total_seconds() / 86400
    frame["window_start"] = frame.ts.dt.floor("D")
    for window, group in frame.groupby("window_start"):
        delays = group.delay.dropna()
        if delays.empty:
            continue
        row = metric_value(performance, "binary", window, "accuracy", "v1")
        # delays are measured in whole seconds (dbt.datediff), i.e. to about 1.2e-5 days
        assert row.label_delay_p50_days == pytest.approx(np.quantile(delays, 0.5), abs=2.5e-5)
        assert row.label_delay_p90_days == pytest.approx(np.quantile(delays, 0.9), abs=2.5e-5)


def test_orphan_labels_are_counted_not_dropped(perf_build):
    quality = perf_build["quality"]
    orphans = quality[(quality.monitor_name == "binary") & (quality.check_name == "orphan_labels")]
    assert orphans.n_cur.sum() == 7  # n_cur holds the orphan count, n_ref the labels delivered that window
    flagged = orphans[orphans.n_cur > 0].iloc[0]
    assert flagged.window_start == pd.Timestamp(START) + pd.Timedelta(days=2)
    assert flagged.value == pytest.approx(7 / flagged.n_ref) and flagged.status in ("warn", "critical")
    assert set(orphans[orphans.n_cur == 0].status) == {"ok"}


def test_shadow_versions_compared_on_the_same_ids(perf_build):
    log, labels = perf_build["tables"]["binary"]
    performance = perf_build["performance"]
    day7 = pd.Timestamp(START) + pd.Timedelta(days=7)
    shared_ids = set(log[(log.version == "v2") & (log.ts.dt.floor("D") == day7)].pid)
    for version in ("v1", "v2"):
        frame = joined(log[(log.version == version) & log.pid.isin(shared_ids)], labels)
        expected = sk_binary(frame[frame.window_start == day7])
        row = metric_value(performance, "binary", day7, "roc_auc", version, id_set="shared")
        assert row.value == pytest.approx(expected["roc_auc"], abs=1e-9)
        assert row.n_predictions == len(shared_ids)
    own_v1 = metric_value(performance, "binary", day7, "roc_auc", "v1", id_set="own")
    assert own_v1.n_predictions > len(shared_ids)
    assert performance[(performance.id_set == "shared") & (performance.monitor_name == "binary")].window_start.nunique() == 2


def test_estimated_performance_from_scores(perf_build):
    log, _ = perf_build["tables"]["binary"]
    performance = perf_build["performance"]
    frame = log[log.version == "v1"].copy()
    frame["window_start"] = frame.ts.dt.floor("D")
    for window, group in frame.groupby("window_start"):
        p, yhat = group.score.to_numpy(), group.predicted.to_numpy()
        tp, fp, fn = (yhat * p).sum(), (yhat * (1 - p)).sum(), ((1 - yhat) * p).sum()
        accuracy = np.where(yhat == 1, p, 1 - p).mean()
        assert metric_value(performance, "binary", window, "accuracy", "v1").estimated_value == pytest.approx(accuracy, abs=1e-9)
        f1 = metric_value(performance, "binary", window, "f1", "v1").estimated_value
        assert f1 == pytest.approx(2 * tp / (2 * tp + fp + fn), abs=1e-9)
        precision = metric_value(performance, "binary", window, "precision", "v1").estimated_value
        if tp + fp == 0:
            assert math.isnan(precision)
        else:
            assert precision == pytest.approx(tp / (tp + fp), abs=1e-9)


def test_multiclass_metrics_match_sklearn(perf_build):
    log, labels = perf_build["tables"]["multiclass"]
    frame = joined(log, labels)
    performance = perf_build["performance"]
    for window, group in frame.groupby("window_start"):
        y, pred = group.outcome, group.predicted
        assert metric_value(performance, "multiclass", window, "accuracy").value == pytest.approx(metrics.accuracy_score(y, pred), abs=1e-9)
        assert metric_value(performance, "multiclass", window, "macro_f1").value == pytest.approx(
            metrics.f1_score(y, pred, average="macro", zero_division=0), abs=1e-9)


def test_regression_metrics_match_sklearn(perf_build):
    log, labels = perf_build["tables"]["regression"]
    frame = joined(log, labels)
    performance = perf_build["performance"]
    for window, group in frame.groupby("window_start"):
        y, pred = group.outcome.to_numpy(), group.predicted.to_numpy()
        nonzero = y != 0
        expected = {
            "mae": metrics.mean_absolute_error(y, pred),
            "rmse": math.sqrt(metrics.mean_squared_error(y, pred)),
            "mape": metrics.mean_absolute_percentage_error(y[nonzero], pred[nonzero]),
            "r2": metrics.r2_score(y, pred) if len(y) > 1 else float("nan"),
        }
        for metric, value in expected.items():
            got = metric_value(performance, "regression", window, metric).value
            if math.isnan(value):
                assert math.isnan(got), (window, metric)
            else:
                assert got == pytest.approx(value, abs=1e-9, rel=1e-12), (window, metric, got, value)


def _psi_js(ref_counts: np.ndarray, cur_counts: np.ndarray) -> tuple[float, float]:
    from scipy.spatial.distance import jensenshannon

    r, c = ref_counts / ref_counts.sum(), cur_counts / cur_counts.sum()
    js = float(jensenshannon(r, c, base=2))
    r, c = np.where(r > 0, r, 1e-4), np.where(c > 0, c, 1e-4)
    r, c = r / r.sum(), c / c.sum()
    return float(np.sum((c - r) * np.log(c / r))), js


def test_target_drift_matches_numpy(perf_build):
    con = duckdb.connect(str(perf_build["project"].project_dir / "warehouse.duckdb"))
    drift = con.execute(f"select * from {relation_name(perf_build['project'].manifest(), 'driftline_feature_drift')} "
                        "where feature_name = '__label__' and segment_name = '__all__'").df()
    con.close()
    log, labels = perf_build["tables"]["multiclass"]
    frame = joined(log, labels)  # every window is inside the reference (first 14 windows)
    classes = sorted(frame.outcome.unique())
    reference = frame.outcome.value_counts().reindex(classes, fill_value=0).to_numpy()
    for window, group in frame.groupby("window_start"):
        current = group.outcome.value_counts().reindex(classes, fill_value=0).to_numpy()
        psi, js = _psi_js(reference, current)
        rows = drift[(drift.monitor_name == "multiclass") & (drift.window_start == window)].set_index("statistic")
        assert rows.value["psi"] == pytest.approx(psi, abs=1e-9) and rows.value["js_distance"] == pytest.approx(js, abs=1e-9)
        assert rows.n_cur["psi"] == len(group) and rows.n_ref["psi"] == len(frame)
    # binary: each id counts once although day 7 and 8 ids were scored by two versions
    log, labels = perf_build["tables"]["binary"]
    frame = joined(log[log.version == "v1"], labels).dropna(subset=["outcome"])
    day7 = pd.Timestamp(START) + pd.Timedelta(days=7)
    row = drift[(drift.monitor_name == "binary") & (drift.window_start == day7) & (drift.statistic == "psi")].iloc[0]
    assert row.n_cur == (frame.window_start == day7).sum()
