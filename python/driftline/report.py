"""`driftline report`: one self-contained HTML file per project, readable offline.

For every monitor it shows, from the warehouse tables driftline's dbt models (and, when it
has run, the runner) wrote:

* the status: champion version, last retrain, open alerts by severity, and the retrain
  decision of `driftline_retrain_signals` (should it retrain, or what blocks it and why);
* a drift heatmap: PSI of every profiled column in every window, coloured by status, with the
  reference windows and the promotions of `driftline_model_events` marked;
* reference against latest-window histograms over the PSI bins of the drifted columns;
* performance over time: realized (and, for binary tasks, estimated) metrics, label coverage
  and maturity;
* data incidents: data-quality checks out of bounds, schema changes, blocked retrains;
* retraining: the registry, the runs with their champion/challenger comparison, the alias
  events, or a "no retrain yet" note when the runner's tables are absent;
* backtests, when `driftline backtest` has written its tables.

The page has no scripts and loads nothing: charts are inline SVG with `<title>` tooltips.

Library use (what the CLI does)::

    html = build_report(warehouse, manifest, monitors)            # every monitor
    write_report("report.html", warehouse, manifest, monitors, monitor="loan_default")
"""

from __future__ import annotations

import datetime as _dt
import logging
import math
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from . import __version__
from . import svg
from .config import ConfigError, Monitor, get_monitor
from .progress import step
from .summary import (
    PRIMARY_METRICS,
    current_reference,
    describe_runs,
    open_alert_counts,
    performance_rows,
    prediction_log_overview,
    primary_metric,
    retrain_signal,
    window_step,
)
from .tables import RUNNER_TABLES, driftline_schema, registry_schema, relation_name, runner_relation
from .warehouse import Warehouse

log = logging.getLogger("driftline.report")

MAX_WINDOWS = 180  # the heatmap and the time charts show at most this many latest windows
MAX_HISTOGRAMS = 6
CHART_WIDTH = 1180
LABEL_WIDTH = 170
RIGHT_MARGIN = 24

OUTPUT_LABELS = {"__score__": "score (output)", "__prediction__": "prediction (output)", "__label__": "label (target)"}
ROLE_ORDER = {"feature": 0, "score": 1, "prediction": 2, "label": 3}


# ---------------------------------------------------------------------------
# Data: what the report reads, per monitor
# ---------------------------------------------------------------------------


@dataclass
class Histogram:
    feature: str
    kind: str
    window: Any
    psi: float | None
    status: str
    bins: pd.DataFrame  # psi_bin, label, ref_share, cur_share, n_ref, n_cur
    hidden_bins: int = 0  # PSI bins empty on both sides, left out of the chart


@dataclass
class MonitorData:
    monitor: Monitor
    overview: Mapping[str, Any]
    reference: dict[str, Any] | None
    signal: dict[str, Any] | None
    alert_counts: pd.DataFrame
    windows: list[Any]
    all_windows: int
    drift: pd.DataFrame
    histograms: list[Histogram]
    performance: pd.DataFrame
    quality: pd.DataFrame
    incidents: pd.DataFrame
    runner_schema: str
    runner: dict[str, pd.DataFrame | None] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.monitor.name


def _runner_frame(warehouse: Warehouse, manifest: Mapping[str, Any], table: str, monitor: str, order: str) -> pd.DataFrame | None:
    relation = runner_relation(warehouse, manifest, table)
    if relation is None:
        return None
    return warehouse.query(f"select * from {relation} where monitor_name = ? order by {order}", [monitor])


def load_monitor_data(warehouse: Warehouse, manifest: Mapping[str, Any], monitor: Monitor, max_windows: int = MAX_WINDOWS) -> MonitorData:
    """Everything the report shows for one monitor, read from the warehouse."""
    name = monitor.name
    drift_all = warehouse.query(
        f"""
        select drift.feature_name, drift.feature_kind, drift.feature_role, drift.window_start, drift.value,
               drift.status, drift.threshold_warn, drift.threshold_critical, drift.n_ref, drift.n_cur,
               features.feature_index
        from {relation_name(manifest, 'driftline_feature_drift')} as drift
        left join {relation_name(manifest, 'driftline_monitor_features')} as features
            on features.monitor_name = drift.monitor_name and features.feature_name = drift.feature_name
        where drift.monitor_name = ? and drift.segment_name = '__all__' and drift.statistic = 'psi'
        order by drift.window_start
        """,
        [name],
    )
    windows_all = sorted(drift_all["window_start"].unique()) if not drift_all.empty else []
    performance = performance_rows(warehouse, manifest, name)
    if not windows_all and not performance.empty:
        windows_all = sorted(performance["window_start"].unique())
    windows = [pd.Timestamp(w) for w in windows_all[-max_windows:]]
    first = windows[0] if windows else None
    drift = drift_all[drift_all["window_start"] >= first] if first is not None else drift_all
    if first is not None:
        performance = performance[performance["window_start"] >= first]

    quality = warehouse.query(
        f"""
        select feature_name, check_name, window_start, value, reference_value, threshold_warn, threshold_critical,
               status, detail, n_ref, n_cur
        from {relation_name(manifest, 'driftline_data_quality')}
        where monitor_name = ? and segment_name = '__all__' and status in ('warn', 'critical')
        order by feature_name, check_name, window_start
        """,
        [name],
    )
    incidents = warehouse.query(
        f"""
        select alert_id, kind, window_start, segment_name, segment_value, feature_name, statistic, value, threshold,
               severity, status, detail, first_detected_at
        from {relation_name(manifest, 'driftline_alerts')}
        where monitor_name = ? and kind in ('data_incident', 'schema')
        order by window_start desc, kind
        """,
        [name],
    )
    schema = registry_schema(manifest)[1]
    data = MonitorData(
        monitor=monitor,
        overview=prediction_log_overview(warehouse, manifest, name).to_dict(),
        reference=current_reference(warehouse, manifest, name),
        signal=retrain_signal(warehouse, manifest, name),
        alert_counts=open_alert_counts(warehouse, manifest, name),
        windows=windows,
        all_windows=len(windows_all),
        drift=drift,
        histograms=[],
        performance=performance,
        quality=quality,
        incidents=incidents,
        runner_schema=schema,
    )
    data.runner = {
        "driftline_model_registry": _runner_frame(warehouse, manifest, "driftline_model_registry", name, "created_at, model_version"),
        "driftline_model_events": _runner_frame(warehouse, manifest, "driftline_model_events", name, "event_at, event_id"),
        "driftline_retrain_runs": _runner_frame(warehouse, manifest, "driftline_retrain_runs", name, "started_at, run_id"),
        "driftline_backtest_summary": _runner_frame(warehouse, manifest, "driftline_backtest_summary", name, "backtest_id, policy, window_strategy"),
        "driftline_backtest_results": _runner_frame(warehouse, manifest, "driftline_backtest_results", name, "backtest_id, policy, window_strategy, window_start"),
    }
    data.histograms = load_histograms(warehouse, manifest, monitor, drift)
    return data


def drifted_columns(drift: pd.DataFrame, limit: int = MAX_HISTOGRAMS) -> tuple[Any, list[str], bool]:
    """(window, columns, drifted): the latest judged window and its columns in warn/critical by PSI, worst first.

    When none drifted there, the columns with the highest PSI (drifted = False). The target
    (`__label__`) is left out: its bins are classes of the label, not of the log.
    """
    judged = drift[drift["status"].isin(["ok", "warn", "critical"]) & (drift["feature_role"] != "label")]
    if judged.empty:
        return None, [], False
    window = judged["window_start"].max()
    latest = judged[judged["window_start"] == window].sort_values("value", ascending=False)
    hot = latest[latest["status"].isin(["warn", "critical"])]
    if not hot.empty:
        return window, list(hot["feature_name"][:limit]), True
    return window, list(latest["feature_name"][: min(limit, 3)]), False


