"""Estimator factories the runner tests declare by import path (`recipes:...`)."""

from __future__ import annotations

import os
import time

from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import SGDClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from driftline import scenario


def _preprocess() -> ColumnTransformer:
    return ColumnTransformer([
        ("numeric", Pipeline([("impute", SimpleImputer()), ("scale", StandardScaler())]), scenario.NUMERIC_FEATURES),
        ("categorical", Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                                  ("onehot", OneHotEncoder(handle_unknown="ignore"))]), scenario.CATEGORICAL_FEATURES),
    ])


class SlowFit(ClassifierMixin, BaseEstimator):
    """The demo recipe, with a pause in `fit` long enough to kill the process or race it."""

    def __init__(self, seconds: float = 0.0):
        self.seconds = seconds

    def fit(self, X, y):
        marker = os.environ.get("DRIFTLINE_TEST_FIT_MARKER")
        if marker:
            with open(marker, "a") as handle:
                handle.write(f"{os.getpid()}\n")
        time.sleep(self.seconds)
        self.model_ = scenario.pipeline().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


def slow() -> SlowFit:
    return SlowFit(float(os.environ.get("DRIFTLINE_TEST_FIT_SECONDS", "0")))


def sgd() -> Pipeline:
    return Pipeline([("preprocess", _preprocess()),
                     ("classifier", SGDClassifier(loss="log_loss", alpha=1e-3, random_state=0))])


def knn() -> Pipeline:
    return Pipeline([("preprocess", _preprocess()), ("classifier", KNeighborsClassifier(25))])


def not_an_estimator() -> str:
    return "a string"
