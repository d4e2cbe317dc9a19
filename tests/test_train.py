"""The user's recipe meets awkward data: infinities, empty and constant columns, unseen categories."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from driftline import artifacts, demo, scenario, train
from driftline.config import Monitor, Relation


@pytest.fixture(scope="module")
def monitor() -> Monitor:
    declaration = demo.monitor_declaration(retraining=True)
    declaration["positive_label"] = "1"
    return Monitor("loan_default", "source.x", Relation(None, "raw", "log"), Relation(None, "raw", "o"), declaration)


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    sc = scenario.generate(scenario.ScenarioConfig(days=20, rows_per_day=100))
    frame = sc.predictions.merge(sc.labels.drop_duplicates("loan_id", keep="last"), on="loan_id")
    frame["label"] = frame["defaulted"].astype(str)
    frame["event_at"] = frame["scored_at"]
    frame["prediction_id"] = frame["loan_id"]
    return frame.reset_index(drop=True)


def test_infinities_become_missing_and_are_counted(monitor, rows):
    data = rows.copy()
    data.loc[:4, "income"] = [np.inf, -np.inf, np.inf, np.nan, 1.0]
    X, cleaned = train.feature_frame(monitor, data)
    assert cleaned == {"income": 3}
    assert X["income"].iloc[:4].isna().all() and np.isfinite(X["income"].dropna()).all()
    fitted = train.fit(train.new_estimator("driftline.scenario:pipeline"), X, train.target(monitor, data))
    assert fitted.rows == len(data)


def test_all_null_and_constant_features_and_unseen_categories_still_train_and_score(monitor, rows):
    data = rows.copy()
    data["utilization"] = np.nan  # all NULL in the window
    data["age"] = 40  # constant
    X, _ = train.feature_frame(monitor, data)
    model = train.fit(train.new_estimator("driftline.scenario:pipeline"), X, train.target(monitor, data)).estimator
    holdout = rows.head(50).copy()
    holdout["purpose"] = "crypto"  # a category the model never saw
    predictions = train.predict(monitor, model, train.feature_frame(monitor, holdout)[0])
    assert predictions.score.shape == (50,) and np.isfinite(predictions.score).all()


def test_an_empty_window_or_single_class_is_a_clear_training_error(monitor, rows):
    X, _ = train.feature_frame(monitor, rows.head(0))
    with pytest.raises(train.TrainingError, match="holds no labelled rows"):
        train.fit(train.new_estimator("driftline.scenario:pipeline"), X, train.target(monitor, rows.head(0)))
    one_class = rows[rows.label == "0"].head(100)
    with pytest.raises(train.TrainingError, match="failed"):
        train.fit(train.new_estimator("driftline.scenario:pipeline"), train.feature_frame(monitor, one_class)[0],
                  train.target(monitor, one_class))


def test_decay_weights_halve_every_half_life():
    times = pd.Series(pd.to_datetime(["2026-01-10", "2026-01-03", "2025-12-27"]))
    np.testing.assert_allclose(train.decay_weights(times, pd.Timestamp("2026-01-10"), 7.0), [1.0, 0.5, 0.25])


def test_artifacts_are_verified_before_loading(tmp_path, monitor, rows):
    X, _ = train.feature_frame(monitor, rows)
    model = train.fit(train.new_estimator("driftline.scenario:pipeline"), X, train.target(monitor, rows)).estimator
    path, sha = artifacts.save(model, tmp_path, "loan_default", "run1")
    loaded = artifacts.load(str(path), sha)
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    path.write_bytes(pickle.dumps("something else"))
    with pytest.raises(artifacts.ArtifactError, match="refusing to load it"):
        artifacts.load(str(path), sha)
    with pytest.raises(artifacts.ArtifactError, match="missing"):
        artifacts.load(str(tmp_path / "nope.pkl"), sha)