def load_histograms(warehouse: Warehouse, manifest: Mapping[str, Any], monitor: Monitor, drift: pd.DataFrame) -> list[Histogram]:
    """Reference and latest-window shares over the PSI bins (the bins PSI is computed on) of the drifted columns."""
    window, columns, _ = drifted_columns(drift)
    if not columns:
        return []
    placeholders = ", ".join("?" for _ in columns)
    params = [monitor.name, *columns]
    bins = warehouse.query(
        f"""
        select feature_name, feature_kind, psi_bin, min(lower_edge) as lower_edge, max(upper_edge) as upper_edge,
               min(bin_label) as bin_label
        from {relation_name(manifest, 'int_driftline__reference_bins')}
        where monitor_name = ? and feature_name in ({placeholders})
        group by feature_name, feature_kind, psi_bin
        """,
        params,
    )
    reference = warehouse.query(
        f"""
        select feature_name, psi_bin, sum(n_rows) as n_ref, max(reference_rows) as reference_rows
        from {relation_name(manifest, 'driftline_reference_profiles')}
        where monitor_name = ? and segment_name = '__all__' and feature_name in ({placeholders})
        group by feature_name, psi_bin
        """,
        params,
    )
    bins_rel = relation_name(manifest, "int_driftline__reference_bins")
    categories_rel = relation_name(manifest, "int_driftline__reference_categories")
    current = warehouse.query(
        f"""
        with profiles as (
            select * from {relation_name(manifest, 'driftline_window_profiles')}
            where monitor_name = ? and segment_name = '__all__' and window_start = ? and feature_name in ({placeholders})
        ),
        labelled as (
            select profiles.feature_name, profiles.feature_kind, profiles.reference_id, profiles.bin_index, profiles.n_rows,
                   case when profiles.feature_kind = 'numeric' then null
                        when profiles.bin_index = -1 then '__null__'
                        else coalesce(categories.category_bin, '__unseen__') end as bin_label
            from profiles
            left join {categories_rel} as categories
                on categories.monitor_name = profiles.monitor_name and categories.reference_id = profiles.reference_id
                and categories.feature_name = profiles.feature_name and categories.category = profiles.category
        )
        select labelled.feature_name, bins.psi_bin, sum(labelled.n_rows) as n_cur
        from labelled
        inner join {bins_rel} as bins
            on bins.monitor_name = ? and bins.reference_id = labelled.reference_id and bins.feature_name = labelled.feature_name
            and ((labelled.feature_kind = 'numeric' and bins.bin_index = labelled.bin_index)
                 or (labelled.feature_kind <> 'numeric' and bins.bin_label = labelled.bin_label))
        group by labelled.feature_name, bins.psi_bin
        """,
        [monitor.name, window, *columns, monitor.name],
    )
    out = []
    for column in columns:
        b = bins[bins["feature_name"] == column].copy()
        if b.empty:
            continue
        r = reference[reference["feature_name"] == column][["psi_bin", "n_ref", "reference_rows"]]
        c = current[current["feature_name"] == column][["psi_bin", "n_cur"]]
        b = b.merge(r, on="psi_bin", how="left").merge(c, on="psi_bin", how="left")
        b["n_ref"] = b["n_ref"].fillna(0.0)
        b["n_cur"] = b["n_cur"].fillna(0.0)
        total_ref = b["n_ref"].sum()
        total_cur = b["n_cur"].sum()
        b["ref_share"] = b["n_ref"] / total_ref if total_ref else 0.0
        b["cur_share"] = b["n_cur"] / total_cur if total_cur else 0.0
        kind = b["feature_kind"].iloc[0]
        b = b.sort_values("psi_bin", key=lambda s: s.where(s >= 0, 10_000))  # NULL last
        b["is_last"] = b["psi_bin"] == b.loc[b["psi_bin"] >= 0, "psi_bin"].max()
        b["label"] = [_bin_label(row, kind) for row in b.itertuples()]
        # categorical: hide the always-present but empty __other__/__unseen__/NULL bins
        # the NULL bin, and for categories the "other" and "unseen" bins, only when they hold rows
        special = b["psi_bin"] < 0
        if kind != "numeric":
            special = special | b["bin_label"].isin(["__other__", "__unseen__", "__null__"])
        keep = (b["n_ref"] > 0) | (b["n_cur"] > 0) | ~special
        hidden = int((~keep).sum())
        b = b[keep].reset_index(drop=True)
        row = drift[(drift["feature_name"] == column) & (drift["window_start"] == window)].iloc[0]
        out.append(Histogram(column, kind, window, _num(row["value"]), row["status"], b, hidden))
    return out


def _bin_label(row: Any, kind: str) -> str:
    if row.psi_bin == -1:
        return "NULL"
    if kind != "numeric":
        return {"__other__": "other (rest of reference)", "__unseen__": "unseen", "__null__": "NULL"}.get(row.bin_label, str(row.bin_label))
    if row.psi_bin == 0 and row.is_last:
        return "all values"
    if row.psi_bin == 0:
        return f"≤ {_edge(row.upper_edge)}"
    if row.is_last:
        return f"> {_edge(row.lower_edge)}"
    return f"{_edge(row.lower_edge)}–{_edge(row.upper_edge)}"


def _edge(value: Any) -> str:
    """A bin edge, short: 28,119 / 0.0172 / 612."""
    v = _num(value)
    if v is None:
        return "?"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if v == int(v):
        return str(int(v))
    return f"{v:.3g}"


def psi_from_shares(ref_share: Sequence[float], cur_share: Sequence[float], epsilon: float = 1e-4) -> float:
    """PSI as driftline defines it: empty bins set to epsilon, each side renormalised, Σ (c − r)·ln(c / r)."""
    ref = [p if p > 0 else epsilon for p in ref_share]
    cur = [p if p > 0 else epsilon for p in cur_share]
    sr, sc = sum(ref), sum(cur)
    return sum((c / sc - r / sr) * math.log((c / sc) / (r / sr)) for r, c in zip(ref, cur))


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _int(value: Any) -> int:
    number = _num(value)
    return 0 if number is None else int(number)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _when(value: Any, with_time: bool = False) -> str:
    if _missing(value):
        return "–"
    ts = pd.Timestamp(value)
    if with_time or (ts.hour or ts.minute or ts.second):
        return ts.strftime("%Y-%m-%d %H:%M")
    return ts.strftime("%Y-%m-%d")


def _window_label(window: Any, unit: str) -> str:
    ts = pd.Timestamp(window)
    return ts.strftime("%m-%d %H:00") if unit == "hour" else ts.strftime("%Y-%m-%d")


def _e(value: Any) -> str:
    return "–" if _missing(value) else escape(str(value))


def _txt(value: Any) -> str:
    return "–" if _missing(value) else str(value)


def _badge(text: str, tone: str) -> str:
    return f'<span class="badge badge-{escape(tone)}">{escape(text)}</span>'


def _split(value: Any) -> list[str]:
    if _missing(value) or value == "":
        return []
    text = str(value).strip()
    if text.startswith("["):
        import json

        try:
            return [str(v) for v in json.loads(text)]
        except ValueError:
            pass
    return [part.strip() for part in text.split(",") if part.strip()]


def _pct(value: Any) -> str:
    return "–" if _missing(value) else f"{float(value):.0%}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _axis(data: MonitorData) -> svg.TimeAxis:
    return svg.TimeAxis(
        data.windows,
        LABEL_WIDTH,
        CHART_WIDTH - LABEL_WIDTH - RIGHT_MARGIN,
        [_window_label(w, data.monitor.window) for w in data.windows],
    )


def _window_length(data: MonitorData) -> Any:
    step = window_step(data.monitor.window)
    return step if step is not None else pd.DateOffset(months=1)


def _reference_span(data: MonitorData) -> tuple[int, int] | None:
    if data.reference is None or not data.windows:
        return None
    start, end = pd.Timestamp(data.reference["reference_start"]), pd.Timestamp(data.reference["reference_end"])
    inside = [i for i, w in enumerate(data.windows) if start <= w < end]
    return (inside[0], inside[-1]) if inside else None


def _reference_text(data: MonitorData) -> str:
    r = data.reference
    if r is None:
        return "no reference yet"
    last = pd.Timestamp(r["reference_end"]) - pd.Timedelta(microseconds=1)
    return f"{r['reference_id']} ({int(r['n_reference_windows'])} windows, {_when(r['reference_start'])} – {_when(last)})"


def _markers(data: MonitorData) -> list[svg.Marker]:
    events = data.runner.get("driftline_model_events")
    if events is None or events.empty:
        return []
    # a run's alias moves sit at the data time the run saw (`as_of`), so a replayed history
    # lines up with its windows; moves made by hand sit at their wall-clock time
    runs = data.runner.get("driftline_retrain_runs")
    data_time = {}
    if runs is not None and "as_of" in runs:
        data_time = {r.run_id: r.as_of for r in runs.itertuples() if not _missing(r.as_of)}
    out = []
    for e in events.itertuples():
        if e.alias not in ("champion", "rollback"):
            continue
        label = f"{e.model_version} {'promoted' if e.alias == 'champion' else 'rolled back'}"
        tooltip = f"{_when(e.event_at, True)}: {e.model_version} → {e.alias} by {e.actor or '?'}" + (f" ({e.reason})" if not _missing(e.reason) else "")
        at = data_time.get(getattr(e, "run_id", None), e.event_at)
        out.append(svg.Marker(pd.Timestamp(at), label, tooltip, svg.MARKER_COLORS.get(e.alias, "#495057")))
    return out


def current_champion(data: MonitorData) -> tuple[str | None, Any]:
    """(version, since): the latest 'champion' event, else the decision table's champion_version."""
    events = data.runner.get("driftline_model_events")
    if events is not None and not events.empty:
        champions = events[events["alias"] == "champion"]
        if not champions.empty:
            latest = champions.sort_values("event_at").iloc[-1]
            return str(latest["model_version"]), latest["event_at"]
    if data.signal is not None and not _missing(data.signal.get("champion_version")):
        return str(data.signal["champion_version"]), None
    return None, None


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------


def decision(signal: Mapping[str, Any] | None) -> tuple[str, str]:
    """(verdict, tone) of a retrain signal: RETRAIN / BLOCKED / NO RETRAIN NEEDED."""
    if signal is None:
        return "NO DECISION", "muted"
    if bool(signal.get("should_retrain")):
        return "RETRAIN", "critical"
    if bool(signal.get("is_blocked")):
        return "BLOCKED", "warn"
    return "NO RETRAIN NEEDED", "ok"


