"""Staging models normalise every declared prediction log and label relation, side by side."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from conftest import regression_tables
from driftline import scenario


def test_both_monitors_are_staged_with_every_prediction(demo_build):
    preds = demo_build.relation("stg_driftline__predictions")
    counts = demo_build.query(
        f"select monitor_name, count(*) as n, count(distinct prediction_id) as ids from {preds} "
        "where segment_name = '__all__' group by 1 order by 1"
    )
    sc = demo_build.scenario
    assert counts.to_dict("records") == [
        {"monitor_name": "loan_default", "n": len(sc.predictions), "ids": len(sc.predictions)},
        {"monitor_name": "loan_recovery", "n": len(sc.predictions), "ids": len(sc.predictions)},
    ]


def test_segment_slices_partition_the_log(demo_build):
    preds = demo_build.relation("stg_driftline__predictions")
    slices = demo_build.query(
        f"select segment_name, segment_value, count(*) as n from {preds} "
        "where monitor_name = 'loan_default' group by 1, 2 order by 1, 2"
    )
    overall = slices[slices.segment_name == "__all__"].n.sum()
    by_region = slices[slices.segment_name == "region"].set_index("segment_value").n
    expected = demo_build.scenario.predictions["region"].value_counts()
    assert by_region.sum() == overall
    assert by_region.sort_index().to_dict() == expected.sort_index().to_dict()
    # A monitor without segments has only the overall slice.
    assert demo_build.query(
        f"select distinct segment_name from {preds} where monitor_name = 'loan_recovery'"
    ).segment_name.tolist() == ["__all__"]


def test_window_start_follows_the_declared_unit(demo_build):
    preds = demo_build.relation("stg_driftline__predictions")
    rows = demo_build.query(
        f"select monitor_name, event_at, window_start from {preds} where segment_name = '__all__'"
    )
    daily = rows[rows.monitor_name == "loan_default"]
    assert (daily.window_start == daily.event_at.dt.floor("D")).all()
    weekly = rows[rows.monitor_name == "loan_recovery"]
    monday = weekly.event_at.dt.floor("D") - pd.to_timedelta(weekly.event_at.dt.day_of_week, unit="D")
    assert (weekly.window_start == monday).all()


def test_prediction_columns_are_normalised(demo_build):
    preds = demo_build.relation("stg_driftline__predictions")
    staged = demo_build.query(
        f"select prediction_id, model_version, predicted_label, predicted_value, score from {preds} "
        "where monitor_name = 'loan_default' and segment_name = '__all__' order by prediction_id"
    )
    raw = demo_build.scenario.predictions.sort_values("loan_id")
    assert staged.prediction_id.tolist() == raw.loan_id.tolist()
    assert staged.predicted_label.tolist() == raw.predicted_default.astype(str).tolist()
    np.testing.assert_allclose(staged.score.to_numpy(), raw.score.to_numpy(), rtol=0, atol=0)
    assert staged.predicted_value.isna().all() and set(staged.model_version) == {scenario.MODEL_VERSION}

    recovery = demo_build.query(
        f"select predicted_label, predicted_value, model_version from {preds} where monitor_name = 'loan_recovery'"
    )
    assert recovery.predicted_label.isna().all() and recovery.predicted_value.notna().all()
    assert set(recovery.model_version) == {"unversioned"}


def test_feature_values_unpivot_every_feature_once_per_slice(demo_build):
    values = demo_build.relation("stg_driftline__feature_values")
    counts = demo_build.query(
        f"select monitor_name, segment_name, count(*) as n from {values} group by 1, 2 order by 1, 2"
    )
    n = len(demo_build.scenario.predictions)
    # 14 features + score + prediction; the regression monitor has 3 features + prediction, no score.
    assert counts.to_dict("records") == [
        {"monitor_name": "loan_default", "segment_name": "__all__", "n": n * 16},
        {"monitor_name": "loan_default", "segment_name": "region", "n": n * 16},
        {"monitor_name": "loan_recovery", "segment_name": "__all__", "n": n * 4},
    ]
    roles = demo_build.query(
        f"select distinct feature_name, feature_kind, feature_role from {values} "
        "where monitor_name = 'loan_default' and feature_role <> 'feature' order by 1"
    )
    assert roles.values.tolist() == [["__prediction__", "categorical", "prediction"], ["__score__", "numeric", "score"]]


def test_feature_values_match_the_raw_log(demo_build):
    values = demo_build.relation("stg_driftline__feature_values")
    staged = demo_build.query(
        f"select prediction_id, feature_name, feature_kind, value_numeric, value_categorical from {values} "
        "where monitor_name = 'loan_default' and segment_name = '__all__' and feature_role = 'feature'"
    )
    raw = demo_build.scenario.predictions.set_index("loan_id")
    for feature, group in staged.groupby("feature_name"):
        group = group.set_index("prediction_id").loc[raw.index]
        if group.feature_kind.iloc[0] == "numeric":
            expected = raw[feature].astype(float)
            np.testing.assert_array_equal(group.value_numeric.to_numpy(), expected.to_numpy())
            assert group.value_categorical.isna().all()
        else:
            assert group.value_categorical.fillna("<null>").tolist() == raw[feature].fillna("<null>").tolist()
            assert group.value_numeric.isna().all()


def test_nan_is_missing_and_infinities_are_kept(demo_build):
    values = demo_build.relation("stg_driftline__feature_values")
    log, _ = regression_tables(demo_build.scenario)
    ids = log.request_id.iloc[:3].tolist()
    staged = demo_build.query(
        f"select prediction_id, value_numeric from {values} where monitor_name = 'loan_recovery' "
        "and feature_name = 'income' and prediction_id in (?, ?, ?)",
        ids,
    ).set_index("prediction_id").value_numeric
    assert math.isnan(staged[ids[0]])  # NULL arrives in pandas as NaN
    assert staged[ids[1]] == math.inf and staged[ids[2]] == -math.inf
    nan_check = demo_build.query(
        f"select count(*) as nulls, count(*) filter (where isnan(value_numeric)) as nans from {values} "
        f"where monitor_name = 'loan_recovery' and feature_name = 'income' and prediction_id = ?",
        ids[:1],
    ).iloc[0]
    assert nan_check.nans == 0


def test_labels_are_staged_as_delivered(demo_build):
    labels = demo_build.relation("stg_driftline__labels")
    staged = demo_build.query(f"select monitor_name, count(*) as n from {labels} group by 1 order by 1")
    _, outcomes = regression_tables(demo_build.scenario)
    assert staged.to_dict("records") == [
        {"monitor_name": "loan_default", "n": len(demo_build.scenario.labels)},
        {"monitor_name": "loan_recovery", "n": len(outcomes)},
    ]
    values = demo_build.query(f"select label, label_value from {labels} where monitor_name = 'loan_recovery'")
    assert values.label_value.notna().all()
    assert set(demo_build.query(f"select distinct label from {labels} where monitor_name = 'loan_default'").label) == {"0", "1"}


def test_monitors_are_tables_too(demo_build):
    monitors = demo_build.query(f"select * from {demo_build.relation('driftline_monitors')} order by monitor_name")
    assert monitors.monitor_name.tolist() == ["loan_default", "loan_recovery"]
    assert monitors.n_features.tolist() == [14, 3]
    assert monitors.window_unit.tolist() == ["day", "week"]
    features = demo_build.query(f"select * from {demo_build.relation('driftline_monitor_features')}")
    assert len(features) == 17


def test_package_adds_no_seeds_or_tests_to_the_users_project(demo_build):
    manifest = demo_build.manifest()
    driftline_nodes = [n for n in manifest["nodes"].values() if n["package_name"] == "driftline"]
    assert {n["resource_type"] for n in driftline_nodes} <= {"model", "test"}
    # Tests shipped with the package are YAML data tests on driftline's own models, never singular SQL files.
    assert not [n for n in driftline_nodes if n["resource_type"] == "test" and not n.get("test_metadata")]
