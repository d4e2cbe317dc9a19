"""A seeded, reproducible loan-default scenario: the demo data and the integration fixture.

`generate()` simulates a deployed binary classifier (probability of default) and its
prediction log over `days` days, plus the outcome labels that have arrived by `as_of`.
The log contains the events driftline must find, each measurable and none absurd:

1. gradual drift     credit_score declines steadily, ~0.5 sd over the period;
2. covariate shift   from `shift_day`: income -15 %, interest_rate +2 points, purpose
                     mix towards debt_consolidation, region mix towards south/central;
3. concept shift     from `shift_day`: debt_to_income and utilization weigh twice as
                     much, credit_score and delinquencies hardly at all, income and the
                     60-month term swap sign, self-employed applicants and renters carry
                     more risk; the champion ranks and calibrates clearly worse;
4. broken feed       for `broken_feed_days` days from `broken_feed_start`: income is
                     logged in thousands and utilization is NULL. Applicants (and so
                     outcomes) are unaffected; only the logged values and the scores are.

Labels arrive 1..`max_label_delay_days` days after scoring; some get a later corrected
row (the latest `labelled_at` is the truth) and a few match no prediction at all.

Every random draw comes from a named child of `SeedSequence(config.seed)`, so one part
of the simulation can change without reshuffling the others, and the same config gives
byte-identical frames.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC_FEATURES: list[str] = [
    "income",
    "loan_amount",
    "debt_to_income",
    "credit_score",
    "age",
    "employment_years",
    "num_open_accounts",
    "delinquencies_2y",
    "utilization",
    "interest_rate",
    "loan_term_months",
]
CATEGORICAL_FEATURES: list[str] = ["home_ownership", "purpose", "employment_type"]
SEGMENT_COLUMN = "region"
MODEL_VERSION = "v0"  # the model in production before driftline

# Chosen so the champion's predicted positive rate matches the pre-shift default rate
# (~14 %); 0.5 would flag almost nobody at this base rate.
DECISION_THRESHOLD = 0.28

PREHISTORY_ROWS = 20_000  # training sample of the champion, drawn before day 0
PREHISTORY_DAYS = 90  # the pre-history spans days [-90, 0)

_DAY_US = 86_400 * 1_000_000
_INT_FEATURES = ["credit_score", "age", "num_open_accounts", "delinquencies_2y", "loan_term_months"]

_REGIONS = ["north", "south", "east", "west", "central"]
_REGION_P = {"pre": [0.30, 0.25, 0.20, 0.15, 0.10], "post": [0.22, 0.31, 0.17, 0.12, 0.18]}
_REGION_INCOME = np.array([1.05, 0.92, 1.00, 1.12, 0.95])  # regional wage levels

_PURPOSES = ["debt_consolidation", "credit_card", "home_improvement", "car", "other"]
_PURPOSE_P = {"pre": [0.40, 0.22, 0.13, 0.12, 0.13], "post": [0.55, 0.20, 0.08, 0.07, 0.10]}
_PURPOSE_AMOUNT = np.array([15_000, 9_000, 25_000, 18_000, 8_000])  # median loan by purpose

_EMPLOYMENT = ["salaried", "self_employed", "contract", "unemployed"]
_EMPLOYMENT_P = [0.62, 0.15, 0.15, 0.08]
_HOMES = ["rent", "own", "mortgage"]

_CREDIT_MEAN, _CREDIT_SD = 690.0, 70.0
_CREDIT_DRIFT_SD = 0.5  # total decline over the period, in credit-score sd
_INCOME_MEDIAN, _INCOME_SIGMA = 55_000.0, 0.45

_ORPHAN_DEFAULT_RATE = 0.15  # orphans belong to no applicant: draw them at a typical base rate
_NULL_SHARE = {"employment_years": 0.03, "home_ownership": 0.01}

# The true default process: logit = intercept + sum(weight * standardised term).
# Pre-shift weights are what the champion learns; post-shift weights are the new world.
_TRUTH = {
    "pre": {
        "intercept": -2.80,
        "credit": -0.70,
        "dti": 0.35,
        "util": 0.30,
        "rate": 0.10,
        "delinquencies": 0.25,
        "log_income": -0.25,
        "term60": 0.20,
        "self_employed": 0.20,
        "rent": 0.15,
    },
    # Stretched household budgets: leverage (dti, utilization) weighs twice as much, past
    # behaviour (score, delinquencies) hardly matters, income stops protecting, long terms
    # become the safer choice and self-employed / renting applicants carry much more risk.
    "post": {
        "intercept": -2.65,
        "credit": -0.05,
        "dti": 0.70,
        "util": 0.60,
        "rate": 0.05,
        "delinquencies": 0.05,
        "log_income": 0.25,
        "term60": -0.40,
        "self_employed": 1.20,
        "rent": 0.50,
    },
}
_PURPOSE_RISK = np.array([0.15, 0.05, -0.20, -0.25, 0.10])
_EMPLOYMENT_RISK = np.array([0.0, 0.0, 0.30, 0.80])  # self_employed carried by its own weight


@dataclass(frozen=True)
class ScenarioConfig:
    """Everything that shapes a scenario; equal configs give byte-identical scenarios."""

    seed: int = 7
    start: datetime.date = datetime.date(2026, 1, 1)  # day 0
    days: int = 120
    rows_per_day: int = 400  # mean; each day's count is Poisson, clipped to +-10 %
    shift_day: int = 70  # genuine covariate + concept shift starts this day
    broken_feed_start: int = 40  # broken feed incident: days [start, start + days)
    broken_feed_days: int = 4
    max_label_delay_days: int = 30  # labels arrive 1..30 days after the prediction
    label_revision_share: float = 0.02  # share of labels that get a later corrected row
    orphan_label_share: float = 0.005  # labels whose id matches no prediction

    def __post_init__(self) -> None:
        if self.days < 1 or self.rows_per_day < 1:
            raise ValueError("days and rows_per_day must be positive")
        # An event day at or beyond `days` simply leaves that event out of the scenario.
        if min(self.shift_day, self.broken_feed_start, self.broken_feed_days) < 0:
            raise ValueError("shift_day, broken_feed_start and broken_feed_days must not be negative")
        if self.max_label_delay_days < 1:
            raise ValueError("max_label_delay_days must be at least 1")
        for name in ("label_revision_share", "orphan_label_share"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must lie within [0, 1]")


@dataclass
class Scenario:
    """A generated prediction log, the labels known at `as_of`, and the model behind the scores."""

    config: ScenarioConfig
    predictions: pd.DataFrame
    labels: pd.DataFrame
    as_of: datetime.datetime  # start + days, midnight: the scenario's "now"
    champion: Pipeline  # the fitted pipeline that scored the log
    feature_columns: dict[str, list[str]]  # {"numeric": [...], "categorical": [...]}


# ---------------------------------------------------------------------------
# Random streams
# ---------------------------------------------------------------------------

_STREAMS = ("prehistory", "volume", "applicants", "outcomes", "labels")


def _streams(seed: int) -> dict[str, np.random.Generator]:
    children = np.random.SeedSequence(seed).spawn(len(_STREAMS))
    return {name: np.random.default_rng(child) for name, child in zip(_STREAMS, children)}


# ---------------------------------------------------------------------------
# Applicants: true features as a function of the day index
# ---------------------------------------------------------------------------


def _mix(rng: np.random.Generator, pre: list[float], post: list[float], is_post: np.ndarray) -> np.ndarray:
    """Category indices drawn with probabilities `pre`, or `post` on post-shift rows."""
    u = rng.random(is_post.size)
    pre_index = np.searchsorted(np.cumsum(pre), u, side="right")
    index = np.where(is_post, np.searchsorted(np.cumsum(post), u, side="right"), pre_index)
    return np.minimum(index, len(pre) - 1)  # guards against cumsum rounding just below 1


def _monthly_payment(amount: np.ndarray, annual_rate_pct: np.ndarray, months: np.ndarray) -> np.ndarray:
    r = annual_rate_pct / 1200.0
    return amount * r / (1.0 - (1.0 + r) ** -months)


def _draw_applicants(rng: np.random.Generator, day: np.ndarray, config: ScenarioConfig) -> dict[str, np.ndarray]:
    """True applicant features (no logging faults). `day` may be negative (pre-history)."""
    n = day.size
    is_post = day >= config.shift_day
    progress = np.clip(day, 0, None) / config.days  # gradual drift runs over the logged period only

    region = _mix(rng, _REGION_P["pre"], _REGION_P["post"], is_post)
    purpose = _mix(rng, _PURPOSE_P["pre"], _PURPOSE_P["post"], is_post)
    employment = _mix(rng, _EMPLOYMENT_P, _EMPLOYMENT_P, is_post)  # the one mix that does not shift

    age = np.clip(np.rint(rng.normal(42, 12, n)), 21, 75)
    # Older applicants own or carry a mortgage more often.
    p_rent = np.clip(0.70 - 0.012 * (age - 21), 0.12, 0.70)
    p_own = (1 - p_rent) * np.clip(0.15 + 0.01 * (age - 40), 0.05, 0.60)
    u = rng.random(n)
    home = np.where(u < p_rent, 0, np.where(u < p_rent + p_own, 1, 2))

    employment_years = np.minimum(rng.exponential(6.0, n), age - 18)
    employment_years = np.where(employment == 3, 0.0, np.round(employment_years, 1))

    income = _INCOME_MEDIAN * np.exp(_INCOME_SIGMA * rng.standard_normal(n) + 0.006 * (age - 42))
    income *= _REGION_INCOME[region] * np.where(employment == 3, 0.55, 1.0) * np.where(is_post, 0.85, 1.0)
    income = np.round(np.clip(income, 8_000, None))

    credit_mean = _CREDIT_MEAN - _CREDIT_DRIFT_SD * _CREDIT_SD * progress
    credit_score = np.clip(np.rint(rng.normal(credit_mean, _CREDIT_SD)), 300, 850)
    credit_z = (credit_score - _CREDIT_MEAN) / _CREDIT_SD

    delinquencies = rng.poisson(np.exp(-1.6 - 0.85 * credit_z))
    utilization = 1 / (1 + np.exp(-(-0.6 - 0.55 * credit_z + 0.6 * rng.standard_normal(n))))
    num_open_accounts = 1 + rng.poisson(np.clip(3.0 + 0.05 * (age - 40), 0.5, None))

    amount = _PURPOSE_AMOUNT[purpose] * np.exp(0.5 * rng.standard_normal(n)) * (income / _INCOME_MEDIAN) ** 0.4
    loan_amount = np.clip(np.round(amount, -2), 1_000, 60_000)
    p_long = 1 / (1 + np.exp(-((loan_amount - 15_000) / 8_000 - 0.6)))
    loan_term = np.where(rng.random(n) < p_long, 60, 36)

    rate = 10.0 - 2.4 * credit_z + 1.0 * (loan_term == 60) + rng.normal(0, 1.0, n) + np.where(is_post, 2.0, 0.0)
    interest_rate = np.round(np.clip(rate, 4.0, 30.0), 2)

    existing_dti = rng.beta(2.5, 10.0, n)
    new_dti = 12 * _monthly_payment(loan_amount, interest_rate, loan_term) / income
    debt_to_income = np.round(existing_dti + new_dti, 3)

    return {
        "region": region,
        "income": income,
        "loan_amount": loan_amount,
        "debt_to_income": debt_to_income,
        "credit_score": credit_score,
        "age": age,
        "employment_years": employment_years,
        "num_open_accounts": num_open_accounts,
        "delinquencies_2y": delinquencies,
        "utilization": np.round(utilization, 3),
        "interest_rate": interest_rate,
        "loan_term_months": loan_term,
        "home_ownership": home,
        "purpose": purpose,
        "employment_type": employment,
    }


def _true_probability(a: dict[str, np.ndarray], is_post: np.ndarray) -> np.ndarray:
    """P(default) of each applicant under the regime (pre/post shift) it was scored in."""
    terms = {
        "credit": (a["credit_score"] - _CREDIT_MEAN) / _CREDIT_SD,
        "dti": (a["debt_to_income"] - 0.30) / 0.10,
        "util": (a["utilization"] - 0.35) / 0.20,
        "rate": (a["interest_rate"] - 12.0) / 2.5,
        "delinquencies": a["delinquencies_2y"].astype(float),
        "log_income": np.log(a["income"] / _INCOME_MEDIAN) / _INCOME_SIGMA,
        "term60": (a["loan_term_months"] == 60).astype(float),
        "self_employed": (a["employment_type"] == 1).astype(float),
        "rent": (a["home_ownership"] == 0).astype(float),
    }
    logit = _PURPOSE_RISK[a["purpose"]] + _EMPLOYMENT_RISK[a["employment_type"]] - 0.01 * (a["age"] - 42)
    for regime, mask in (("pre", ~is_post), ("post", is_post)):
        weights = _TRUTH[regime]
        regime_logit = weights["intercept"] + sum(weights[k] * v for k, v in terms.items())
        logit = np.where(mask, logit + regime_logit, logit)
    return 1 / (1 + np.exp(-logit))


# ---------------------------------------------------------------------------
# The log: what the serving system recorded
# ---------------------------------------------------------------------------


def _logged_features(
    rng: np.random.Generator, a: dict[str, np.ndarray], day: np.ndarray, config: ScenarioConfig
) -> pd.DataFrame:
    """Feature frame as logged: category labels, natural nulls and the broken-feed fault."""
    frame = pd.DataFrame({SEGMENT_COLUMN: np.asarray(_REGIONS, dtype=object)[a["region"]]})
    for name in NUMERIC_FEATURES:
        frame[name] = a[name].astype(np.int64 if name in _INT_FEATURES else np.float64)
    for name, levels in (("home_ownership", _HOMES), ("purpose", _PURPOSES), ("employment_type", _EMPLOYMENT)):
        frame[name] = np.asarray(levels, dtype=object)[a[name]]
    for name, share in _NULL_SHARE.items():
        frame.loc[rng.random(len(frame)) < share, name] = None

    broken = (day >= config.broken_feed_start) & (day < config.broken_feed_start + config.broken_feed_days)
    frame.loc[broken, "income"] = frame.loc[broken, "income"] / 1000.0  # unit switch: dollars -> thousands
    frame.loc[broken, "utilization"] = np.nan
    for name in [SEGMENT_COLUMN, *CATEGORICAL_FEATURES]:
        frame[name] = frame[name].astype("str")  # pandas' string dtype; missing stays NaN
    return frame


def pipeline() -> Pipeline:
    """The loan-default recipe (unfitted): the demo's `retraining.estimator` and the champion's."""
    preprocess = ColumnTransformer(
        [
            ("numeric", Pipeline([("impute", SimpleImputer()), ("scale", StandardScaler())]), NUMERIC_FEATURES),
            (
                "categorical",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="most_frequent")),
                        ("onehot", OneHotEncoder(handle_unknown="ignore")),
                    ]
                ),
                CATEGORICAL_FEATURES,
            ),
        ]
    )
    return Pipeline([("preprocess", preprocess), ("classifier", LogisticRegression(max_iter=1000))])


def _fit_champion(rng: np.random.Generator, config: ScenarioConfig) -> Pipeline:
    """Train on a pre-history sample from the pre-shift world, so the model starts calibrated."""
    day = rng.integers(-PREHISTORY_DAYS, 0, PREHISTORY_ROWS)
    applicants = _draw_applicants(rng, day, config)
    features = _logged_features(rng, applicants, day, config)
    target = rng.random(day.size) < _true_probability(applicants, np.zeros(day.size, dtype=bool))

    return pipeline().fit(features[NUMERIC_FEATURES + CATEGORICAL_FEATURES], target.astype(np.int64))


def _daily_counts(rng: np.random.Generator, config: ScenarioConfig) -> np.ndarray:
    """Rows per day: Poisson around the mean, clipped to +-10 % so no day looks like an outage."""
    low, high = int(np.ceil(0.9 * config.rows_per_day)), int(np.floor(1.1 * config.rows_per_day))
    return np.clip(rng.poisson(config.rows_per_day, config.days), low, max(low, high))


def _start_us(config: ScenarioConfig) -> int:
    """Midnight of day 0 in microseconds since the epoch: all timestamps are built as integers."""
    return int(np.datetime64(config.start, "us").astype(np.int64))


def _scored_at_us(
    rng: np.random.Generator, counts: np.ndarray, config: ScenarioConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Day index and scoring time of every row, ordered by time (uniform within each day)."""
    day = np.repeat(np.arange(config.days), counts)
    scored = _start_us(config) + day * _DAY_US + rng.integers(0, _DAY_US, day.size)
    order = np.argsort(scored, kind="stable")
    return day[order], scored[order]