def _status_section(data: MonitorData) -> str:
    sig = data.signal or {}
    version, since = current_champion(data)
    runs = data.runner.get("driftline_retrain_runs")
    cards = []
    champion_text = escape(version) if version else "none yet"
    champion_note = f"since {_when(since, True)}" if since is not None else (
        "no model registered by <code>driftline retrain</code>" if not version else "from driftline_retrain_signals")
    cards.append(("Champion", f'<span data-field="champion_version">{champion_text}</span>', champion_note))

    last = sig.get("last_retrained_at")
    registry = data.runner.get("driftline_model_registry")
    if version and registry is not None and not registry.empty:
        created = registry.loc[registry["model_version"] == version, "created_at"]
        if not created.empty:
            last = created.iloc[-1]
    last_note = ""
    if runs is not None and not runs.empty:
        latest = runs.sort_values("started_at").iloc[-1]
        last_note = f"last run {_when(latest['started_at'], True)}: {escape(str(latest['status']))}"
    else:
        last_note = "no retrain run recorded"
    cards.append(("Last retrain", f'<span data-field="last_retrained_at">{_when(last, True) if not _missing(last) else "never"}</span>', last_note))

    counts = {"critical": 0, "warn": 0}
    for row in data.alert_counts.itertuples():
        counts[row.severity] = counts.get(row.severity, 0) + int(row.n)
    kinds: dict[str, dict[str, int]] = {}
    for r in data.alert_counts.itertuples():
        kinds.setdefault(str(r.kind), {})[str(r.severity)] = int(r.n)
    by_kind = " · ".join(
        f"{escape(kind)} {v.get('critical', 0):,}/{v.get('warn', 0):,}" for kind, v in sorted(kinds.items(), key=lambda kv: -kv[1].get("critical", 0))
    ) or "none"
    cards.append((
        "Open alerts",
        f'<span class="count count-critical" data-field="open_critical">{counts["critical"]:,}</span> critical · '
        f'<span class="count count-warn" data-field="open_warn">{counts["warn"]:,}</span> warn',
        f"critical/warn by kind, all segment slices: {by_kind}",
    ))

    verdict, tone = decision(data.signal)
    reasons, blockers = _split(sig.get("reasons")), _split(sig.get("blockers"))
    why = []
    if reasons:
        why.append("because " + ", ".join(f"<b>{escape(r)}</b>" for r in reasons))
    if blockers:
        why.append(("blocked by " if verdict == "BLOCKED" else "would be blocked by ") + ", ".join(f"<b>{escape(b)}</b>" for b in blockers))
    cards.append(("Retrain decision", f'<span data-field="decision">{_badge(verdict, tone)}</span>', "; ".join(why) or "no reason to retrain"))

    html = [_glance(data), '<div class="cards">']
    for label, value, note in cards:
        html.append(f'<div class="card"><div class="card-label">{escape(label)}</div><div class="card-value">{value}</div><div class="card-note">{note}</div></div>')
    html.append("</div>")
    if data.signal is not None:
        ids = []
        for key, label in (("drift_alert_ids", "drift"), ("performance_alert_ids", "performance"), ("incident_alert_ids", "data incident")):
            alert_ids = _split(sig.get(key))
            if alert_ids:
                shown = ", ".join(f"<code>{escape(a[:12])}</code>" for a in alert_ids[:4]) + (f" +{len(alert_ids) - 4} more" if len(alert_ids) > 4 else "")
                ids.append(f"{label} alerts {shown}")
        html.append(
            '<p class="decision-detail">'
            f"Decision as of window <b>{_when(sig.get('as_of_window'))}</b>; candidate training window "
            f"{_when(sig.get('candidate_window_start'))} – {_when(sig.get('candidate_window_end'))} with "
            f"{_int(sig.get('n_new_labelled_rows')):,} new labelled rows (minimum {_int(sig.get('min_new_labelled_rows')):,})."
            + (" Retraining is not declared for this monitor (<code>retraining</code> in its declaration), so the runner will not act on it." if not bool(sig.get("retraining_configured")) else "")
            + (f"<br>Behind it: {'; '.join(ids)}." if ids else "")
            + "</p>"
        )
    return "".join(html)


def _glance(data: MonitorData) -> str:
    """Plain sentences: what drifted, how performance moved, what broke, what was retrained."""
    items = []
    if data.signal is not None:
        verdict, _ = decision(data.signal)
        reasons = ", ".join(_split(data.signal.get("reasons"))) or "no reason"
        blockers = ", ".join(_split(data.signal.get("blockers")))
        text = {
            "RETRAIN": f"retrain, because of {escape(reasons)}",
            "BLOCKED": f"a retrain is wanted ({escape(reasons)}) but blocked by {escape(blockers)}",
        }.get(verdict, "no retrain needed" + (f" (would be blocked by {escape(blockers)})" if blockers else ""))
        items.append(f"<b>Decision</b> as of {_when(data.signal.get('as_of_window'))}: {text}.")
    window, columns, drifted = drifted_columns(data.drift, limit=100)
    if window is not None:
        latest = data.drift[data.drift["window_start"] == window].set_index("feature_name")
        parts = []
        for level in ("critical", "warn"):
            names = [c for c in columns if latest.loc[c, "status"] == level] if drifted else []
            if names:
                shown = ", ".join(f"<b>{escape(OUTPUT_LABELS.get(c, c))}</b> ({svg.fmt(_num(latest.loc[c, 'value']), 2)})" for c in names[:6])
                parts.append(f"{level} in {shown}" + (f" and {len(names) - 6} more" if len(names) > 6 else ""))
        items.append(f"<b>Drift</b> in the latest window ({_when(window)}), PSI: " + ("; ".join(parts) if parts else "none at warn or critical level") + ".")
    perf = data.performance
    if not perf.empty:
        metric = primary_metric(data.monitor)
        rows = perf[(perf["metric"] == metric) & perf["value"].notna()]
        mature = rows[rows["is_mature"].astype(bool)]
        span = _reference_span(data)
        if not mature.empty:
            last = mature.sort_values("window_start").iloc[-1]
            text = f"<b>Performance</b>: {escape(metric)} {svg.fmt(_num(last['value']))} in the latest mature window ({_when(last['window_start'])})"
            if span:
                ref_windows = data.windows[span[0] : span[1] + 1]
                ref_rows = rows[rows["window_start"].isin(ref_windows)]
                if not ref_rows.empty:
                    ref_mean = float(ref_rows["value"].mean())
                    text += f", against {svg.fmt(ref_mean)} on average in the reference windows ({_num(last['value']) - ref_mean:+.3f})"
            immature = rows[~rows["is_mature"].astype(bool)]
            if not immature.empty:
                text += f"; {len(immature)} later window(s) still waiting for labels"
            items.append(text + ".")
    q = data.quality[data.quality["status"] == "critical"]
    if not q.empty:
        step = window_step(data.monitor.window)
        parts = []
        for (feature, check), rows in q.groupby(["feature_name", "check_name"]):
            windows = [pd.Timestamp(w) for w in rows["window_start"]]
            when = describe_runs(windows, step, limit=2) if step is not None else f"{len(windows)} windows"
            parts.append(f"{escape(str(feature))} {escape(str(check))} ({escape(when)})")
        items.append(f"<b>Data incidents</b> (critical checks): {'; '.join(parts[:4])}" + (f" and {len(parts) - 4} more" if len(parts) > 4 else "") + ".")
    runs = data.runner.get("driftline_retrain_runs")
    if runs is not None and not runs.empty:
        r = runs.sort_values("started_at").iloc[-1]
        text = f"<b>Last retrain run</b> {_when(r['started_at'], True)}: {escape(str(r['status']))}"
        if not _missing(r.get("challenger_version")) and _num(r.get("improvement")) is not None:
            text += f", {escape(str(r['challenger_version']))} against {escape(_txt(r.get('champion_version')))}: {escape(_txt(r.get('metric_name')))} {_num(r['improvement']):+.3f}"
        if not _missing(r.get("reason")):
            text += f" (triggered by {escape(str(r['reason']))})"
        items.append(text + ".")
    else:
        items.append("<b>Retraining</b>: no retrain recorded yet.")
    return '<ul class="glance">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _heatmap_rows(drift: pd.DataFrame) -> list[tuple[str, str]]:
    meta = drift.drop_duplicates("feature_name")[["feature_name", "feature_role", "feature_index"]]
    meta = meta.assign(order=meta["feature_role"].map(ROLE_ORDER).fillna(9), idx=meta["feature_index"].fillna(0))
    meta = meta.sort_values(["order", "idx", "feature_name"])
    return [(f, OUTPUT_LABELS.get(f, f)) for f in meta["feature_name"]]


