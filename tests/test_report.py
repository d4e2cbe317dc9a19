"""`driftline report`: the HTML against the warehouse tables, and the page in a real browser."""

from __future__ import annotations

import html as html_mod
import json
import math
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

import runner_tables
from driftline.cli import main as cli
from driftline.report import build_report, psi_from_shares
from driftline.warehouse import Warehouse

SECTIONS = ["status", "drift", "histograms", "performance", "incidents", "retraining", "backtest"]


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text under each data-field element."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, dict[str, str]]] = []
        self.fields: dict[str, str] = {}
        self._field: list[str | None] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        self.items.append((tag, a))
        if tag == "span":
            self._field.append(a.get("data-field"))
            if a.get("data-field"):
                self.fields[a["data-field"]] = ""

    def handle_startendtag(self, tag, attrs):
        self.items.append((tag, {k: (v or "") for k, v in attrs}))

    def handle_endtag(self, tag):
        if tag == "span" and self._field:
            self._field.pop()

    def handle_data(self, data):
        for name in self._field:
            if name:
                self.fields[name] += data

    def having(self, **wanted) -> list[dict[str, str]]:
        out = []
        for tag, a in self.items:
            if all(a.get(k.replace("_", "-")) == v for k, v in wanted.items()):
                out.append(a)
        return out


def _report(path: Path, manifest, monitors, monitor: str | None = None) -> str:
    warehouse = Warehouse("duckdb", duckdb.connect(str(path)), "duckdb")
    try:
        return build_report(warehouse, manifest, monitors, monitor=monitor)
    finally:
        warehouse.close()


def copy_warehouse(source: Path, target: Path) -> None:
    """Copy a DuckDB file another connection of this process may hold open (checkpointed first)."""
    con = duckdb.connect(str(source))
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    shutil.copy(source, target)


