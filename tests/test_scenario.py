"""The demo scenario: reproducible, well-formed, and carrying each event measurably."""

from __future__ import annotations

import datetime

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline

from driftline import scenario as sc
from driftline.scenario import Scenario, ScenarioConfig, generate, write_duckdb

DAY = pd.Timedelta(days=1)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return generate()


def _day_index(s: Scenario, times: pd.Series) -> pd.Series:
    return (times - pd.Timestamp(s.config.start)) // DAY


def _incident(s: Scenario, day: pd.Series) -> pd.Series:
    start = s.config.broken_feed_start
    return (day >= start) & (day < start + s.config.broken_feed_days)


def _latest_labels(s: Scenario) -> pd.DataFrame:
    latest = s.labels.sort_values("labelled_at").drop_duplicates("loan_id", keep="last")
    return s.predictions.merge(latest[["loan_id", "defaulted"]], on="loan_id")


def _psi(reference: np.ndarray, current: np.ndarray, bins: int = 10) -> float:
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)))
    edges[0], edges[-1] = -np.inf, np.inf
    ref = np.clip(np.histogram(reference, edges)[0] / reference.size, 1e-6, None)
    cur = np.clip(np.histogram(current, edges)[0] / current.size, 1e-6, None)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def _calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over equal-width score bins."""
    which = np.minimum((p * bins).astype(int), bins - 1)
    return float(sum(abs(y[which == b].mean() - p[which == b].mean()) * np.mean(which == b) for b in np.unique(which)))


# ---------------------------------------------------------------------------
# Reproducibility and shape
# ---------------------------------------------------------------------------


def test_same_config_gives_identical_frames(scenario: Scenario) -> None:
    again = generate(ScenarioConfig())
    pd.testing.assert_frame_equal(scenario.predictions, again.predictions, check_exact=True)
    pd.testing.assert_frame_equal(scenario.labels, again.labels, check_exact=True)
    assert scenario.as_of == again.as_of
    np.testing.assert_array_equal(
        scenario.champion.named_steps["classifier"].coef_, again.champion.named_steps["classifier"].coef_
    )


def test_other_seed_gives_other_data() -> None:
    a = generate(ScenarioConfig(seed=1, days=5, rows_per_day=50))
    b = generate(ScenarioConfig(seed=2, days=5, rows_per_day=50))
    assert not a.predictions["income"].equals(b.predictions["income"])


def test_columns_dtypes_and_constants(scenario: Scenario) -> None:
    p = scenario.predictions
    features = sc.NUMERIC_FEATURES + sc.CATEGORICAL_FEATURES
    head, tail = ["loan_id", "scored_at", "model_version", sc.SEGMENT_COLUMN], ["score", "predicted_default"]
    assert list(p.columns) == [*head, *features, *tail]
    assert len(sc.NUMERIC_FEATURES) == 11 and len(sc.CATEGORICAL_FEATURES) == 3
    assert scenario.feature_columns == {"numeric": sc.NUMERIC_FEATURES, "categorical": sc.CATEGORICAL_FEATURES}
    assert p["scored_at"].dtype == "datetime64[us]" and scenario.labels["labelled_at"].dtype == "datetime64[us]"
    assert all(pd.api.types.is_numeric_dtype(p[c]) for c in sc.NUMERIC_FEATURES)
    assert all(pd.api.types.is_string_dtype(p[c]) for c in ["loan_id", "model_version", *sc.CATEGORICAL_FEATURES])
    assert p["score"].dtype == np.float64 and set(p["predicted_default"].unique()) == {0, 1}
    assert set(p["model_version"]) == {"v0"}
    assert list(scenario.labels.columns) == ["loan_id", "defaulted", "labelled_at"]


def test_feature_domains(scenario: Scenario) -> None:
    p = scenario.predictions
    assert p["credit_score"].between(300, 850).all()
    assert p["utilization"].dropna().between(0, 1).all()
    assert set(p["loan_term_months"].unique()) == {36, 60}
    assert (p["delinquencies_2y"] == 0).mean() > 0.6
    assert (p["num_open_accounts"] % 1 == 0).all()
    assert 45_000 < p["income"].iloc[: len(p) // 3].median() < 65_000  # early, before any event
    assert set(p["region"]) == {"north", "south", "east", "west", "central"}
    assert set(p["home_ownership"].dropna()) == {"rent", "own", "mortgage"}
    assert set(p["purpose"]) == {"debt_consolidation", "credit_card", "home_improvement", "car", "other"}
    assert set(p["employment_type"]) == {"salaried", "self_employed", "contract", "unemployed"}


def test_row_counts_and_ids(scenario: Scenario) -> None:
    cfg, p = scenario.config, scenario.predictions
    per_day = p.groupby(_day_index(scenario, p["scored_at"])).size()
    assert list(per_day.index) == list(range(cfg.days))
    assert per_day.between(0.9 * cfg.rows_per_day, 1.1 * cfg.rows_per_day).all()
    assert per_day.std() > 5  # the volume does vary
    assert abs(len(p) / (cfg.days * cfg.rows_per_day) - 1) < 0.02
    assert p["loan_id"].is_unique and p["loan_id"].str.fullmatch(r"L\d{6}").all()
    assert p["scored_at"].is_monotonic_increasing
    assert p["scored_at"].min() >= pd.Timestamp(cfg.start) and p["scored_at"].max() < pd.Timestamp(scenario.as_of)
    assert scenario.as_of == datetime.datetime(2026, 5, 1)


def test_small_and_eventless_configs_generate() -> None:
    tiny = generate(ScenarioConfig(days=1, rows_per_day=1))
    assert len(tiny.predictions) == 1
    quiet = generate(ScenarioConfig(days=10, rows_per_day=20, shift_day=10, broken_feed_start=10))
    assert quiet.predictions["utilization"].notna().all()


@pytest.mark.parametrize(
    "bad", [{"days": 0}, {"shift_day": -1}, {"label_revision_share": 1.5}, {"max_label_delay_days": 0}]
)
def test_invalid_config_is_rejected(bad: dict) -> None:
    with pytest.raises(ValueError):
        ScenarioConfig(**bad)


# ---------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------


def test_label_delays_and_arrival(scenario: Scenario) -> None:
    joined = scenario.labels.merge(scenario.predictions[["loan_id", "scored_at"]], on="loan_id")
    delay = joined["labelled_at"] - joined["scored_at"]
    max_delay = scenario.config.max_label_delay_days * DAY
    assert delay.min() >= DAY and delay.max() <= max_delay
    # Uniform over [1, max] days, judged where no label can still be outstanding.
    settled = joined["scored_at"] < pd.Timestamp(scenario.as_of) - max_delay
    assert delay[settled].mean() / DAY == pytest.approx((1 + scenario.config.max_label_delay_days) / 2, abs=0.5)
    assert (scenario.labels["labelled_at"] <= pd.Timestamp(scenario.as_of)).all()
    # Outcomes of the last month are partly still outstanding; older ones have all arrived.
    labelled = scenario.predictions["loan_id"].isin(scenario.labels["loan_id"])
    age = pd.Timestamp(scenario.as_of) - scenario.predictions["scored_at"]
    assert labelled[age > scenario.config.max_label_delay_days * DAY].all()
    assert not labelled[age < DAY].any()
    assert 0.2 < labelled[age < 15 * DAY].mean() < 0.6


def test_revisions_and_orphans(scenario: Scenario) -> None:
    labels, cfg = scenario.labels, scenario.config
    known = labels["loan_id"].isin(scenario.predictions["loan_id"])
    first_labels = labels.loc[known, "loan_id"].nunique()

    orphans = labels[~known]
    assert orphans["loan_id"].str.fullmatch(r"X\d{6}").all()
    assert len(orphans) / first_labels == pytest.approx(cfg.orphan_label_share, abs=0.001)

    repeated = labels[known & labels["loan_id"].duplicated(keep=False)].sort_values(["loan_id", "labelled_at"])
    rows_per_loan = repeated.groupby("loan_id").size()
    assert (rows_per_loan == 2).all()
    assert len(rows_per_loan) / first_labels == pytest.approx(cfg.label_revision_share, abs=0.002)
    first, last = repeated.groupby("loan_id").nth(0), repeated.groupby("loan_id").nth(1)
    assert (last["labelled_at"].to_numpy() > first["labelled_at"].to_numpy()).all()
    flipped = (last["defaulted"].to_numpy() != first["defaulted"].to_numpy()).mean()
    assert 0.5 < flipped < 0.95  # mostly corrections, some re-confirmations


# ---------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------


def test_broken_feed_exactly_on_incident_days(scenario: Scenario) -> None:
    p = scenario.predictions
    incident = _incident(scenario, _day_index(scenario, p["scored_at"]))
    assert sorted(_day_index(scenario, p.loc[incident, "scored_at"]).unique()) == [40, 41, 42, 43]
    assert (p.loc[incident, "income"] < 1_000).all()  # thousands
    assert (p.loc[~incident, "income"] >= 5_000).all()  # dollars
    assert p.loc[incident, "utilization"].isna().all()
    assert p.loc[~incident, "utilization"].notna().all()
    # The champion scored the broken values: scores jump on exactly those days.
    normal = ~incident & (p["scored_at"] < pd.Timestamp(scenario.config.start) + scenario.config.shift_day * DAY)
    assert p.loc[incident, "score"].mean() - p.loc[normal, "score"].mean() > 0.02


def test_natural_nulls(scenario: Scenario) -> None:
    p = scenario.predictions
    assert p["employment_years"].isna().mean() == pytest.approx(0.03, abs=0.005)
    assert p["home_ownership"].isna().mean() == pytest.approx(0.01, abs=0.003)
    others = p.drop(columns=["employment_years", "home_ownership", "utilization"])
    assert not others.isna().any().any()


def test_gradual_credit_score_drift(scenario: Scenario) -> None:
    p = scenario.predictions
    daily = p.groupby(_day_index(scenario, p["scored_at"]))["credit_score"].mean()
    slope = np.polyfit(daily.index.to_numpy(), daily.to_numpy(), 1)[0]
    decline_in_sd = -slope * scenario.config.days / p["credit_score"].std()
    assert 0.35 < decline_in_sd < 0.65


def test_covariate_shift(scenario: Scenario) -> None:
    p = scenario.predictions
    day = _day_index(scenario, p["scored_at"])
    pre, post = (day < scenario.config.shift_day) & ~_incident(scenario, day), day >= scenario.config.shift_day

    assert _psi(p.loc[pre, "interest_rate"].to_numpy(), p.loc[post, "interest_rate"].to_numpy()) > 0.25
    assert p.loc[post, "interest_rate"].mean() - p.loc[pre, "interest_rate"].mean() > 2.0  # +2 points and drift
    assert p.loc[post, "income"].median() / p.loc[pre, "income"].median() == pytest.approx(0.85, abs=0.04)
    purpose_pre = (p.loc[pre, "purpose"] == "debt_consolidation").mean()
    assert (p.loc[post, "purpose"] == "debt_consolidation").mean() - purpose_pre > 0.1
    regions = pd.crosstab(post[pre | post], p.loc[pre | post, "region"], normalize="index")
    assert (regions.loc[True] - regions.loc[False]).abs().max() > 0.05
    # Features that did not move stay quiet.
    assert _psi(p.loc[pre, "age"].to_numpy(), p.loc[post, "age"].to_numpy()) < 0.02


def test_concept_shift_hurts_the_champion(scenario: Scenario) -> None:
    joined = _latest_labels(scenario)
    day = _day_index(scenario, joined["scored_at"])
    pre = (day < scenario.config.shift_day) & ~_incident(scenario, day)
    post = day >= scenario.config.shift_day
    y, score = joined["defaulted"].to_numpy(), joined["score"].to_numpy()

    auc_pre, auc_post = roc_auc_score(y[pre], score[pre]), roc_auc_score(y[post], score[post])
    assert auc_pre > 0.75
    assert auc_pre - auc_post >= 0.05
    assert _calibration_error(y[post], score[post]) > 2 * _calibration_error(y[pre], score[pre])
    assert 0.12 < y.mean() < 0.18


def test_champion_scored_the_log(scenario: Scenario) -> None:
    p = scenario.predictions
    assert isinstance(scenario.champion, Pipeline)
    rescored = scenario.champion.predict_proba(p[sc.NUMERIC_FEATURES + sc.CATEGORICAL_FEATURES])[:, 1]
    np.testing.assert_array_equal(rescored, p["score"].to_numpy())
    assert (p["predicted_default"] == (p["score"] >= sc.DECISION_THRESHOLD)).all()
    # Before the shift the decision threshold flags about as many loans as default.
    joined = _latest_labels(scenario)
    day = _day_index(scenario, joined["scored_at"])
    pre = (day < scenario.config.shift_day) & ~_incident(scenario, day)
    assert joined.loc[pre, "predicted_default"].mean() == pytest.approx(joined.loc[pre, "defaulted"].mean(), abs=0.03)
    assert joined.loc[pre, "score"].mean() == pytest.approx(joined.loc[pre, "defaulted"].mean(), abs=0.015)


# ---------------------------------------------------------------------------
# DuckDB
# ---------------------------------------------------------------------------


def test_write_duckdb_round_trip(scenario: Scenario, tmp_path) -> None:
    path = tmp_path / "warehouse.duckdb"
    write_duckdb(scenario, path)
    write_duckdb(scenario, path)  # replaces, never appends
    write_duckdb(scenario, str(path), schema="other")

    with duckdb.connect(str(path), read_only=True) as con:
        for schema in ("raw", "other"):
            counts = con.sql(
                f"select (select count(*) from {schema}.loan_predictions),"
                f" (select count(*) from {schema}.loan_outcomes)"
            ).fetchall()
            assert counts == [(len(scenario.predictions), len(scenario.labels))]
        columns = "select column_name, data_type from information_schema.columns where table_schema = 'raw'"
        types = dict(con.sql(columns).fetchall())
        [nulls] = con.sql(
            "select count(*) - count(utilization), count(*) - count(home_ownership), max(scored_at)"
            " from raw.loan_predictions"
        ).fetchall()
        back = con.sql("select * from raw.loan_outcomes order by labelled_at, loan_id").df()

    assert types["scored_at"] == "TIMESTAMP" and types["labelled_at"] == "TIMESTAMP"
    assert types["loan_id"] == "VARCHAR" and types["region"] == "VARCHAR" and types["home_ownership"] == "VARCHAR"
    assert types["income"] == "DOUBLE" and types["score"] == "DOUBLE"
    assert types["credit_score"] == "BIGINT" and types["defaulted"] == "BIGINT"
    p = scenario.predictions
    assert nulls[:2] == (p["utilization"].isna().sum(), p["home_ownership"].isna().sum())
    assert nulls[2] == p["scored_at"].max().to_pydatetime()
    assert (back["loan_id"].to_numpy() == scenario.labels["loan_id"].to_numpy()).all()
    assert (back["labelled_at"].to_numpy() == scenario.labels["labelled_at"].to_numpy()).all()