def drift_heatmap(data: MonitorData) -> str:
    if data.drift.empty:
        return '<p class="empty">No drift statistics yet: the monitor has no windows.</p>'
    axis = _axis(data)
    rows = _heatmap_rows(data.drift)
    row_h = 18
    top = 46
    height = top + row_h * len(rows) + 30
    canvas = svg.Canvas(CHART_WIDTH, height, f"PSI drift heatmap of {data.name}")
    span = _reference_span(data)
    if span:
        svg.draw_band(canvas, axis, span[0], span[1], top - 6, top + row_h * len(rows) + 2, "reference", f"reference windows: {_reference_text(data)}")
    cells = {(r.feature_name, pd.Timestamp(r.window_start)): r for r in data.drift.itertuples()}
    for j, (feature, label) in enumerate(rows):
        y = top + j * row_h
        weight = "600" if feature in set(data.drift.loc[data.drift["status"] == "critical", "feature_name"]) else None
        canvas.text(LABEL_WIDTH - 8, y + row_h * 0.68, label, size=11, anchor="end", weight=weight)
        if j and feature in OUTPUT_LABELS and rows[j - 1][0] not in OUTPUT_LABELS:
            canvas.line(8, y, axis.x(len(data.windows)), y, "#9aa1ab", 1, "2 2")
        for i, window in enumerate(data.windows):
            cell = cells.get((feature, window))
            if cell is None:
                continue
            value = _num(cell.value)
            color = svg.status_shade(cell.status, value, _num(cell.threshold_warn), _num(cell.threshold_critical))
            tip = (
                f"{feature} · window {_when(window)}\nPSI {svg.fmt(value)} — {cell.status}"
                f" (warn ≥ {svg.fmt(_num(cell.threshold_warn), 2)}, critical ≥ {svg.fmt(_num(cell.threshold_critical), 2)})"
                f"\n{_int(cell.n_cur):,} rows in window, {_int(cell.n_ref):,} in reference"
            )
            canvas.add(
                f'<rect {svg.attrs(class_="cell", x=f"{axis.x(i) + 0.5:.1f}", y=f"{y + 1:.1f}", width=f"{max(axis.slot - 1, 0.6):.2f}", height=row_h - 2, fill=color, data_feature=feature, data_window=_when(window), data_value="" if value is None else repr(value), data_status=cell.status)}>'
                f"{svg.title(tip)}</rect>"
            )
    svg.draw_markers(canvas, axis, _markers(data), top - 6, top + row_h * len(rows) + 2, _window_length(data))
    axis.draw_ticks(canvas, top + row_h * len(rows) + 4)
    legend = svg.legend([
        ("box", "#b5e0bf", "ok (PSI < warn)"),
        ("box", "#f4a93b", "warn (≥ 0.1 by default)"),
        ("box", "#d93025", "critical (≥ 0.25)"),
        ("box", "#e2e5e9", "not judged: too few rows, undefined or no reference"),
        ("band", svg.REFERENCE_COLOR, "reference windows"),
    ] + ([("dash", svg.MARKER_COLORS["champion"], "promotion / rollback")] if _markers(data) else []))
    note = ""
    if data.all_windows > len(data.windows):
        note = f'<p class="note">Showing the latest {len(data.windows)} of {data.all_windows} windows.</p>'
    return legend + f'<div class="chart">{canvas.render()}</div>' + note


def histograms_section(data: MonitorData) -> str:
    window, columns, drifted = drifted_columns(data.drift)
    if not data.histograms:
        return '<p class="empty">No judged window yet, so nothing to compare with the reference.</p>'
    intro = (
        f"Columns whose PSI is at warn or critical level in the latest judged window, <b>{_when(window)}</b>, worst first: "
        "the share of rows in each PSI bin (reference deciles for numbers, reference categories for categories) "
        "in the reference and in that window."
        if drifted
        else f"No column drifted in the latest judged window, <b>{_when(window)}</b>; the three with the highest PSI are shown."
    )
    charts = "".join(_histogram(h) for h in data.histograms)
    legend = svg.legend([("box", svg.REFERENCE_COLOR, "reference"), ("box", svg.CURRENT_COLOR, f"window {_when(window)}")])
    return f'<p class="intro">{intro}</p>{legend}<div class="hist-grid">{charts}</div>'


def _histogram(h: Histogram) -> str:
    width, height = 380, 250
    left, right, top, bottom = 46, 10, 34, 74
    plot_w, plot_h = width - left - right, height - top - bottom
    canvas = svg.Canvas(width, height, f"Reference and window shares of {h.feature}")
    status_color = svg.STATUS_COLORS.get(h.status, svg.AXIS_COLOR)
    canvas.text(left - 36, 15, OUTPUT_LABELS.get(h.feature, h.feature), size=13, weight="700")
    canvas.text(width - right, 15, f"PSI {svg.fmt(h.psi, 2)} · {h.status}", size=12, anchor="end", color=status_color, weight="700")
    n = len(h.bins)
    top_share = max(float(h.bins["ref_share"].max()), float(h.bins["cur_share"].max()), 0.01)
    ticks = svg.nice_ticks(0, top_share, 4)
    y_max = max(ticks[-1], top_share) if ticks else top_share
    for t in ticks:
        y = top + plot_h * (1 - t / y_max)
        canvas.line(left, y, left + plot_w, y, svg.GRID_COLOR)
        canvas.text(left - 4, y + 3, f"{t:.0%}" if y_max >= 0.05 else f"{t:.1%}", size=9, anchor="end", color=svg.AXIS_COLOR)
    slot = plot_w / max(n, 1)
    bar = slot * 0.38
    for i, b in enumerate(h.bins.itertuples()):
        x = left + i * slot + slot * 0.1
        for k, (share, count, color, side) in enumerate(((b.ref_share, b.n_ref, svg.REFERENCE_COLOR, "reference"), (b.cur_share, b.n_cur, svg.CURRENT_COLOR, "window"))):
            bh = plot_h * float(share) / y_max
            tip = f"{h.feature} {b.label}\n{side}: {float(share):.1%} ({int(count):,} rows)"
            canvas.add(
                f'<rect {svg.attrs(class_="hist-bar", x=f"{x + k * bar:.1f}", y=f"{top + plot_h - bh:.1f}", width=f"{bar:.1f}", height=f"{bh:.1f}", fill=color, data_side=side, data_bin=int(b.psi_bin), data_share=repr(float(share)))}>'
                f"{svg.title(tip)}</rect>"
            )
        label = b.label if len(b.label) <= 16 else b.label[:15] + "…"
        cx = left + i * slot + slot / 2
        canvas.add(
            f'<text {svg.attrs(x=f"{cx:.1f}", y=f"{top + plot_h + 10:.1f}", font_size=9, text_anchor="end", fill=svg.AXIS_COLOR, transform=f"rotate(-40 {cx:.1f} {top + plot_h + 10:.1f})")}>'
            f"{escape(label)}{svg.title(b.label)}</text>"
        )
    canvas.line(left, top + plot_h, left + plot_w, top + plot_h, svg.AXIS_COLOR)
    canvas.text(left + plot_w / 2, height - 4, "PSI bin (reference deciles)" if h.kind == "numeric" else "category", size=10, anchor="middle", color=svg.AXIS_COLOR)
    return (
        f'<div {svg.attrs(class_="hist", data_feature=h.feature, data_window=_when(h.window), data_psi="" if h.psi is None else repr(h.psi), data_hidden_bins=h.hidden_bins)}>'
        f"{canvas.render()}</div>"
    )


def _line_chart(data: MonitorData, title_text: str, y_label: str, series: list[dict[str, Any]], hlines: list[tuple[float, str, str]] | None = None,
                height: int = 220, percent: bool = False, bars: list[dict[str, Any]] | None = None) -> str:
    """A chart on the monitor's time axis: lines (series) or bars, plus the reference band and event markers."""
    axis = _axis(data)
    top, bottom = 46, 26
    plot_h = height - top - bottom
    canvas = svg.Canvas(CHART_WIDTH, height, title_text)
    values = [v for s in series for v in s["values"].values() if v is not None]
    values += [b["value"] for b in bars or []]
    values += [h[0] for h in hlines or []]
    if percent:
        low, high = 0.0, 1.0
    elif values:
        low, high = min(values), max(values)
        pad = (high - low) * 0.1 or 0.05
        low, high = low - pad, high + pad
    else:
        low, high = 0.0, 1.0
    ticks = svg.nice_ticks(low, high, 4)
    if ticks:
        low, high = min(low, ticks[0]), max(high, ticks[-1])

    def y_of(v: float) -> float:
        return top + plot_h * (1 - (v - low) / (high - low))

    span = _reference_span(data)
    if span:
        svg.draw_band(canvas, axis, span[0], span[1], top, top + plot_h, "reference", f"reference windows: {_reference_text(data)}")
    for t in ticks:
        canvas.line(axis.left, y_of(t), axis.x(len(data.windows)), y_of(t), svg.GRID_COLOR)
        canvas.text(axis.left - 6, y_of(t) + 3, f"{t:.0%}" if percent else svg.fmt(t, 2), size=10, anchor="end", color=svg.AXIS_COLOR)
    canvas.add(
        f'<text {svg.attrs(x=f"{axis.left - 44:.0f}", y=f"{top + plot_h / 2:.1f}", font_size=11, text_anchor="middle", fill=svg.AXIS_COLOR, transform=f"rotate(-90 {axis.left - 44:.0f} {top + plot_h / 2:.1f})")}>{escape(y_label)}</text>'
    )
    canvas.text(axis.left, 14, title_text, size=12, weight="700")
    for b in bars or []:
        i = b["index"]
        y = y_of(b["value"])
        canvas.add(
            f'<rect {svg.attrs(class_=b.get("class", "bar"), x=f"{axis.x(i) + 0.5:.1f}", y=f"{y:.1f}", width=f"{max(axis.slot - 1, 0.6):.2f}", height=f"{top + plot_h - y:.1f}", fill=b["color"], **b.get("data", {}))}>'
            f"{svg.title(b['tooltip'])}</rect>"
        )
    for value, label, color in hlines or []:
        canvas.line(axis.left, y_of(value), axis.x(len(data.windows)), y_of(value), color, 1.5, "6 4", tooltip=label)
    for s in series:
        points = [(i, s["values"].get(w)) for i, w in enumerate(data.windows)]
        path, pen_up = [], True
        for i, v in points:
            if v is None:
                pen_up = True
                continue
            path.append(f"{'M' if pen_up else 'L'}{axis.center(i):.1f},{y_of(v):.1f}")
            pen_up = False
        if path:
            canvas.add(f'<path {svg.attrs(d=" ".join(path), fill="none", stroke=s["color"], stroke_width=2, stroke_dasharray=s.get("dash"))}/>')
        hollow = s.get("hollow", {})
        for i, v in points:
            if v is None:
                continue
            w = data.windows[i]
            is_hollow = hollow.get(w, False)
            canvas.add(
                f'<circle {svg.attrs(class_="point", cx=f"{axis.center(i):.1f}", cy=f"{y_of(v):.1f}", r=2.6 if not is_hollow else 2.4, fill="#ffffff" if is_hollow else s["color"], stroke=s["color"], stroke_width=1.2, data_series=s["name"], data_metric=s.get("metric"), data_window=_when(w), data_value=repr(v))}>'
                f"{svg.title(s['tooltips'].get(w, ''))}</circle>"
            )
    for value, label, color in hlines or []:
        canvas.text(axis.x(len(data.windows)) - 4, y_of(value) - 4, label, size=10, anchor="end", color=color, weight="600", halo=True)
    svg.draw_markers(canvas, axis, _markers(data), top, top + plot_h, _window_length(data))
    canvas.line(axis.left, top + plot_h, axis.x(len(data.windows)), top + plot_h, svg.AXIS_COLOR)
    axis.draw_ticks(canvas, top + plot_h)
    return f'<div class="chart">{canvas.render()}</div>'


