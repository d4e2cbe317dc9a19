"""A readable account of what driftline found, for the demo and `driftline status`."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Mapping

from .config import Monitor
from .tables import relation_name
from .warehouse import Warehouse


def prediction_log_overview(warehouse: Warehouse, manifest: Mapping[str, Any], monitor_name: str) -> Any:
    """Predictions, windows, first and last window and model versions of a monitor's log (one row)."""
    predictions = relation_name(manifest, "stg_driftline__predictions")
    return warehouse.query(
        f"""
        select count(*) as n, count(distinct window_start) as windows,
               min(window_start) as first_window, max(window_start) as last_window,
               count(distinct model_version) as versions
        from {predictions}
        where monitor_name = ? and segment_name = '__all__'
        """,
        [monitor_name],
    ).iloc[0]


def current_reference(warehouse: Warehouse, manifest: Mapping[str, Any], monitor_name: str) -> dict[str, Any] | None:
    """The monitor's current reference (`int_driftline__references`), or None before any window."""
    references = relation_name(manifest, "int_driftline__references")
    ref = warehouse.query(f"select * from {references} where monitor_name = ?", [monitor_name])
    return None if ref.empty else ref.iloc[0].to_dict()


def open_alert_counts(warehouse: Warehouse, manifest: Mapping[str, Any], monitor_name: str) -> Any:
    """Open alerts by kind and severity (all slices): columns kind, severity, n."""
    return warehouse.query(
        f"""
        select kind, severity, count(*) as n
        from {relation_name(manifest, 'driftline_alerts')}
        where monitor_name = ? and status = 'open'
        group by kind, severity order by kind, severity
        """,
        [monitor_name],
    )


def retrain_signal(warehouse: Warehouse, manifest: Mapping[str, Any], monitor_name: str) -> dict[str, Any] | None:
    """The monitor's row of `driftline_retrain_signals`, or None."""
    signal = warehouse.query(
        f"select * from {relation_name(manifest, 'driftline_retrain_signals')} where monitor_name = ?", [monitor_name]
    )
    return None if signal.empty else signal.iloc[0].to_dict()


def performance_rows(warehouse: Warehouse, manifest: Mapping[str, Any], monitor_name: str) -> Any:
    """`driftline_performance` of the whole log, each version on its own predictions, by window."""
    return warehouse.query(
        f"""
        select model_version, window_start, metric, value, estimated_value, n_predictions, n_labelled,
               label_coverage, is_mature
        from {relation_name(manifest, 'driftline_performance')}
        where monitor_name = ? and segment_name = '__all__' and id_set = 'own'
        order by window_start, model_version, metric
        """,
        [monitor_name],
    )


def monitor_status(warehouse: Warehouse, manifest: Mapping[str, Any], monitor_name: str) -> dict[str, Any]:
    """A monitor's decision and open alerts as plain values: the `--json` result of demo and report."""
    signal = retrain_signal(warehouse, manifest, monitor_name) or {}
    alerts = open_alert_counts(warehouse, manifest, monitor_name)
    by_severity: dict[str, int] = {"critical": 0, "warn": 0}
    for row in alerts.itertuples():
        by_severity[str(row.severity)] = by_severity.get(str(row.severity), 0) + int(row.n)

    def plain(value: Any) -> Any:
        if value is None or (isinstance(value, float) and value != value):
            return None
        if hasattr(value, "isoformat"):
            return None if str(value) == "NaT" else value.isoformat()
        return value.item() if hasattr(value, "item") else value

    def listed(value: Any) -> list[str]:
        value = plain(value)
        return [v for v in str(value).split(",") if v] if value else []

    return {
        "monitor": monitor_name,
        "should_retrain": bool(signal.get("should_retrain", False)),
        "is_blocked": bool(signal.get("is_blocked", False)),
        "reasons": listed(signal.get("reasons")),
        "blockers": listed(signal.get("blockers")),
        "as_of_window": plain(signal.get("as_of_window")),
        "champion_version": plain(signal.get("champion_version")),
        "open_alerts": by_severity,
    }


def window_step(window: str) -> Any:
    """The length of one window, or None for calendar months."""
    import pandas as pd

    return {"hour": pd.Timedelta(hours=1), "day": pd.Timedelta(days=1), "week": pd.Timedelta(weeks=1)}.get(window)


def primary_metric(monitor: Monitor) -> str:
    """The metric performance alerts and promotions judge: `retraining.promotion_metric`, else the task's default."""
    retraining = monitor.declaration.get("retraining") or {}
    return retraining.get("promotion_metric") or PRIMARY_METRICS[monitor.task][0]