def _ids(prefix: str, n: int) -> np.ndarray:
    width = max(6, len(str(n)))
    return np.array([f"{prefix}{i:0{width}d}" for i in range(1, n + 1)], dtype=object)


def _prediction_log(
    loan_id: np.ndarray, scored_us: np.ndarray, features: pd.DataFrame, score: np.ndarray
) -> pd.DataFrame:
    """The serving log in its column order: id, time, version, segment, features, score, decision."""
    head = pd.DataFrame(
        {
            "loan_id": pd.array(loan_id, dtype="str"),
            "scored_at": scored_us.astype("datetime64[us]"),
            "model_version": pd.array([MODEL_VERSION] * loan_id.size, dtype="str"),
        }
    )
    tail = pd.DataFrame({"score": score, "predicted_default": (score >= DECISION_THRESHOLD).astype(np.int64)})
    return pd.concat([head, features, tail], axis=1)


# ---------------------------------------------------------------------------
# Labels: delayed outcomes, corrections and orphans
# ---------------------------------------------------------------------------


def _revisions(
    rng: np.random.Generator, arrived: np.ndarray, labelled: np.ndarray, deadline: np.ndarray, share: float
) -> tuple[np.ndarray, np.ndarray]:
    """Rows that get a correction, and when it lands: after the first label, by `deadline`."""
    eligible = arrived[labelled[arrived] < deadline[arrived]]
    revised = np.sort(rng.choice(eligible, min(eligible.size, round(share * arrived.size)), replace=False))
    room = deadline[revised] - labelled[revised]
    return revised, labelled[revised] + np.maximum(1, (rng.random(revised.size) * room).astype(np.int64))


