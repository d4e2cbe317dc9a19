"""Threshold overrides, data-driven thresholds, the minimum window size, KS p-values with
Benjamini-Hochberg, and the generic tests users attach to their monitors."""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pytest
import yaml
from scipy.special import kolmogorov

from conftest import BuiltProject, write_test_project
from drift_data import REFERENCE_DAYS, drift_declaration, drift_frame
from driftline.config import load_monitors
from driftline.project import DbtError


def _declarations() -> dict[str, dict]:
    tuned = drift_declaration()
    tuned["monitor"] = "tuned"
    tuned["thresholds"] = {
        "min_window_rows": 50,
        "data_driven_k": 3,
        "statistics": {"psi": {"warn": 0.05, "critical": 0.5}},
        "features": {"x_normal": {"psi": {"warn": 0.01, "critical": 0.02}}},
    }
    strict = drift_declaration()
    strict["monitor"] = "strict"
    strict["thresholds"] = {"min_window_rows": 5000}
    return {"events_tuned": tuned, "events_strict": strict}


def _sources(tests_on_tuned: list) -> dict:
    tables = []
    for name, declaration in _declarations().items():
        table = {"name": name, "identifier": "events", "config": {"meta": {"driftline": declaration}}}
        if name == "events_tuned":
            table["data_tests"] = tests_on_tuned
        tables.append(table)
    return {"version": 2, "sources": [{"name": "raw", "schema": "raw", "tables": tables}]}


@pytest.fixture(scope="module")
def tuned_build(tmp_path_factory) -> BuiltProject:
    directory = tmp_path_factory.mktemp("tuned")
    project = write_test_project(directory, {})
    tests = [
        {"driftline.no_critical_alerts": {"arguments": {"monitor": "tuned", "kinds": ["drift"], "window": "any"}}},
        {"driftline.retrain_not_blocked": {"arguments": {"monitor": "tuned"}}},
    ]
    (directory / "models" / "sources.yml").write_text(yaml.safe_dump(_sources(tests), sort_keys=False))
    con = duckdb.connect(str(directory / "warehouse.duckdb"))
    con.execute("create schema raw")
    frame = drift_frame()
    con.register("frame", frame)
    con.execute("create table raw.events as select * from frame")
    con.close()
    project.deps()
    project.build()
    return BuiltProject(project, None, load_monitors(directory))


def test_threshold_overrides_per_monitor_and_feature(tuned_build):
    drift = tuned_build.query(f"select * from {tuned_build.relation('driftline_feature_drift')} where statistic in ('psi', 'ks_d')")
    tuned = drift[drift.monitor_name == "tuned"]
    psi = tuned[tuned.statistic == "psi"]
    assert set(psi[psi.feature_name == "x_normal"].threshold_warn) == {0.01}
    assert set(psi[psi.feature_name == "x_normal"].threshold_critical) == {0.02}
    assert set(psi[psi.feature_name == "x_skewed"].threshold_warn) == {0.05}
    assert set(psi[psi.feature_name == "x_skewed"].threshold_critical) == {0.5}
    assert set(tuned[tuned.statistic == "ks_d"].threshold_warn) == {0.1}  # the default


def test_minimum_window_size_silences_drift(tuned_build):
    drift = tuned_build.query(f"select * from {tuned_build.relation('driftline_feature_drift')} where monitor_name = 'strict'")
    assert set(drift.status) <= {"insufficient_data", "no_reference"}
    alerts = tuned_build.query(f"select * from {tuned_build.relation('driftline_alerts')} where monitor_name = 'strict'")
    assert not (alerts.kind == "drift").any()
    assert (alerts.kind == "data_quality").any()  # data quality is judged whatever the window size