def _monitor_overview(warehouse: Warehouse, manifest: Mapping[str, Any], monitor: Monitor) -> list[str]:
    predictions = relation_name(manifest, "stg_driftline__predictions")
    labels = relation_name(manifest, "stg_driftline__labels")
    log = prediction_log_overview(warehouse, manifest, monitor.name)
    kinds = [f.kind for f in monitor.features]
    lines = [
        f"monitor {monitor.name}  ({monitor.task}, {monitor.window} windows)",
        f"  prediction log   {int(log.n):,} predictions in {int(log.windows)} windows, "
        f"{_day(log.first_window)} .. {_day(log.last_window)}, {int(log.versions)} model version(s)",
        f"  features         {kinds.count('numeric')} numeric, {kinds.count('categorical')} categorical",
    ]
    if monitor["segments"]:
        seg = warehouse.query(
            f"""
            select segment_name, count(distinct segment_value) as n_values
            from {predictions} where monitor_name = ? and segment_name <> '__all__'
            group by segment_name order by segment_name
            """,
            [monitor.name],
        )
        lines.append("  segments         " + ", ".join(f"{r.segment_name} ({r.n_values} values)" for r in seg.itertuples()))
    if monitor.label_relation is not None:
        lab = warehouse.query(
            f"""
            with labelled as (
                select prediction_id, count(*) as deliveries from {labels}
                where monitor_name = ? group by prediction_id
            ),
            scored as (
                select distinct prediction_id from {predictions}
                where monitor_name = ? and segment_name = '__all__'
            )
            select
                (select sum(deliveries) from labelled) as label_rows,
                (select count(*) from labelled l join scored s using (prediction_id)) as matched,
                (select count(*) from labelled where deliveries > 1) as revised,
                (select count(*) from labelled l where not exists
                    (select 1 from scored s where s.prediction_id = l.prediction_id)) as orphans
            """,
            [monitor.name, monitor.name],
        ).iloc[0]
        coverage = lab.matched / log.n if log.n else 0.0
        lines.append(
            f"  labels           {int(lab.label_rows):,} label rows; {int(lab.matched):,} predictions labelled "
            f"({coverage:.0%}), {int(lab.revised):,} revised, {int(lab.orphans):,} match no prediction"
        )
    return lines


def _runs(windows: list[Any], step: Any) -> list[tuple[Any, Any, int]]:
    """Consecutive windows as (first, last, count) runs."""
    runs: list[tuple[Any, Any, int]] = []
    for window in sorted(windows):
        if runs and window - runs[-1][1] == step:
            first, _, count = runs[-1]
            runs[-1] = (first, window, count + 1)
        else:
            runs.append((window, window, 1))
    return runs


def describe_runs(windows: list[Any], step: Any, limit: int = 3) -> str:
    runs = _runs(windows, step)
    text = ", ".join(
        _day(first) if count == 1 else f"{_day(first)}..{_day(last)} ({count})" for first, last, count in runs[:limit]
    )
    return text + (f" +{len(runs) - limit} more" if len(runs) > limit else "")


def _drift_section(warehouse: Warehouse, manifest: Mapping[str, Any], monitor: Monitor) -> list[str]:
    import pandas as pd

    r = current_reference(warehouse, manifest, monitor.name)
    if r is None:
        return ["  reference        none yet (no windows)"]
    lines = [
        f"  reference        {r['reference_id']} ({int(r['n_reference_windows'])} windows, "
        f"{_day(r['reference_start'])} .. {_day(r['reference_end'] - pd.Timedelta(microseconds=1))})"
    ]
    step = window_step(monitor.window)
    drift = warehouse.query(
        f"""
        select feature_name, window_start, status, value
        from {relation_name(manifest, 'driftline_feature_drift')}
        where monitor_name = ? and segment_name = '__all__' and statistic = 'psi' and status in ('warn', 'critical')
        order by feature_name, window_start
        """,
        [monitor.name],
    )
    lines.append("  feature drift    PSI of the whole log; windows at critical (>= 0.25) level")
    critical = drift[drift.status == "critical"]
    if critical.empty:
        lines.append("                   none")
    for feature, rows in sorted(critical.groupby("feature_name"), key=lambda kv: -kv[1].value.max()):
        windows = list(rows.window_start)
        runs = describe_runs(windows, step) if step is not None else f"{len(windows)} windows"
        lines.append(f"    {feature:<22} max {rows.value.max():6.2f}  {runs}")
    quality = warehouse.query(
        f"""
        select feature_name, check_name, window_start, detail
        from {relation_name(manifest, 'driftline_data_quality')}
        where monitor_name = ? and segment_name = '__all__' and status = 'critical'
        order by feature_name, check_name, window_start
        """,
        [monitor.name],
    )
    lines.append("  data quality     checks at critical level")
    if quality.empty:
        lines.append("                   none")
    for (feature, check), rows in quality.groupby(["feature_name", "check_name"]):
        windows = list(rows.window_start)
        runs = describe_runs(windows, step) if step is not None else f"{len(windows)} windows"
        lines.append(f"    {feature:<22} {check:<19} {runs}")
    return lines