def _labels(
    rng: np.random.Generator,
    loan_id: np.ndarray,
    scored_us: np.ndarray,
    defaulted: np.ndarray,
    as_of_us: int,
    config: ScenarioConfig,
) -> pd.DataFrame:
    """The outcome feed as of `as_of`: first labels, corrections (latest row wins) and orphans."""
    max_delay_us = config.max_label_delay_days * _DAY_US
    labelled = scored_us + rng.integers(_DAY_US, max_delay_us + 1, scored_us.size)
    arrived = np.flatnonzero(labelled <= as_of_us)

    # Corrections stay inside the delay window, so every row's delay is within [1, max] days.
    deadline = np.minimum(scored_us + max_delay_us, as_of_us)
    revised, revised_at = _revisions(rng, arrived, labelled, deadline, config.label_revision_share)
    # The corrected first row was wrong three times in four; otherwise the correction re-confirms it.
    first_value = defaulted.copy()
    first_value[revised] = np.where(rng.random(revised.size) < 0.75, 1 - defaulted[revised], defaulted[revised])

    n_orphans = round(config.orphan_label_share * arrived.size)
    orphan_at = rng.integers(_start_us(config) + _DAY_US, as_of_us + 1, n_orphans)
    orphan_value = (rng.random(n_orphans) < _ORPHAN_DEFAULT_RATE).astype(np.int64)

    ids = np.concatenate([loan_id[arrived], loan_id[revised], _ids("X", n_orphans)])
    frame = pd.DataFrame(
        {
            "loan_id": pd.array(ids, dtype="str"),
            "defaulted": np.concatenate([first_value[arrived], defaulted[revised], orphan_value]).astype(np.int64),
            "labelled_at": np.concatenate([labelled[arrived], revised_at, orphan_at]).astype("datetime64[us]"),
        }
    )
    return frame.sort_values(["labelled_at", "loan_id"], kind="stable", ignore_index=True)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def generate(config: ScenarioConfig = ScenarioConfig()) -> Scenario:
    """Simulate the prediction log and the labels that have arrived by `start + days`."""
    rng = _streams(config.seed)
    champion = _fit_champion(rng["prehistory"], config)

    day, scored_us = _scored_at_us(rng["volume"], _daily_counts(rng["volume"], config), config)
    applicants = _draw_applicants(rng["applicants"], day, config)
    features = _logged_features(rng["applicants"], applicants, day, config)
    score = champion.predict_proba(features[NUMERIC_FEATURES + CATEGORICAL_FEATURES])[:, 1].astype(np.float64)
    loan_id = _ids("L", day.size)

    # Outcomes follow the applicant's true features, never the (possibly broken) logged ones.
    true_p = _true_probability(applicants, day >= config.shift_day)
    defaulted = (rng["outcomes"].random(day.size) < true_p).astype(np.int64)
    as_of_us = _start_us(config) + config.days * _DAY_US

    return Scenario(
        config=config,
        predictions=_prediction_log(loan_id, scored_us, features, score),
        labels=_labels(rng["labels"], loan_id, scored_us, defaulted, as_of_us, config),
        as_of=datetime.datetime.combine(config.start, datetime.time()) + datetime.timedelta(days=config.days),
        champion=champion,
        feature_columns={"numeric": list(NUMERIC_FEATURES), "categorical": list(CATEGORICAL_FEATURES)},
    )


def write_duckdb(scenario: Scenario, path: str | Path, schema: str = "raw") -> None:
    """Create (replace) tables {schema}.loan_predictions and {schema}.loan_outcomes in the DuckDB file."""
    with duckdb.connect(str(path)) as con:
        con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        for table, frame in (("loan_predictions", scenario.predictions), ("loan_outcomes", scenario.labels)):
            con.register("_frame", frame)
            con.execute(f'CREATE OR REPLACE TABLE "{schema}"."{table}" AS SELECT * FROM _frame')
            con.unregister("_frame")
