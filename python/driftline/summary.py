"""A readable account of what driftline found, for the demo and `driftline status`."""

from __future__ import annotations

from typing import Any, Mapping

from .config import Monitor
from .tables import relation_name
from .warehouse import Warehouse


def _monitor_overview(warehouse: Warehouse, manifest: Mapping[str, Any], monitor: Monitor) -> list[str]:
    predictions = relation_name(manifest, "stg_driftline__predictions")
    labels = relation_name(manifest, "stg_driftline__labels")
    log = warehouse.query(
        f"""
        select count(*) as n, count(distinct window_start) as windows,
               min(window_start) as first_window, max(window_start) as last_window,
               count(distinct model_version) as versions
        from {predictions}
        where monitor_name = ? and segment_name = '__all__'
        """,
        [monitor.name],
    ).iloc[0]
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


def _day(value: Any) -> str:
    return str(value)[:10] if value is not None else "-"


def summarize(warehouse: Warehouse, manifest: Mapping[str, Any], monitors: list[Monitor]) -> str:
    if not monitors:
        return "driftline: no monitors declared (add config.meta.driftline to a prediction-log model or source)"
    sections = ["\n".join(_monitor_overview(warehouse, manifest, m)) for m in monitors]
    return "\n\n".join(sections)