def performance_section(data: MonitorData) -> str:
    monitor = data.monitor
    if monitor.label_relation is None:
        return '<p class="empty">The monitor declares no labels, so there is no realized performance; only drift and data quality are tracked.</p>'
    perf = data.performance
    if perf.empty:
        return '<p class="empty">No performance rows yet: no window has labelled predictions.</p>'
    main_metric = primary_metric(monitor)
    versions = sorted(perf["model_version"].unique())
    palette = [svg.REALIZED_COLOR, "#2b8a3e", "#e8590c", "#5f3dc4", "#0b7285"]
    windows = [pd.Timestamp(w) for w in perf["window_start"]]
    perf = perf.assign(window_start=windows)
    charts = []

    def metric_series(metric: str, estimated: bool) -> list[dict[str, Any]]:
        rows = perf[perf["metric"] == metric]
        out = []
        for k, version in enumerate(versions):
            vrows = rows[rows["model_version"] == version]
            values, tips, hollow = {}, {}, {}
            for r in vrows.itertuples():
                values[r.window_start] = _num(r.value)
                hollow[r.window_start] = not bool(r.is_mature)
                tips[r.window_start] = (
                    f"{metric} of {version}, window {_when(r.window_start)}: realized {svg.fmt(_num(r.value))}"
                    + (f", estimated {svg.fmt(_num(r.estimated_value))}" if estimated else "")
                    + f"\n{int(r.n_labelled):,} of {int(r.n_predictions):,} labelled ({_pct(r.label_coverage)}), {'mature' if r.is_mature else 'labels still arriving'}"
                )
            name = f"realized {version}" if len(versions) > 1 else "realized"
            out.append({"name": name, "metric": metric, "values": values, "tooltips": tips, "hollow": hollow, "color": palette[k % len(palette)]})
            if estimated:
                est = {r.window_start: _num(r.estimated_value) for r in vrows.itertuples()}
                out.append({"name": f"estimated {version}" if len(versions) > 1 else "estimated", "metric": metric, "values": est, "tooltips": tips,
                            "color": svg.ESTIMATED_COLOR, "dash": "5 4"})
        return out

    floor = _num(((monitor.declaration.get("thresholds") or {}).get("performance_floor")))
    hlines = [(floor, f"performance floor {svg.fmt(floor, 2)}", svg.STATUS_COLORS["critical"])] if floor is not None else []
    has_estimate = perf.loc[perf["metric"] == main_metric, "estimated_value"].notna().any()
    charts.append(_line_chart(data, f"{main_metric} (realized{', estimated' if has_estimate else ''})", main_metric, metric_series(main_metric, has_estimate), hlines))
    if monitor.task == "binary_classification" and main_metric != "accuracy":
        charts.append(_line_chart(data, "accuracy: realized on arrived labels against estimated from the scores", "accuracy", metric_series("accuracy", True)))
    elif monitor.task != "binary_classification":
        second = [m for m in PRIMARY_METRICS[monitor.task] if m != main_metric][:1]
        if second:
            charts.append(_line_chart(data, f"{second[0]} (realized)", second[0], metric_series(second[0], False)))

    coverage = perf[perf["metric"] == main_metric].groupby("window_start").agg(
        n_predictions=("n_predictions", "sum"), n_labelled=("n_labelled", "sum"), is_mature=("is_mature", "min")
    )
    labels = monitor.declaration.get("labels") or {}
    bars = []
    for w, r in coverage.iterrows():
        i = data.windows.index(w) if w in data.windows else None
        if i is None:
            continue
        share = r.n_labelled / r.n_predictions if r.n_predictions else 0.0
        mature = bool(r.is_mature)
        bars.append({
            "index": i, "value": share, "color": "#8fb3e8" if mature else "#d6e2f5", "class": "coverage-bar",
            "data": {"data_window": _when(w), "data_coverage": repr(float(share)), "data_mature": str(mature).lower()},
            "tooltip": f"window {_when(w)}: {int(r.n_labelled):,} of {int(r.n_predictions):,} predictions labelled ({share:.0%}); {'mature' if mature else 'not mature yet'}",
        })
    mature_coverage = _num(labels.get("mature_coverage"))
    charts.append(_line_chart(
        data, f"label coverage (mature after {labels.get('horizon_days', '?')} days or at {_pct(mature_coverage)} coverage)", "labelled",
        [], [(mature_coverage, f"mature at {_pct(mature_coverage)}", svg.AXIS_COLOR)] if mature_coverage else [], height=165, percent=True, bars=bars,
    ))
    legend_items = [("line", svg.REALIZED_COLOR, "realized (filled: mature window; hollow: labels still arriving)")]
    if has_estimate or monitor.task == "binary_classification":
        legend_items.append(("dash", svg.ESTIMATED_COLOR, "estimated from scores (assumes calibration; blind to concept shift)"))
    legend_items += [("box", "#8fb3e8", "labelled share, mature"), ("box", "#d6e2f5", "labelled share, immature"), ("band", svg.REFERENCE_COLOR, "reference windows")]
    if _markers(data):
        legend_items.append(("dash", svg.MARKER_COLORS["champion"], "promotion / rollback"))
    return svg.legend(legend_items) + "".join(charts)


def incidents_section(data: MonitorData) -> str:
    parts = []
    q = data.quality
    step = window_step(data.monitor.window)
    incidents = data.incidents
    if not incidents.empty:
        rows = []
        for r in incidents.itertuples():
            rows.append([
                _badge(str(r.kind), "critical" if r.severity == "critical" else "warn"),
                _when(r.window_start), _e(r.feature_name) if r.kind == "schema" else "–",
                _badge(str(r.status), "muted" if r.status == "resolved" else "critical"), _e(r.detail),
            ])
        parts.append("<h4>Blocked retrains and schema changes</h4>" + _table(["kind", "window", "column", "status", "detail"], rows, "incidents"))
    if q.empty and incidents.empty:
        return '<p class="empty">No data-quality check left its bounds in any window: no incident.</p>'
    if not q.empty:
        groups = []
        for (feature, check), rows in q.groupby(["feature_name", "check_name"], sort=False):
            worst = rows.sort_values("status", key=lambda s: s.map({"critical": 0, "warn": 1})).iloc[0]
            windows = [pd.Timestamp(w) for w in rows["window_start"]]
            crit = rows[rows["status"] == "critical"]
            detail = next((d for d in rows["detail"] if not _missing(d)), None)
            groups.append((0 if not crit.empty else 1, -len(crit), [
                f"<code>{escape(str(feature))}</code>", escape(str(check)),
                _badge("critical", "critical") if not crit.empty else _badge("warn", "warn"),
                f"{len(crit)} critical, {len(rows) - len(crit)} warn",
                escape(describe_runs(windows, step) if step is not None else f"{len(windows)} windows"),
                f"{svg.fmt(_num(worst.value))} (reference {svg.fmt(_num(worst.reference_value))})",
                _e(detail),
            ]))
        groups.sort(key=lambda g: (g[0], g[1]))
        parts.append(
            "<h4>Checks out of bounds (whole log)</h4>"
            '<p class="intro">NULL rate, out-of-reference-range share, unseen categories, volume, orphan labels and schema, '
            "against the reference. A spike on a few consecutive windows is usually a broken feed, not drift: a retrain whose "
            "candidate window holds a critical one is blocked.</p>"
            + _quality_table([g[2] for g in groups])
            + _quality_strip(data)
        )
    return "".join(parts)


