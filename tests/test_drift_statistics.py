"""driftline's drift statistics against independent implementations (numpy, scipy) on generated data."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp, wasserstein_distance

import duckdb

from conftest import BuiltProject, load_events, write_test_project
from drift_data import CATEGORICAL, NUMERIC, REFERENCE_DAYS, START, drift_declaration, drift_frame

EPSILON = 1e-4
CONTINUOUS = ["x_normal", "x_skewed", "x_sparse"]
FEW_VALUES = ["x_discrete", "x_ties"]


# --- independent implementations --------------------------------------------------------


def percentile_disc(finite: np.ndarray, p: int) -> float:
    ordered = np.sort(finite)
    return float(ordered[max(math.ceil(p * len(ordered) / 100) - 1, 0)])


def numeric_psi_counts(values: np.ndarray, deciles: np.ndarray) -> np.ndarray:
    nulls = np.isnan(values)
    index = np.searchsorted(np.unique(deciles), values[~nulls], side="left")
    return np.append(np.bincount(index, minlength=len(np.unique(deciles)) + 1), nulls.sum())


def categorical_psi_counts(values: pd.Series, reference: pd.Series) -> np.ndarray:
    known = sorted(reference.dropna().unique())
    counts = [int((values == c).sum()) for c in known]
    unseen = int((values.notna() & ~values.isin(known)).sum())
    return np.array(counts + [0, unseen, int(values.isna().sum())])  # other is empty: top-K covers all


def psi(ref_counts: np.ndarray, cur_counts: np.ndarray) -> float:
    r, c = ref_counts / ref_counts.sum(), cur_counts / cur_counts.sum()
    r, c = np.where(r > 0, r, EPSILON), np.where(c > 0, c, EPSILON)
    r, c = r / r.sum(), c / c.sum()
    return float(np.sum((c - r) * np.log(c / r)))


def js(ref_counts: np.ndarray, cur_counts: np.ndarray) -> float:
    return float(jensenshannon(ref_counts / ref_counts.sum(), cur_counts / cur_counts.sum(), base=2))


# --- helpers ----------------------------------------------------------------------------


def drift_rows(build: BuiltProject) -> pd.DataFrame:
    return build.query(f"select * from {build.relation('driftline_feature_drift')}")


def window_frames(frame: pd.DataFrame, segment: str | None = None):
    if segment is not None:
        frame = frame[frame.grp == segment]
    day = (frame.event_at - pd.Timestamp(START)).dt.days
    reference = frame[day < REFERENCE_DAYS]
    for d in sorted(day.unique()):
        yield pd.Timestamp(START) + pd.Timedelta(days=int(d)), reference, frame[day == d]


def value_of(drift: pd.DataFrame, feature: str, statistic: str, window, segment: str | None = None) -> float:
    name, value = ("__all__", "__all__") if segment is None else ("grp", segment)
    row = drift[(drift.feature_name == feature) & (drift.statistic == statistic) & (drift.window_start == window)
                & (drift.segment_name == name) & (drift.segment_value == value)]
    assert len(row) == 1, (feature, statistic, window, segment, len(row))
    return row.value.iloc[0]


def finite(values: pd.Series) -> np.ndarray:
    array = values.to_numpy(dtype=float)
    return array[np.isfinite(array)]


# --- tests --------------------------------------------------------------------------------


def test_reference_edges_are_exact_percentiles(drift_build):
    edges = drift_build.query(f"select * from {drift_build.relation('int_driftline__reference_edges')}")
    reference = next(window_frames(drift_build.frame))[1]
    for feature in NUMERIC:
        values = finite(reference[feature])
        got = edges[edges.feature_name == feature].set_index("percentile").edge
        # the deciles and the fine-bin edges, and only those
        assert sorted(got.index) == [0, 1, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99, 100]
        for p in got.index:
            expected = values.min() if p == 0 else values.max() if p == 100 else percentile_disc(values, p)
            assert got[p] == expected, (feature, p)
    # DuckDB got one quantile_disc aggregate per thread (they finalise side by side), every column in one
    compiled = next(drift_build.path.glob("target/compiled/**/int_driftline__reference_edges.sql")).read_text()
    threads = int(drift_build.query("select current_setting('threads') as threads").threads[0])
    profiled = len(NUMERIC) + 1
    assert len(re.findall(r"column_edges_\d+ as \(", compiled)) == min(threads, profiled)
    assert compiled.count("quantile_disc(") == profiled



def test_a_reference_too_large_for_memory_takes_its_percentiles_from_a_hash_sample(tmp_path):
    """Above var('driftline_exact_percentile_values') values, DuckDB's inner percentiles are those of
    the rows whose id hashes to 0 modulo k (k the smallest that fits); minimum and maximum stay exact."""
    frame = drift_frame()
    project = write_test_project(tmp_path, {"events": drift_declaration()})
    load_events(tmp_path / "warehouse.duckdb", frame)
    project.deps()
    budget = 2_000
    project.build("--select", "+driftline_feature_drift", "--vars", f"{{driftline_exact_percentile_values: {budget}}}")
    built = BuiltProject(project, None, [])
    edges = built.query(f"select * from {built.relation('int_driftline__reference_edges')}")
    reference = next(window_frames(frame))[1]
    profiled = NUMERIC + ["pred"]
    every = math.ceil(len(reference) * len(profiled) / budget)
    assert every > 1
    con = duckdb.connect()
    sampled_ids = set(con.execute(f"select id from (select unnest($ids) as id) where hash(id) % {every} = 0",
                                  {"ids": reference.event_id.tolist()}).fetchnumpy()["id"].tolist())
    sample = reference[reference.event_id.isin(sampled_ids)]
    assert 0 < len(sample) < len(reference)
    for feature in profiled:
        got = edges[edges.feature_name == ("__prediction__" if feature == "pred" else feature)].set_index("percentile").edge
        everything, sampled = finite(reference[feature]), finite(sample[feature])
        assert got[0] == everything.min() and got[100] == everything.max(), feature
        for p in got.index.drop([0, 100]):
            assert got[p] == percentile_disc(sampled, p), (feature, p)
    # the statistics are still computed from every row, on those bins
    psi_rows = built.query(f"select value from {built.relation('driftline_feature_drift')} where statistic = 'psi'")
    assert len(psi_rows) > 0 and psi_rows.value.notna().all()

@pytest.mark.parametrize("segment", [None, "g2"])
def test_psi_and_js_match_numpy_and_scipy_on_identical_bins(drift_build, segment):
    drift = drift_rows(drift_build)
    edges = drift_build.query(f"select * from {drift_build.relation('int_driftline__reference_edges')}")
    checked = 0
    for window, reference, current in window_frames(drift_build.frame, segment):
        for feature in NUMERIC + ["pred"]:
            name = "__prediction__" if feature == "pred" else feature
            deciles = edges[(edges.feature_name == name) & edges.percentile.between(10, 90) & (edges.percentile % 10 == 0)].edge.to_numpy()
            ref_counts = numeric_psi_counts(reference[feature].to_numpy(dtype=float), deciles)
            cur_counts = numeric_psi_counts(current[feature].to_numpy(dtype=float), deciles)
            assert value_of(drift, name, "psi", window, segment) == pytest.approx(psi(ref_counts, cur_counts), abs=1e-9)
            assert value_of(drift, name, "js_distance", window, segment) == pytest.approx(js(ref_counts, cur_counts), abs=1e-9)
            checked += 1
        for feature in CATEGORICAL:
            ref_counts = categorical_psi_counts(reference[feature], reference[feature])
            cur_counts = categorical_psi_counts(current[feature], reference[feature])
            assert value_of(drift, feature, "psi", window, segment) == pytest.approx(psi(ref_counts, cur_counts), abs=1e-9)
            assert value_of(drift, feature, "js_distance", window, segment) == pytest.approx(js(ref_counts, cur_counts), abs=1e-9)
            unseen = (current[feature].notna() & ~current[feature].isin(reference[feature].dropna().unique())).mean()
            assert value_of(drift, feature, "unseen_share", window, segment) == pytest.approx(unseen, abs=1e-12)
            checked += 1
    assert checked == 10 * 9


@pytest.mark.parametrize("segment", [None, "g1"])
def test_ks_and_wasserstein_match_scipy(drift_build, segment):
    drift = drift_rows(drift_build)
    worst_ks = worst_w1 = 0.0
    for window, reference, current in window_frames(drift_build.frame, segment):
        for feature in CONTINUOUS + FEW_VALUES:
            ref, cur = finite(reference[feature]), finite(current[feature])
            ks_value = value_of(drift, feature, "ks_d", window, segment)
            w1_value = value_of(drift, feature, "wasserstein_norm", window, segment)
            if len(cur) == 0:
                assert math.isnan(ks_value) and math.isnan(w1_value)
                continue
            expected_ks = ks_2samp(ref, cur).statistic
            expected_w1 = wasserstein_distance(ref, cur) / np.std(ref)
            if feature in FEW_VALUES:
                assert ks_value == pytest.approx(expected_ks, abs=1e-12), (feature, window)
            else:
                assert abs(ks_value - expected_ks) <= 0.005, (feature, window, ks_value, expected_ks)
            assert abs(w1_value - expected_w1) <= 0.005, (feature, window, w1_value, expected_w1)
            worst_ks = max(worst_ks, abs(ks_value - expected_ks))
            worst_w1 = max(worst_w1, abs(w1_value - expected_w1))
    print(f"worst KS error {worst_ks:.5f}, worst W1/sd error {worst_w1:.5f}")


def test_constant_feature(drift_build):
    drift = drift_rows(drift_build)
    day = pd.Timestamp(START)
    same = drift[(drift.feature_name == "x_constant") & (drift.window_start == day + pd.Timedelta(days=6)) & (drift.segment_name == "__all__")].set_index("statistic")
    moved = drift[(drift.feature_name == "x_constant") & (drift.window_start == day + pd.Timedelta(days=8)) & (drift.segment_name == "__all__")].set_index("statistic")
    assert same.value["psi"] == pytest.approx(0.0, abs=1e-12) and same.value["ks_d"] == 0.0
    assert moved.value["ks_d"] == 1.0 and moved.value["psi"] > 5 and moved.status["psi"] == "critical"
    # Scale-free W1 is undefined against a zero-variance reference: reported, not divided by zero.
    assert math.isnan(moved.value["wasserstein_norm"]) and moved.status["wasserstein_norm"] == "undefined"


def test_window_of_only_nulls(drift_build):
    drift = drift_rows(drift_build)
    rows = drift[(drift.feature_name == "x_sparse") & (drift.window_start == pd.Timestamp(START) + pd.Timedelta(days=7)) & (drift.segment_name == "__all__")].set_index("statistic")
    assert rows.value["psi"] > 5 and rows.status["psi"] == "critical"
    assert rows.value["js_distance"] == pytest.approx(1.0, abs=1e-9)
    assert rows.status["ks_d"] == "undefined" and rows.status["wasserstein_norm"] == "undefined"


def test_one_category_and_no_change(drift_build):
    drift = drift_rows(drift_build)
    rows = drift[(drift.feature_name == "c_one") & (drift.segment_name == "__all__")]
    assert set(rows[rows.statistic == "psi"].value.round(12)) == {0.0}
    assert set(rows[rows.statistic == "unseen_share"].value) == {0.0}


def test_every_row_carries_its_context(drift_build):
    drift = drift_rows(drift_build)
    assert drift.reference_id.str.startswith("first_windows:5:2026-03-02").all()
    assert (drift.window_end - drift.window_start == pd.Timedelta(days=1)).all()
    assert (drift.definition_version == drift.statistic.isin(['ks_d', 'wasserstein_norm']).map({True: 3, False: 1})).all()
    overall = drift[(drift.segment_name == "__all__") & (drift.feature_name == "x_normal") & (drift.statistic == "psi")]
    assert set(overall.n_ref) == {REFERENCE_DAYS * 2000}
    assert set(overall.n_cur) == {2000}
    assert {"psi", "js_distance", "ks_d", "wasserstein_norm", "unseen_share", "correlation_change"} == set(drift.statistic)
    psi_rows = drift[drift.statistic == "psi"]
    assert set(psi_rows.threshold_warn) == {0.1} and set(psi_rows.threshold_critical) == {0.25}
    shifted = drift[(drift.feature_name == "x_normal") & (drift.statistic == "psi") & (drift.segment_name == "__all__")
                    & (drift.window_start >= pd.Timestamp(START) + pd.Timedelta(days=6))]
    assert set(shifted.status) <= {"warn", "critical"}


@pytest.mark.parametrize("segment", [None, "g1"])
def test_data_quality_rates_are_exact(drift_build, segment):
    quality = drift_build.query(f"select * from {drift_build.relation('driftline_data_quality')}")
    name, value = ("__all__", "__all__") if segment is None else ("grp", segment)
    quality = quality[(quality.segment_name == name) & (quality.segment_value == value)]

    def check(feature, check_name, window):
        row = quality[(quality.feature_name == feature) & (quality.check_name == check_name) & (quality.window_start == window)]
        assert len(row) == 1, (feature, check_name, window)
        return row.iloc[0]

    for window, reference, current in window_frames(drift_build.frame, segment):
        for feature in NUMERIC:
            values = current[feature].to_numpy(dtype=float)
            ref_values = reference[feature].to_numpy(dtype=float)
            row = check(feature, "null_rate", window)
            assert row.value == pytest.approx(np.isnan(values).mean(), abs=1e-12)
            assert row.reference_value == pytest.approx(np.isnan(ref_values).mean(), abs=1e-12)
            present = values[~np.isnan(values)]
            ref_finite = finite(reference[feature])
            outside = ((present < ref_finite.min()) | (present > ref_finite.max())).mean() if len(present) else np.nan
            got = check(feature, "out_of_range_share", window).value
            assert (math.isnan(got) and math.isnan(outside)) or got == pytest.approx(outside, abs=1e-12)
        for feature in CATEGORICAL:
            assert check(feature, "null_rate", window).value == pytest.approx(current[feature].isna().mean(), abs=1e-12)
        volume = check("__rows__", "volume_ratio", window)
        assert volume.value == pytest.approx(len(current) / (len(reference) / REFERENCE_DAYS), abs=1e-12)


def test_data_quality_flags_the_right_windows(drift_build):
    quality = drift_build.query(f"select * from {drift_build.relation('driftline_data_quality')} where segment_name = '__all__'")
    day = lambda d: pd.Timestamp(START) + pd.Timedelta(days=d)  # noqa: E731
    flagged = quality[quality.status == "critical"]
    assert set(zip(flagged.feature_name, flagged.check_name, flagged.window_start)) >= {
        ("x_sparse", "null_rate", day(7)),
        ("x_constant", "out_of_range_share", day(8)),
        ("c_cat", "unseen_share", day(6)),
    }
    normal_nulls = quality[(quality.feature_name == "x_skewed") & (quality.check_name == "null_rate")]
    assert set(normal_nulls.status) == {"ok"}  # 2% nulls everywhere, as in the reference
    infinities = quality[(quality.feature_name == "x_normal") & (quality.check_name == "out_of_range_share") & (quality.window_start == day(9))]
    assert infinities.value.iloc[0] >= 20 / 1950


def _pair_corr(frame: pd.DataFrame, a: str, b: str) -> float:
    x, y = frame[a].to_numpy(dtype=float), frame[b].to_numpy(dtype=float)
    both = np.isfinite(x) & np.isfinite(y)
    if both.sum() < 2 or np.std(x[both]) == 0 or np.std(y[both]) == 0:
        return float("nan")
    return float(np.corrcoef(x[both], y[both])[0, 1])


@pytest.mark.parametrize("segment", [None, "g2"])
def test_correlation_change_matches_numpy(drift_build, segment):
    drift = drift_rows(drift_build)
    pairs = [("x_normal", "x_skewed"), ("x_normal", "x_ties"), ("x_discrete", "x_sparse"), ("x_normal", "x_constant")]
    for window, reference, current in window_frames(drift_build.frame, segment):
        for a, b in pairs:
            expected = abs(_pair_corr(current, a, b) - _pair_corr(reference, a, b))
            got = value_of(drift, f"{a}:{b}", "correlation_change", window, segment)
            if math.isnan(expected):
                assert math.isnan(got), (a, b, window)
            else:
                assert got == pytest.approx(expected, abs=1e-9), (a, b, window)
    n_pairs = drift[(drift.statistic == "correlation_change") & (drift.segment_name == "__all__")].feature_name.nunique()
    assert n_pairs == 6 * 5 // 2  # every pair of the six declared numeric features, not the model output