def _day(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


@pytest.fixture(scope="module")
def reports(demo_build) -> dict[str, str]:
    """The demo build's report, per monitor and for all monitors (no runner tables)."""
    path = demo_build.path / "warehouse.duckdb"
    manifest = demo_build.manifest()
    return {
        "loan_default": _report(path, manifest, demo_build.monitors, "loan_default"),
        "loan_recovery": _report(path, manifest, demo_build.monitors, "loan_recovery"),
        "all": _report(path, manifest, demo_build.monitors),
    }


@pytest.fixture(scope="module")
def runner_warehouse(demo_build, tmp_path_factory) -> Path:
    """A copy of the demo warehouse with the runner's registry, events, runs and backtest tables."""
    path = tmp_path_factory.mktemp("runner") / "warehouse.duckdb"  # same file name: same catalog name
    copy_warehouse(demo_build.path / "warehouse.duckdb", path)
    runner_tables.create(path, schema=demo_build.manifest()["nodes"]["model.driftline.driftline_retrain_signals"]["schema"])
    return path


@pytest.fixture(scope="module")
def runner_report(demo_build, runner_warehouse) -> str:
    return _report(runner_warehouse, demo_build.manifest(), demo_build.monitors, "loan_default")


# ---------------------------------------------------------------------------
# the HTML against the tables
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("monitor", ["loan_default", "loan_recovery"])
def test_heatmap_has_one_cell_per_column_and_window_with_the_table_values(demo_build, reports, monitor):
    drift = demo_build.query(
        f"select feature_name, window_start, value, status from {demo_build.relation('driftline_feature_drift')} "
        "where monitor_name = ? and segment_name = '__all__' and statistic = 'psi'",
        [monitor],
    )
    cells = Elements(reports[monitor]).having(**{"class": "cell"})
    assert len(cells) == len(drift) > 0
    assert len({(c["data-feature"], c["data-window"]) for c in cells}) == len(cells)
    expected = {(r.feature_name, _day(r.window_start)): (r.value, r.status) for r in drift.itertuples()}
    for cell in cells:
        value, status = expected[(cell["data-feature"], cell["data-window"])]
        assert cell["data-status"] == status
        if pd.isna(value):
            assert cell["data-value"] == ""
        else:
            assert float(cell["data-value"]) == value
    features = {c["data-feature"] for c in cells}
    windows = {c["data-window"] for c in cells}
    assert len(features) * len(windows) >= len(cells)
    assert {f.name for f in next(m for m in demo_build.monitors if m.name == monitor).features} <= features


def test_histograms_show_the_drifted_columns_and_reproduce_their_psi(demo_build, reports):
    drift = demo_build.query(
        f"select feature_name, window_start, value, status, feature_role from {demo_build.relation('driftline_feature_drift')} "
        "where monitor_name = 'loan_default' and segment_name = '__all__' and statistic = 'psi'"
    )
    judged = drift[drift.status.isin(["ok", "warn", "critical"]) & (drift.feature_role != "label")]
    latest = judged[judged.window_start == judged.window_start.max()]
    drifted = set(latest[latest.status.isin(["warn", "critical"])].feature_name)
    page = Elements(reports["loan_default"])
    hists = page.having(**{"class": "hist"})
    assert hists and {h["data-feature"] for h in hists} <= drifted
    assert len(hists) == min(len(drifted), 6)
    bars = page.having(**{"class": "hist-bar"})
    by_feature: dict[str, list[dict]] = {}
    # bars follow their histogram in document order
    current = None
    for tag, a in page.items:
        if a.get("class") == "hist":
            current = a["data-feature"]
        elif a.get("class") == "hist-bar":
            by_feature.setdefault(current, []).append(a)
    assert sum(len(v) for v in by_feature.values()) == len(bars)
    for h in hists:
        feature = h["data-feature"]
        row = latest[latest.feature_name == feature].iloc[0]
        assert h["data-window"] == _day(row.window_start)
        assert float(h["data-psi"]) == row.value
        ref = [float(b["data-share"]) for b in by_feature[feature] if b["data-side"] == "reference"]
        cur = [float(b["data-share"]) for b in by_feature[feature] if b["data-side"] == "window"]
        assert len(ref) == len(cur) >= 2
        assert math.isclose(sum(ref), 1.0, abs_tol=1e-9) and math.isclose(sum(cur), 1.0, abs_tol=1e-9)
        hidden = int(h["data-hidden-bins"])  # PSI bins empty on both sides
        psi = psi_from_shares(ref + [0.0] * hidden, cur + [0.0] * hidden)
        assert psi == pytest.approx(row.value, rel=1e-9, abs=1e-12), feature


def test_histogram_reference_shares_equal_the_reference_profiles(demo_build, reports):
    page = Elements(reports["loan_default"])
    feature = page.having(**{"class": "hist"})[0]["data-feature"]
    profile = demo_build.query(
        f"select psi_bin, sum(n_rows) / max(reference_rows) as share from {demo_build.relation('driftline_reference_profiles')} "
        "where monitor_name = 'loan_default' and segment_name = '__all__' and feature_name = ? group by psi_bin",
        [feature],
    )
    expected = dict(zip(profile.psi_bin, profile.share))
    shown = {}
    current = None
    for tag, a in page.items:
        if a.get("class") == "hist":
            current = a["data-feature"]
        elif a.get("class") == "hist-bar" and current == feature and a["data-side"] == "reference":
            shown[int(a["data-bin"])] = float(a["data-share"])
    assert shown
    for psi_bin, share in shown.items():
        assert share == pytest.approx(expected[psi_bin], abs=1e-12)


def test_status_block_matches_the_decision_and_the_open_alerts(demo_build, reports):
    signal = demo_build.query(f"select * from {demo_build.relation('driftline_retrain_signals')} where monitor_name = 'loan_default'").iloc[0]
    alerts = demo_build.query(
        f"select severity, count(*) as n from {demo_build.relation('driftline_alerts')} "
        "where monitor_name = 'loan_default' and status = 'open' group by severity"
    )
    counts = dict(zip(alerts.severity, alerts.n))
    fields = Elements(reports["loan_default"]).fields
    expected = "RETRAIN" if signal.should_retrain else ("BLOCKED" if signal.is_blocked else "NO RETRAIN NEEDED")
    assert fields["decision"].strip() == expected
    assert int(fields["open_critical"].replace(",", "")) == counts.get("critical", 0)
    assert int(fields["open_warn"].replace(",", "")) == counts.get("warn", 0)
    assert fields["champion_version"] == "none yet"
    for reason in (signal.reasons or "").split(","):
        if reason:
            assert f"<b>{reason}</b>" in reports["loan_default"]


def test_performance_points_and_label_coverage_equal_the_table(demo_build, reports):
    perf = demo_build.query(
        f"select window_start, metric, value, estimated_value, n_predictions, n_labelled, is_mature "
        f"from {demo_build.relation('driftline_performance')} "
        "where monitor_name = 'loan_default' and segment_name = '__all__' and id_set = 'own'"
    )
    page = Elements(reports["loan_default"])
    for series, column, metric in (("realized", "value", "roc_auc"), ("realized", "value", "accuracy"), ("estimated", "estimated_value", "accuracy")):
        points = page.having(**{"class": "point", "data-series": series, "data-metric": metric})
        rows = perf[(perf.metric == metric) & perf[column].notna()]
        assert len(points) == len(rows) > 0, (series, metric)
        expected = {_day(r.window_start): getattr(r, column) for r in rows.itertuples()}
        for p in points:
            assert float(p["data-value"]) == expected[p["data-window"]]
    bars = page.having(**{"class": "coverage-bar"})
    first = perf[perf.metric == "roc_auc"]
    assert len(bars) == len(first)
    expected = {_day(r.window_start): (r.n_labelled / r.n_predictions, bool(r.is_mature)) for r in first.itertuples()}
    for b in bars:
        share, mature = expected[b["data-window"]]
        assert float(b["data-coverage"]) == pytest.approx(share, abs=1e-12)
        assert b["data-mature"] == str(mature).lower()


def test_data_incidents_list_the_broken_feed(demo_build, reports):
    quality = demo_build.query(
        f"select feature_name, check_name, window_start from {demo_build.relation('driftline_data_quality')} "
        "where monitor_name = 'loan_default' and segment_name = '__all__' and status = 'critical'"
    )
    page = Elements(reports["loan_default"])
    cells = page.having(**{"class": "quality-cell", "data-status": "critical"})
    assert {(c["data-feature"], c["data-check"], c["data-window"]) for c in cells} == {
        (r.feature_name, r.check_name, _day(r.window_start)) for r in quality.itertuples()
    }
    assert ("income", "out_of_range_share") in {(r.feature_name, r.check_name) for r in quality.itertuples()}


def test_without_runner_tables_the_report_says_no_retrain_yet(reports):
    text = reports["loan_default"]
    assert "No retrain yet." in text and "do not exist in schema" in text
    assert "No backtest yet" in text
    assert 'class="event-marker"' not in text


def test_the_report_is_self_contained(reports):
    for text in reports.values():
        lowered = text.lower()
        for needle in ("<script", "<link", "<img", "<iframe", "@import", "url(", " src=", "srcset"):
            assert needle not in lowered, needle
        assert set(re.findall(r"https?://[^\s\"'<>]+", text)) <= {"http://www.w3.org/2000/svg"}


def test_all_monitors_and_monitor_filter(reports):
    assert 'data-monitor="loan_default"' in reports["all"] and 'data-monitor="loan_recovery"' in reports["all"]
    assert 'data-monitor="loan_recovery"' not in reports["loan_default"]
    recovery = reports["loan_recovery"]
    assert 'data-metric="mae"' in recovery  # regression: its own metrics
    for section in SECTIONS:
        assert f'data-section="{section}"' in recovery


def test_runner_tables_render_registry_runs_events_and_backtest(runner_report):
    page = Elements(runner_report)
    assert "No retrain yet." not in runner_report
    assert page.fields["champion_version"] == "v3"  # the latest 'champion' event
    assert page.fields["last_retrained_at"] == "2026-04-15 06:00"
    assert "v1 promoted" in runner_report and "v3 promoted" in runner_report
    assert len(page.having(**{"class": "event-marker"})) >= 2 * 2  # heatmap and performance charts at least
    challengers = page.having(**{"class": "run-challenger"})
    assert {c["data-run"]: float(c["data-value"]) for c in challengers} == {"run-1": 0.81, "run-2": 0.752, "run-3": 0.79}
    assert "training window failed the data-quality gate" in runner_report  # the failed run's error
    assert runner_report.count("<h4>Model registry</h4>") == 1 and ">v2</b>" in runner_report
    points = page.having(**{"class": "policy-point"})
    assert {p["data-policy"]: float(p["data-value"]) for p in points if p["data-policy"].startswith("baseline")} == {
        "baseline_majority_class": 0.5, "baseline_previous_label": 0.53}
    assert len(points) == 6
    assert "★ drift_triggered · dynamic" in runner_report


def test_empty_runner_tables_say_no_retrain_yet(demo_build, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    copy_warehouse(demo_build.path / "warehouse.duckdb", path)
    schema = demo_build.manifest()["nodes"]["model.driftline.driftline_retrain_signals"]["schema"]
    runner_tables.create(path, schema=schema, empty=True)
    text = _report(path, demo_build.manifest(), demo_build.monitors, "loan_default")
    assert "No retrain yet." in text and "hold no rows for this monitor" in text
    assert "No backtest yet" in text


def test_cli_report_writes_the_file_and_json_result(demo_build, tmp_path):
    out = tmp_path / "nested" / "report.html"
    result = CliRunner().invoke(cli, ["report", "--project-dir", str(demo_build.path), "--out", str(out), "--monitor", "loan_default", "--json", "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    payload = json.loads(result.stdout)
    assert payload["out"] == str(out.resolve()) and out.exists() and payload["bytes"] == len(out.read_bytes())
    assert [m["monitor"] for m in payload["monitors"]] == ["loan_default"]
    assert set(payload["monitors"][0]) >= {"should_retrain", "is_blocked", "reasons", "blockers", "open_alerts"}

    result = CliRunner().invoke(cli, ["report", "--project-dir", str(demo_build.path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "✓ render report" in result.stderr and "✓ write report" in result.stderr
    assert re.search(r"✓ read loan_default \(\d+\.\d s\)", result.stderr)
    assert result.stdout.strip() == f"driftline report written to {out.resolve()}"

    result = CliRunner().invoke(cli, ["report", "--project-dir", str(demo_build.path), "--out", str(out), "--monitor", "nope"])
    assert result.exit_code == 2 and "no monitor named 'nope'" in result.stderr


# ---------------------------------------------------------------------------
# in a real browser (headless Chromium)
# ---------------------------------------------------------------------------

# Prepended to a copy of the report: records uncaught errors, failed loads and console
# errors/warnings, then after `load` writes what it saw (and a few layout facts) into the DOM,
# which `--dump-dom` prints.
HARNESS = """<script>(function () {
  var problems = [];
  window.addEventListener('error', function (e) {
    var t = e.target;
    problems.push('error: ' + (e.message || (t && (t.src || t.href || t.tagName)) || 'unknown'));
  }, true);
  window.addEventListener('unhandledrejection', function (e) { problems.push('unhandled rejection: ' + e.reason); });
  ['error', 'warn'].forEach(function (level) {
    var original = console[level];
    console[level] = function () { problems.push('console.' + level + ': ' + Array.prototype.join.call(arguments, ' ')); return original.apply(console, arguments); };
  });
  window.addEventListener('load', function () {
    var svgs = Array.prototype.map.call(document.querySelectorAll('svg'), function (s) { var r = s.getBoundingClientRect(); return [r.width, r.height]; });
    var sections = {};
    Array.prototype.forEach.call(document.querySelectorAll('[data-section]'), function (el) { sections[el.getAttribute('data-section')] = el.getBoundingClientRect().height; });
    var out = document.createElement('pre');
    out.id = 'driftline-browser-check';
    out.textContent = JSON.stringify({
      problems: problems,
      resources: performance.getEntriesByType('resource').map(function (r) { return r.name; }),
      svgs: svgs, sections: sections, title: document.title,
      scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
      height: document.documentElement.scrollHeight
    });
    document.body.appendChild(out);
  });
})();</script>"""


def chromium_binary() -> str | None:
    for name in (os.environ.get("DRIFTLINE_CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = chromium_binary()
    if binary is None:
        if os.environ.get("DRIFTLINE_REQUIRE_BROWSER"):
            pytest.fail("DRIFTLINE_REQUIRE_BROWSER is set but no chromium binary was found (apt-get install chromium)")
        pytest.skip("chromium is not installed (set DRIFTLINE_REQUIRE_BROWSER=1 to fail instead)")
    return binary


def open_in_chromium(binary: str, page: Path, profile: Path, width: int = 1400) -> tuple[dict, list[str]]:
    """Load `page` (with the harness) offline; returns (what the harness saw, console lines Chromium logged)."""
    text = page.read_text(encoding="utf-8")
    checked = page.with_name(page.stem + ".checked.html")
    checked.write_text(text.replace("<head>", "<head>" + HARNESS, 1), encoding="utf-8")
    command = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
        f"--user-data-dir={profile}",
        "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",  # any network request fails (and is reported)
        f"--window-size={width},1000", "--virtual-time-budget=5000",
        "--enable-logging=stderr", "--v=1",  # console messages appear on stderr as ...:CONSOLE(...)
        "--dump-dom", checked.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    match = re.search(r'<pre id="driftline-browser-check">(.*?)</pre>', done.stdout, re.S)
    assert match, "the page did not finish loading (no harness output in the dumped DOM)\n" + done.stdout[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return json.loads(html_mod.unescape(match.group(1))), console


@pytest.mark.parametrize("variant", ["demo", "with_runner_tables"])
def test_report_loads_in_chromium_without_errors(chromium, reports, runner_report, tmp_path, variant):
    page = tmp_path / "report.html"
    page.write_text(reports["all"] if variant == "demo" else runner_report, encoding="utf-8")
    seen, console = open_in_chromium(chromium, page, tmp_path / "profile")
    assert seen["problems"] == []
    assert console == []  # the report logs nothing; any console line is an error, a warning or a violation
    assert seen["resources"] == []  # nothing fetched: no fonts, scripts, images or styles from anywhere
    assert seen["title"].startswith("driftline report")
    for section in SECTIONS:
        assert seen["sections"].get(section, 0) > 0, section  # present and laid out
    assert len(seen["svgs"]) > 10 and all(w > 0 and h > 0 for w, h in seen["svgs"])
    assert seen["scrollWidth"] <= seen["innerWidth"]  # nothing wider than a 1400 px window


def test_the_browser_check_catches_errors_and_requests(chromium, tmp_path):
    """The check itself: a page with a script error, a console error and a remote image fails it."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><title>bad</title></head><body><img src="https://example.com/x.png">'
        '<script>console.error("boom"); missingFunction();</script></body></html>'
    )
    seen, console = open_in_chromium(chromium, page, tmp_path / "profile")
    assert any("boom" in p for p in seen["problems"])
    assert any("missingFunction" in p for p in seen["problems"])
    assert any("example.com" in p for p in seen["problems"])
    assert seen["resources"] == ["https://example.com/x.png"]
    assert console


def test_other_builds_render_every_section(drift_build, perf_build):
    """Monitors without labels, multiclass and regression tasks, several model versions: no crash, all sections."""
    from driftline.config import load_monitors

    builds = [
        (drift_build.path, drift_build.manifest(), drift_build.monitors),
        (perf_build["project"].project_dir, perf_build["project"].manifest(), load_monitors(perf_build["project"].project_dir)),
    ]
    for directory, manifest, monitors in builds:
        text = _report(directory / "warehouse.duckdb", manifest, monitors)
        for monitor in monitors:
            assert f'data-monitor="{monitor.name}"' in text
        assert text.count('data-section="retraining"') == len(monitors)
        for section in SECTIONS:
            assert text.count(f'data-section="{section}"') == len(monitors), section
        if any(m.label_relation is None for m in monitors):
            assert "declares no labels" in text