def _quality_table(rows: list[list[str]]) -> str:
    headers = ["column", "check", "worst", "windows", "when", "value (first worst)", "detail"]
    if all(row[-1] == "–" for row in rows):
        headers, rows = headers[:-1], [row[:-1] for row in rows]
    return _table(headers, rows, "quality")


def _quality_strip(data: MonitorData) -> str:
    q = data.quality[data.quality["window_start"] >= (data.windows[0] if data.windows else pd.Timestamp.min)]
    if q.empty or not data.windows:
        return ""
    axis = _axis(data)
    keys = list(dict.fromkeys(zip(q["feature_name"], q["check_name"])))
    row_h, top = 16, (32 if _markers(data) else 10)
    canvas = svg.Canvas(CHART_WIDTH, top + row_h * len(keys) + 26, f"data-quality checks out of bounds for {data.name}")
    span = _reference_span(data)
    if span:
        svg.draw_band(canvas, axis, span[0], span[1], top - 2, top + row_h * len(keys) + 1, "", "reference windows")
    index = {w: i for i, w in enumerate(data.windows)}
    for j, (feature, check) in enumerate(keys):
        y = top + j * row_h
        canvas.text(LABEL_WIDTH - 8, y + row_h * 0.7, f"{feature} · {check}", size=10, anchor="end")
        canvas.line(axis.left, y + row_h / 2, axis.x(len(data.windows)), y + row_h / 2, svg.GRID_COLOR)
        for r in q[(q["feature_name"] == feature) & (q["check_name"] == check)].itertuples():
            i = index.get(pd.Timestamp(r.window_start))
            if i is None:
                continue
            tip = f"{feature} {check}, window {_when(r.window_start)}: {svg.fmt(_num(r.value))} against reference {svg.fmt(_num(r.reference_value))} — {r.status}" + (f"\n{r.detail}" if not _missing(r.detail) else "")
            canvas.add(
                f'<rect {svg.attrs(class_="quality-cell", x=f"{axis.x(i) + 0.5:.1f}", y=f"{y + 2:.1f}", width=f"{max(axis.slot - 1, 1.5):.2f}", height=row_h - 4, fill=svg.STATUS_COLORS[r.status], data_feature=feature, data_check=check, data_window=_when(r.window_start), data_status=r.status)}>'
                f"{svg.title(tip)}</rect>"
            )
    svg.draw_markers(canvas, axis, _markers(data), top - 2, top + row_h * len(keys) + 1, _window_length(data))
    axis.draw_ticks(canvas, top + row_h * len(keys) + 2)
    return f'<div class="chart">{canvas.render()}</div>'


def retraining_section(data: MonitorData) -> str:
    registry = data.runner.get("driftline_model_registry")
    events = data.runner.get("driftline_model_events")
    runs = data.runner.get("driftline_retrain_runs")
    missing = [t for t in ("driftline_model_registry", "driftline_model_events", "driftline_retrain_runs") if data.runner.get(t) is None]
    empty = all(frame is None or frame.empty for frame in (registry, events, runs))
    if empty:
        where = (
            f"the runner's tables ({', '.join(missing)}) do not exist in schema <code>{escape(data.runner_schema)}</code> yet"
            if missing else f"the runner's tables in schema <code>{escape(data.runner_schema)}</code> hold no rows for this monitor"
        )
        reference = _reference_text(data)
        return (
            '<div class="no-retrain"><b>No retrain yet.</b> '
            f"<code>driftline retrain</code> has not trained a model for <b>{escape(data.name)}</b>: {where}. "
            f"Until a champion is registered, drift is measured against the configured fallback reference, {escape(reference)}. "
            "Once the runner has run, this section lists every model version with its training window, the runs with "
            "their champion/challenger comparison on a frozen holdout, and each promotion or rollback.</div>"
        )
    parts = []
    if runs is not None and not runs.empty:
        parts.append(_runs_chart(runs))
        rows = []
        for r in runs.sort_values("started_at", ascending=False).itertuples():
            tone = {"promoted": "ok", "initial": "ok", "declined": "muted", "failed": "critical", "skipped": "muted", "dry_run": "muted"}.get(r.status, "muted")
            improvement = _num(r.improvement)
            ci = f" [{svg.fmt(_num(r.improvement_low))}, {svg.fmt(_num(r.improvement_high))}]" if _num(r.improvement_low) is not None else ""
            rows.append([
                _when(r.started_at, True), _badge(str(r.status), tone), _e(r.reason),
                f"{_e(r.champion_version)} → {_e(r.challenger_version)}",
                f"{_e(r.metric_name)}: {svg.fmt(_num(r.champion_metric))} → {svg.fmt(_num(r.challenger_metric))}"
                if _num(r.champion_metric) is not None or _num(r.challenger_metric) is not None else "–",
                (f"{improvement:+.3f}" if improvement is not None else "–") + ci,
                f"{_e(r.test_name)} p={svg.fmt(_num(r.p_value))}" if _num(r.p_value) is not None else "–",
                f"{_when(r.training_start)} – {_when(r.training_end)}<br>{_int(r.training_rows):,} train / {_int(r.holdout_rows):,} holdout"
                if not _missing(r.training_start) else "–",
                f"{svg.fmt(_num(r.total_seconds), 1)} s",
                f'<span class="error">{_e(r.error)}</span>' if not _missing(r.error) else "",
            ])
        parts.append("<h4>Retrain runs</h4>" + _table(
            ["started", "status", "reason", "champion → challenger", "holdout metric", "improvement [CI]", "test", "training window", "time", "error"], rows, "runs"))
    elif runs is None:
        parts.append('<p class="note">No <code>driftline_retrain_runs</code> table yet.</p>')
    if registry is not None and not registry.empty:
        alias = {}
        if events is not None and not events.empty:
            for e in events.sort_values("event_at").itertuples():
                if e.alias in ("champion", "challenger", "archived"):
                    alias[e.model_version] = e.alias
                    if e.alias == "champion":
                        for version, a in list(alias.items()):
                            if a == "champion" and version != e.model_version:
                                alias[version] = "archived"
                elif e.alias == "rollback":
                    alias[e.model_version] = "champion"
        champion, _ = current_champion(data)
        rows = []
        for r in registry.sort_values("created_at", ascending=False).itertuples():
            state = "champion" if r.model_version == champion else alias.get(r.model_version, "–")
            interval = f" [{svg.fmt(_num(r.holdout_metric_low))}, {svg.fmt(_num(r.holdout_metric_high))}]" if _num(r.holdout_metric_low) is not None else ""
            rows.append([
                f"<b>{_e(r.model_version)}</b>", _badge(state, "ok" if state == "champion" else "muted"), _when(r.created_at, True),
                f"{_when(r.training_start)} – {_when(r.training_end)}", f"{_int(r.training_rows):,}", _e(r.window_strategy), _e(r.estimator),
                f"{_e(r.metric_name)} {svg.fmt(_num(r.holdout_metric))}{interval}", _e(r.parent_version),
                f"{len(_split(r.trigger_alert_ids))} alerts", f"<code>{_e(str(r.data_fingerprint)[:10]) if not _missing(r.data_fingerprint) else '–'}</code>",
            ])
        parts.append("<h4>Model registry</h4>" + _table(
            ["version", "alias", "created", "training window", "rows", "window strategy", "estimator", "holdout metric [CI]", "parent", "triggered by", "data fingerprint"], rows, "registry"))
    if events is not None and not events.empty:
        rows = [[_when(e.event_at, True), _e(e.model_version), _badge(str(e.alias), "ok" if e.alias == "champion" else ("critical" if e.alias == "rollback" else "muted")),
                 _e(e.actor), _e(e.reason)] for e in events.sort_values("event_at", ascending=False).itertuples()]
        parts.append("<h4>Alias events (append-only)</h4>" + _table(["when", "version", "alias", "actor", "reason"], rows, "events"))
    return "".join(parts)