def test_data_driven_thresholds_leave_each_reference_window_out(tuned_build):
    drift = tuned_build.query(f"select * from {tuned_build.relation('driftline_feature_drift')} "
                              "where monitor_name = 'tuned' and segment_name = '__all__' and feature_name = 'x_skewed' and statistic = 'js_distance'")
    breaches = tuned_build.query(f"select * from {tuned_build.relation('int_driftline__drift_breaches')} "
                                 "where monitor_name = 'tuned' and segment_name = '__all__' and feature_name = 'x_skewed' and statistic = 'js_distance'")
    drift = drift.sort_values("window_start").reset_index(drop=True)
    reference = drift.value.iloc[:REFERENCE_DAYS].to_numpy()
    for i, row in drift.iterrows():
        baseline = np.delete(reference, i) if i < REFERENCE_DAYS else reference
        warn = max(row.threshold_warn, baseline.mean() + 3 * baseline.std(ddof=1))
        critical = max(row.threshold_critical, baseline.mean() + 6 * baseline.std(ddof=1))
        match = breaches[breaches.window_start == row.window_start]
        if row.value >= warn:
            assert len(match) == 1 and match.threshold_warn.iloc[0] == pytest.approx(warn, rel=1e-9)
            assert match.severity.iloc[0] == ("critical" if row.value >= critical else "warn")
        else:
            assert match.empty


def test_ks_p_values_and_benjamini_hochberg(tuned_build):
    stats = tuned_build.query(f"select * from {tuned_build.relation('int_driftline__drift_statistics')} "
                              "where monitor_name = 'tuned' and feature_kind = 'numeric' and n_cur_finite > 0 and ks_d is not null")
    breaches = tuned_build.query(f"select * from {tuned_build.relation('int_driftline__drift_breaches')} "
                                 "where monitor_name = 'tuned' and statistic = 'ks_d'")
    checked = 0
    for (window, name, value), group in stats.groupby(["window_start", "segment_name", "segment_value"]):
        ne = np.sqrt(group.n_ref_finite * group.n_cur_finite / (group.n_ref_finite + group.n_cur_finite))
        lam = (ne + 0.12 + 0.11 / ne) * group.ks_d
        p = np.where(lam < 0.3, 1.0, kolmogorov(lam.to_numpy()))
        order = np.argsort(p, kind="stable")
        m = len(p)
        passing = [k + 1 for k in range(m) if p[order[k]] <= (k + 1) * 0.05 / m]
        rejected = set(group.feature_name.to_numpy()[order[: max(passing)]]) if passing else set()
        found = breaches[(breaches.window_start == window) & (breaches.segment_name == name) & (breaches.segment_value == value)]
        for feature, p_value in zip(group.feature_name, p):
            row = found[found.feature_name == feature]
            if not row.empty:  # every KS breach is BH-rejected, with scipy's p-value
                assert feature in rejected and row.fdr_rejected.iloc[0]
                assert row.p_value.iloc[0] == pytest.approx(p_value, rel=1e-6, abs=1e-12)
                checked += 1
    assert checked > 10


def _test_results(project) -> dict[str, dict]:
    results = json.loads((project.project_dir / "target" / "run_results.json").read_text())
    return {r["unique_id"]: r for r in results["results"] if r["unique_id"].startswith("test.")}


def test_generic_tests_warn_by_default_and_can_fail_the_build(tuned_build):
    results = _test_results(tuned_build.project)
    alerts_test = next(r for uid, r in results.items() if "no_critical_alerts" in uid)
    assert alerts_test["status"] == "warn" and alerts_test["failures"] > 0  # drift days 6-9
    blocked_test = next(r for uid, r in results.items() if "retrain_not_blocked" in uid)
    assert blocked_test["status"] == "warn" and blocked_test["failures"] == 1
    signals = tuned_build.query(f"select * from {tuned_build.relation('driftline_retrain_signals')}").set_index("monitor_name")
    # drift, but an all-NULL day, an out-of-range day and unseen categories in the window, and no labels
    assert signals.loc["tuned"].reasons == "drift_sustained"
    assert signals.loc["tuned"].blockers == "data_incident,too_few_labels"
    incidents = tuned_build.query(f"select * from {tuned_build.relation('driftline_alerts')} where kind = 'data_incident'")
    assert set(incidents.monitor_name) == {"tuned"}  # "strict" has no reason to retrain: its windows are too small

    tests = [{"driftline.no_critical_alerts": {"arguments": {"monitor": "tuned", "kinds": ["drift"], "window": "any"},
                                               "config": {"severity": "error"}}}]
    path = tuned_build.path / "models" / "sources.yml"
    path.write_text(yaml.safe_dump(_sources(tests), sort_keys=False))
    with pytest.raises(DbtError, match="no_critical_alerts"):
        tuned_build.project.build()