PRIMARY_METRICS = {
    "binary_classification": ["roc_auc", "accuracy"],
    "multiclass_classification": ["accuracy", "macro_f1"],
    "regression": ["mae", "r2"],
}


def _performance_section(warehouse: Warehouse, manifest: Mapping[str, Any], monitor: Monitor, periods: int = 6) -> list[str]:
    """Realized (and, for binary tasks, estimated) performance over time, in a few equal periods."""
    if monitor.label_relation is None:
        return []
    metrics = PRIMARY_METRICS[monitor.task]
    rows = performance_rows(warehouse, manifest, monitor.name)
    if rows.empty:
        return []
    windows = sorted(rows.window_start.unique())
    size = max(1, -(-len(windows) // periods))
    estimated = monitor.task == "binary_classification"
    header = f"    {'windows':<24}{'rows':>7}{'labelled':>10}{'mature':>8}" + "".join(f"{m:>10}" for m in metrics)
    header += f"{'est. acc':>10}" if estimated else ""
    lines = [f"  performance      {', '.join(metrics)} (mean of daily values; realized on arrived labels)", header]
    for start in range(0, len(windows), size):
        chunk = windows[start : start + size]
        part = rows[rows.window_start.isin(chunk)]
        first = part[part.metric == metrics[0]]
        labelled = first.n_labelled.sum() / max(first.n_predictions.sum(), 1)
        mature = f"{int(first.is_mature.sum())}/{len(first)}"
        line = f"    {_day(chunk[0])} .. {_day(chunk[-1])}  {int(first.n_predictions.sum()):>7,}{labelled:>10.0%}{mature:>8}"
        for metric in metrics:
            values = part[(part.metric == metric) & part.value.notna()].value
            line += f"{values.mean():>10.3f}" if len(values) else f"{'-':>10}"
        if estimated:
            line += f"{part[part.metric == 'accuracy'].estimated_value.mean():>10.3f}"
        lines.append(line)
    return lines


def _decision_section(warehouse: Warehouse, manifest: Mapping[str, Any], monitor: Monitor) -> list[str]:
    alerts = open_alert_counts(warehouse, manifest, monitor.name)
    counts = ", ".join(f"{r.kind} {r.n} {r.severity}" for r in alerts.itertuples()) or "none"
    lines = [f"  open alerts      {counts} (all slices)"]
    signal = retrain_signal(warehouse, manifest, monitor.name)
    if signal is None:
        return lines
    s = SimpleNamespace(**signal)
    if s.should_retrain:
        verdict = f"RETRAIN  because {s.reasons}"
    elif s.is_blocked:
        verdict = f"BLOCKED  wanted for {s.reasons}, blocked by {s.blockers}"
    else:
        verdict = "no retrain needed" + (f" (would be blocked by {s.blockers})" if s.blockers else "")
    lines.append(f"  retrain signal   {verdict}")
    lines.append(
        f"                   as of {_day(s.as_of_window)}; candidate training window "
        f"{_day(s.candidate_window_start)} .. {_day(s.candidate_window_end)}, "
        f"{int(s.n_new_labelled_rows):,} labelled rows"
    )
    return lines


def _day(value: Any) -> str:
    return str(value)[:10] if value is not None else "-"


def summarize(warehouse: Warehouse, manifest: Mapping[str, Any], monitors: list[Monitor]) -> str:
    if not monitors:
        return "driftline: no monitors declared (add config.meta.driftline to a prediction-log model or source)"
    sections = [
        "\n".join(
            _monitor_overview(warehouse, manifest, m)
            + _drift_section(warehouse, manifest, m)
            + _performance_section(warehouse, manifest, m)
            + _decision_section(warehouse, manifest, m)
        )
        for m in monitors
    ]
    return "\n\n".join(sections)