def _runs_chart(runs: pd.DataFrame) -> str:
    runs = runs.sort_values("started_at").reset_index(drop=True)
    compared = runs[runs["champion_metric"].notna() | runs["challenger_metric"].notna()]
    if compared.empty:
        return ""
    width, height = CHART_WIDTH, 230
    left, right, top, bottom = LABEL_WIDTH, RIGHT_MARGIN, 30, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    values = []
    for r in compared.itertuples():
        for v in (r.champion_metric, r.challenger_metric):
            if _num(v) is not None:
                values.append(_num(v))
        if _num(r.champion_metric) is not None and _num(r.improvement_low) is not None:
            values += [_num(r.champion_metric) + _num(r.improvement_low), _num(r.champion_metric) + _num(r.improvement_high)]
    low, high = min(values), max(values)
    pad = (high - low) * 0.15 or 0.02
    low, high = low - pad, high + pad
    ticks = svg.nice_ticks(low, high, 4)
    canvas = svg.Canvas(width, height, "champion against challenger on the holdout, per retrain run")
    metric = next((m for m in compared["metric_name"] if not _missing(m)), "metric")
    canvas.text(left, 14, f"champion against challenger on the frozen holdout ({metric}), per run", size=12, weight="700")

    def y_of(v: float) -> float:
        return top + plot_h * (1 - (v - low) / (high - low))

    for t in ticks:
        if low <= t <= high:
            canvas.line(left, y_of(t), left + plot_w, y_of(t), svg.GRID_COLOR)
            canvas.text(left - 6, y_of(t) + 3, svg.fmt(t, 3), size=10, anchor="end", color=svg.AXIS_COLOR)
    slot = plot_w / len(compared)
    colors = {"promoted": svg.STATUS_COLORS["ok"], "initial": svg.STATUS_COLORS["ok"], "declined": "#868e96", "failed": svg.STATUS_COLORS["critical"]}
    for i, r in enumerate(compared.itertuples()):
        cx = left + slot * (i + 0.5)
        champ, chall = _num(r.champion_metric), _num(r.challenger_metric)
        color = colors.get(r.status, "#868e96")
        if champ is not None and _num(r.improvement_low) is not None:
            canvas.line(cx + 8, y_of(champ + _num(r.improvement_low)), cx + 8, y_of(champ + _num(r.improvement_high)), color, 2,
                        tooltip=f"improvement interval [{svg.fmt(_num(r.improvement_low))}, {svg.fmt(_num(r.improvement_high))}]")
        if champ is not None and chall is not None:
            canvas.line(cx - 8, y_of(champ), cx + 8, y_of(chall), "#adb5bd", 1.5)
        tip = (f"run {r.run_id} ({_when(r.started_at, True)}): {r.status}\n{r.metric_name} champion {_txt(r.champion_version)}: {svg.fmt(champ)}, "
               f"challenger {_txt(r.challenger_version)}: {svg.fmt(chall)}, improvement {svg.fmt(_num(r.improvement))}"
               + (f", p = {svg.fmt(_num(r.p_value))}" if _num(r.p_value) is not None else ""))
        if champ is not None:
            canvas.add(f'<circle {svg.attrs(class_="run-champion", cx=f"{cx - 8:.1f}", cy=f"{y_of(champ):.1f}", r=5, fill="#495057", data_run=r.run_id, data_value=repr(champ))}>{svg.title(tip)}</circle>')
        if chall is not None:
            canvas.add(f'<circle {svg.attrs(class_="run-challenger", cx=f"{cx + 8:.1f}", cy=f"{y_of(chall):.1f}", r=6, fill=color, data_run=r.run_id, data_value=repr(chall))}>{svg.title(tip)}</circle>')
        canvas.text(cx, top + plot_h + 16, _when(r.started_at), size=10, anchor="middle", color=svg.AXIS_COLOR)
        canvas.text(cx, top + plot_h + 30, f"{r.status}: {_txt(r.champion_version)} vs {_txt(r.challenger_version)}", size=10, anchor="middle", color=color, weight="600")
    canvas.line(left, top + plot_h, left + plot_w, top + plot_h, svg.AXIS_COLOR)
    legend = svg.legend([("box", "#495057", "champion"), ("box", svg.STATUS_COLORS["ok"], "challenger, promoted"), ("box", "#868e96", "challenger, declined"),
                         ("line", svg.STATUS_COLORS["ok"], "improvement interval (around the champion)")])
    return legend + f'<div class="chart">{canvas.render()}</div>'


def backtest_section(data: MonitorData) -> str:
    summary = data.runner.get("driftline_backtest_summary")
    results = data.runner.get("driftline_backtest_results")
    if summary is None or summary.empty:
        return '<p class="empty">No backtest yet: <code>driftline backtest</code> replays the history under several retraining policies and writes <code>driftline_backtest_summary</code> here.</p>'
    latest = summary["backtest_id"].iloc[-1]
    s = summary[summary["backtest_id"] == latest].sort_values("mean_metric", ascending=False).reset_index(drop=True)
    metric = None
    if results is not None and not results.empty:
        names = results.loc[results["backtest_id"] == latest, "metric_name"].dropna()
        metric = names.iloc[0] if not names.empty else None
    width = CHART_WIDTH
    row_h, top = 26, 24
    height = top + row_h * len(s) + 40
    left, right = 300, 250
    plot_w = width - left - right
    values = [_num(v) for v in s["mean_metric"] if _num(v) is not None] or [0.0, 1.0]
    pad = (max(values) - min(values)) * 0.08 or 0.02
    ticks = svg.nice_ticks(min(values) - pad, max(values) + pad, 6)
    low, high = min(ticks[0], min(values) - pad), max(ticks[-1], max(values) + pad)
    canvas = svg.Canvas(width, height, "backtest: mean metric per policy")
    canvas.text(left, 14, f"mean {metric or 'metric'} over the replayed windows, per policy (backtest {latest}); axis not from zero", size=12, weight="700")

    def x_of(v: float) -> float:
        return left + plot_w * (v - low) / (high - low) if high > low else left

    bottom = top + row_h * len(s)
    for t in ticks:
        canvas.line(x_of(t), top, x_of(t), bottom, svg.GRID_COLOR)
        canvas.text(x_of(t), bottom + 14, svg.fmt(t, 3), size=10, anchor="middle", color=svg.AXIS_COLOR)
    for i, r in enumerate(s.itertuples()):
        y = top + i * row_h + row_h / 2
        value = _num(r.mean_metric)
        recommended = bool(r.recommended)
        color = svg.STATUS_COLORS["ok"] if recommended else "#7b8794"
        canvas.text(left - 10, y + 4, f"{'★ ' if recommended else ''}{r.policy} · {r.window_strategy}", size=11, anchor="end", weight="700" if recommended else None)
        canvas.line(left, y, left + plot_w, y, "#f1f3f5", 1)
        if value is None:
            continue
        tip = (f"{r.policy} / {r.window_strategy}: mean {svg.fmt(value)}, balanced {svg.fmt(_num(r.mean_balanced_metric))}, "
               f"{_int(r.retrains)} retrains, {svg.fmt(_num(r.training_seconds), 1)} s training" + (" — recommended" if recommended else ""))
        canvas.add(f'<circle {svg.attrs(class_="policy-point", cx=f"{x_of(value):.1f}", cy=f"{y:.1f}", r=7 if recommended else 5.5, fill=color, data_policy=r.policy, data_value=repr(value))}>{svg.title(tip)}</circle>')
        canvas.text(left + plot_w + 12, y + 4, f"{svg.fmt(value)}  ·  {_int(r.retrains)} retrains  ·  {svg.fmt(_num(r.training_seconds), 1)} s training", size=10,
                    color=svg.TEXT_COLOR if recommended else svg.AXIS_COLOR, weight="700" if recommended else None)
    out = svg.legend([("box", svg.STATUS_COLORS["ok"], "recommended policy"), ("box", "#7b8794", "other policies and naive baselines")]) + f'<div class="chart">{canvas.render()}</div>'
    if results is not None and not results.empty:
        res = results[results["backtest_id"] == latest]
        if not res.empty:
            windows = sorted(pd.Timestamp(w) for w in res["window_start"].unique())
            sub = MonitorData(data.monitor, data.overview, None, None, data.alert_counts, windows, len(windows), data.drift.iloc[0:0], [],
                              data.performance.iloc[0:0], data.quality.iloc[0:0], data.incidents.iloc[0:0], data.runner_schema, {})
            palette = [svg.REALIZED_COLOR, "#2b8a3e", "#e8590c", "#5f3dc4", "#0b7285", "#c2255c", "#868e96", "#5c940d"]
            series = []
            for k, ((policy, strategy), rows) in enumerate(res.groupby(["policy", "window_strategy"], sort=False)):
                values = {pd.Timestamp(r.window_start): _num(r.metric) for r in rows.itertuples()}
                tips = {pd.Timestamp(r.window_start): f"{policy} / {strategy}, window {_when(r.window_start)}: {svg.fmt(_num(r.metric))}" + (" (retrained)" if bool(r.retrained) else "") for r in rows.itertuples()}
                series.append({"name": f"{policy} · {strategy}", "values": values, "tooltips": tips, "color": palette[k % len(palette)],
                               "hollow": {pd.Timestamp(r.window_start): bool(r.retrained) for r in rows.itertuples()}})
            out += svg.legend([("line", s_["color"], s_["name"]) for s_ in series] + [("ring", svg.AXIS_COLOR, "hollow point: retrained in that window")])
            out += _line_chart(sub, f"{metric or 'metric'} per replayed window", metric or "metric", series[:8])
    return out


# ---------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------

CSS = """
:root { --text:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bg:#f6f7f9; --ok:#2f9e44; --warn:#e67700; --critical:#d93025; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--text); font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; }
header.page { background:#111827; color:#f9fafb; padding:20px 32px; }
header.page h1 { margin:0; font-size:22px; letter-spacing:.2px; }
header.page p { margin:4px 0 0; color:#cbd5e1; font-size:13px; }
header.page code { background:#1f2937; color:#e5e7eb; }
main { max-width:1260px; margin:0 auto; padding:20px 24px 40px; }
.overview { width:100%; }
section.monitor { background:#fff; border:1px solid var(--line); border-radius:10px; padding:20px 28px 28px; margin:20px 0; }
section.monitor > h2 { margin:0 0 2px; font-size:22px; display:flex; gap:12px; align-items:center; }
p.subtitle { margin:0 0 16px; color:var(--muted); }
h3 { font-size:17px; margin:28px 0 6px; padding-top:14px; border-top:1px solid var(--line); }
h4 { font-size:14px; margin:18px 0 6px; }
p.intro, p.note, p.decision-detail { color:var(--muted); margin:4px 0 8px; max-width:1000px; }
p.empty, div.no-retrain { background:#f8fafc; border:1px dashed #cbd5e1; border-radius:8px; padding:12px 16px; color:#374151; }
div.no-retrain { border-left:4px solid #94a3b8; }
.cards { display:grid; grid-template-columns:repeat(4,1fr); gap:12px; margin:8px 0; }
.card { border:1px solid var(--line); border-radius:8px; padding:10px 14px; background:#fcfcfd; }
.card-label { font-size:12px; text-transform:uppercase; letter-spacing:.6px; color:var(--muted); }
.card-value { font-size:19px; font-weight:700; margin:2px 0; }
.card-note { font-size:12px; color:var(--muted); }
ul.glance { margin:4px 0 14px; padding-left:20px; font-size:14.5px; }
ul.glance li { margin:2px 0; }
.count-critical { color:var(--critical); } .count-warn { color:var(--warn); }
.badge { display:inline-block; padding:1px 8px; border-radius:999px; font-size:12px; font-weight:700; letter-spacing:.3px; vertical-align:middle; }
.card-value .badge { font-size:15px; padding:3px 12px; }
.badge-ok { background:#e6f4ea; color:#1e7b34; } .badge-warn { background:#fff3d6; color:#9a5b00; }
.badge-critical { background:#fde2e0; color:#b3261e; } .badge-muted { background:#eef0f3; color:#4b5563; }
.legend { display:flex; flex-wrap:wrap; gap:4px 16px; font-size:12px; color:#374151; margin:4px 0 2px; }
.legend-item { display:inline-flex; align-items:center; gap:6px; }
.chart { overflow-x:auto; margin:2px 0 6px; }
.hist-grid { display:grid; grid-template-columns:repeat(3,1fr); gap:8px 16px; }
.hist { border:1px solid var(--line); border-radius:8px; padding:6px; }
table { border-collapse:collapse; width:100%; font-size:12.5px; margin:4px 0 10px; }
th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:11.5px; text-transform:uppercase; letter-spacing:.4px; color:var(--muted); font-weight:600; background:#fafafa; }
code { font-size:12px; background:#f1f3f5; padding:0 4px; border-radius:4px; }
.error { color:var(--critical); }
nav.toc a { color:#93c5fd; margin-right:14px; }
footer { color:var(--muted); font-size:12px; max-width:1260px; margin:0 auto; padding:0 24px 32px; }
"""


def _monitor_html(data: MonitorData) -> str:
    m = data.monitor
    o = data.overview
    anchor = f"m-{m.name}"
    verdict, tone = decision(data.signal)
    n = int(o.get("n") or 0)
    subtitle = (
        f"{escape(m.task.replace('_', ' '))} · {escape(m.window)} windows · {n:,} predictions in {int(o.get('windows') or 0):,} windows, "
        f"{_when(o.get('first_window'))} – {_when(o.get('last_window'))} · {int(o.get('versions') or 0)} model version(s) · "
        f"reference {escape(_reference_text(data))}"
    )
    sections = [
        ("status", "Status", _status_section(data)),
        ("drift", "What drifted: PSI per column and window",
         '<p class="intro">Population stability index of every feature, of the model\'s output (score and prediction) and of the target, '
         "against the reference, on the whole log. Each cell is one window; hover a cell for its value, thresholds and row counts.</p>"
         + drift_heatmap(data)),
        ("histograms", "How it drifted: reference against the latest window", histograms_section(data)),
        ("performance", "Performance over time", performance_section(data)),
        ("incidents", "Data incidents", incidents_section(data)),
        ("retraining", "Retraining", retraining_section(data)),
        ("backtest", "Backtest: which retraining policy", backtest_section(data)),
    ]
    body = []
    for key, heading, content in sections:
        body.append(f'<div class="block" id="{escape(anchor)}-{key}" data-section="{key}">' + (f"<h3>{escape(heading)}</h3>" if key != "status" else "") + content + "</div>")
    return (
        f'<section class="monitor" id="{escape(anchor)}" data-monitor="{escape(m.name)}">'
        f"<h2>{escape(m.name)} {_badge(verdict, tone)}</h2><p class=\"subtitle\">{subtitle}</p>" + "".join(body) + "</section>"
    )


def build_report(warehouse: Warehouse, manifest: Mapping[str, Any], monitors: Sequence[Monitor], monitor: str | None = None,
                 generated_at: _dt.datetime | None = None, max_windows: int = MAX_WINDOWS) -> str:
    """The report as one HTML document (every monitor, or only `monitor`)."""
    chosen = [get_monitor(list(monitors), monitor)] if monitor else list(monitors)
    generated_at = generated_at or _dt.datetime.now(_dt.timezone.utc)
    datas = []
    for m in chosen:
        with step(f"read {m.name}", log):
            datas.append(load_monitor_data(warehouse, manifest, m, max_windows))
    overview_rows = []
    for d in datas:
        verdict, tone = decision(d.signal)
        version, _ = current_champion(d)
        counts = {r.severity: 0 for r in d.alert_counts.itertuples()}
        for r in d.alert_counts.itertuples():
            counts[r.severity] += int(r.n)
        overview_rows.append([
            f'<a href="#m-{escape(d.name)}">{escape(d.name)}</a>', _badge(verdict, tone), escape(", ".join(_split((d.signal or {}).get("reasons"))) or "–"),
            escape(", ".join(_split((d.signal or {}).get("blockers"))) or "–"), escape(version or "none"),
            f'{counts.get("critical", 0):,} critical, {counts.get("warn", 0):,} warn', _when((d.signal or {}).get("as_of_window")),
        ])
    if datas:
        overview = "<h3 style=\"border:0;margin-top:4px\">Monitors</h3>" + _table(
            ["monitor", "decision", "reasons", "blockers", "champion", "open alerts", "as of"], overview_rows, "overview")
        body = overview + "".join(_monitor_html(d) for d in datas)
    else:
        body = '<p class="empty">No monitors declared: add <code>config.meta.driftline</code> to a prediction-log source or model and run <code>dbt build</code>.</p>'
    stamp = generated_at.strftime("%Y-%m-%d %H:%M UTC")
    schema = driftline_schema(manifest)[1] if manifest.get("nodes", {}).get("model.driftline.driftline_retrain_signals") else "?"
    toc = " ".join(f'<a href="#m-{escape(d.name)}">{escape(d.name)}</a>' for d in datas)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>driftline report — {escape(', '.join(d.name for d in datas) or 'no monitors')}</title>"
        f"<style>{CSS}</style></head><body>"
        f'<header class="page"><h1>driftline report</h1><p>{len(datas)} monitor(s) · tables in schema <code>{escape(schema)}</code> · generated {stamp} by driftline {escape(__version__)}</p>'
        f'<nav class="toc">{toc}</nav></header>'
        f"<main>{body}</main>"
        "<footer>Statuses: <b>ok</b> below the warn threshold, <b>warn</b> and <b>critical</b> at or above their thresholds "
        "(per statistic, monitor and feature; see the README's statistic definitions). PSI = Σ (c − r)·ln(c / r) over reference-decile "
        "bins (categories: top-K, other, unseen, NULL), ε = 1e-4 for empty bins. Self-contained file: no scripts, nothing loaded from the network.</footer>"
        "</body></html>\n"
    )


def report_project(project: Any, out: str | Path, monitor: str | None = None) -> dict[str, Any]:
    """`driftline report` on a dbt project (a :class:`~driftline.project.DbtProject`): read, render, write.

    Progress goes to the ``driftline`` logger; the returned dict is the command's JSON result.
    """
    from .config import load_monitors
    from .summary import monitor_status

    with step("read manifest", log) as s:
        manifest = project.manifest() if (project.project_dir / "target" / "manifest.json").exists() else None
        if manifest is None:
            raise ConfigError(f"driftline: no dbt manifest in {project.project_dir / 'target'}; run `dbt build` first")
        monitors = load_monitors(project.project_dir)
        s.detail = f"{len(monitors)} monitor(s)"
    warehouse = Warehouse.from_profile(project.profile(), project.project_dir)
    try:
        with step("render report", log) as s:
            html = build_report(warehouse, manifest, monitors, monitor=monitor)
            s.detail = f"{len(html) / 1024:,.0f} KiB"
        chosen = [get_monitor(monitors, monitor)] if monitor else monitors
        statuses = [monitor_status(warehouse, manifest, m.name) for m in chosen]
    finally:
        warehouse.close()
    with step("write report", log):
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    return {"out": str(path.resolve()), "bytes": len(html.encode("utf-8")), "monitors": statuses}


def write_report(path: str | Path, warehouse: Warehouse, manifest: Mapping[str, Any], monitors: Sequence[Monitor],
                 monitor: str | None = None, **kwargs: Any) -> Path:
    """Build the report and write it to `path` (parent directories created). Returns the path."""
    html = build_report(warehouse, manifest, monitors, monitor=monitor, **kwargs)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


__all__ = ["build_report", "write_report", "report_project", "load_monitor_data", "psi_from_shares", "drifted_columns", "decision", "RUNNER_TABLES", "ConfigError"]
