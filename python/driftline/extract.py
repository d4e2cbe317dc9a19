"""Extraction SQL, built with sqlglot and rendered in the target's dialect.

Templates are parsed once in DuckDB's dialect with `:placeholders`; identifiers from the
declaration are substituted as quoted identifier nodes and time bounds as typed literals, so
nothing from configuration is pasted into SQL text, and literal bounds on the event-time column
let warehouses prune partitions. Filters, the latest-label-wins join, duplicate-id removal and
stratified sampling all run in the warehouse; only the rows to train on travel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd
import sqlglot
from sqlglot import exp

from .config import Monitor, Relation

# Window units as SQL date_trunc parts (dbt's window_start macro truncates the same way).
TRUNC_UNIT = {"hour": "hour", "day": "day", "week": "week", "month": "month"}

_LABELLED = """
with log as (
    select
        l.:id_column as prediction_id,
        l.:time_column as event_at,
        row_number() over (partition by l.:id_column order by l.:time_column desc) as id_rank
    from :log_relation as l
    where l.:time_column >= :start and l.:time_column < :end
),
labels as (
    select
        o.:label_id_column as prediction_id,
        :label_value as label,
        o.:labelled_at_column as labelled_at,
        row_number() over (partition by o.:label_id_column order by o.:labelled_at_column desc) as label_rank
    from :label_relation as o
    where o.:labelled_at_column <= :known_at
),
joined as (
    select
        log.*,
        labels.label,
        labels.labelled_at,
        date_trunc(:unit, log.event_at) as window_start
    from log
    inner join labels on cast(labels.prediction_id as varchar) = cast(log.prediction_id as varchar)
    where log.id_rank = 1 and labels.label_rank = 1 and labels.label is not null
)
select * from joined
"""

_SAMPLED = """
with ranked as (
    select
        r.*,
        count(*) over (partition by r.window_start, r.label) as stratum_rows,
        count(*) over () as total_rows,
        row_number() over (
            partition by r.window_start, r.label
            order by md5(cast(r.prediction_id as varchar))
        ) as stratum_rank
    from :labelled as r
)
select * from ranked
where stratum_rank <= ceil(cast(stratum_rows as double) * :budget / total_rows)
"""

_COVERAGE = """
with log as (
    select
        l.:id_column as prediction_id,
        date_trunc(:unit, l.:time_column) as window_start,
        row_number() over (partition by l.:id_column order by l.:time_column desc) as id_rank
    from :log_relation as l
    where l.:time_column < :end
),
labels as (
    select distinct o.:label_id_column as prediction_id
    from :label_relation as o
    where o.:labelled_at_column <= :known_at and o.:label_column is not null
)
select
    log.window_start,
    count(*) as n_predictions,
    count(labels.prediction_id) as n_labelled
from log
left join labels on cast(labels.prediction_id as varchar) = cast(log.prediction_id as varchar)
where log.id_rank = 1
group by log.window_start
order by log.window_start
"""


def ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def table(relation: Relation) -> exp.Table:
    return exp.table_(relation.identifier, db=relation.schema, catalog=relation.database, quoted=True)


def timestamp(value: pd.Timestamp) -> exp.Expression:
    return exp.cast(exp.Literal.string(pd.Timestamp(value).strftime("%Y-%m-%d %H:%M:%S")), "timestamp")


@dataclass(frozen=True)
class Query:
    """A rendered statement and the columns its caller may rely on."""

    sql: str
    dialect: str


def render(template: str, dialect: str, extra_columns: Sequence[exp.Expression] = (), **values) -> exp.Expression:
    tree = sqlglot.parse_one(template, read="duckdb")
    tree = exp.replace_placeholders(tree, **values)
    if extra_columns:
        log_cte = next(cte for cte in tree.find_all(exp.CTE) if cte.alias == "log")
        log_cte.this.select(*extra_columns, copy=False)
    return tree


def _monitor_nodes(monitor: Monitor) -> dict[str, exp.Expression]:
    """The declaration's relations and columns as quoted nodes, plus its window unit."""
    d, labels = monitor.declaration, monitor.declaration["labels"]
    return dict(
        id_column=ident(d["id_column"]),
        time_column=ident(d["event_time_column"]),
        log_relation=table(monitor.relation),
        label_id_column=ident(labels["id_column"]),
        label_column=ident(labels["label_column"]),
        labelled_at_column=ident(labels["labelled_at_column"]),
        label_relation=table(monitor.label_relation),
        unit=exp.Literal.string(TRUNC_UNIT[d["window"]]),
    )


def labelled_rows_sql(
    monitor: Monitor,
    start: pd.Timestamp,
    end: pd.Timestamp,
    known_at: pd.Timestamp,
    dialect: str,
    *,
    columns: Sequence[str],
    label_type: str = "varchar",
    exclude_windows: Sequence[pd.Timestamp] = (),
    row_budget: int | None = None,
) -> Query:
    """Predictions in [start, end) joined to their latest label known at `known_at`.

    One row per prediction id (the latest logged row wins), with `columns` from the log, the
    label, when it arrived and the window. With `row_budget`, a deterministic sample stratified
    by window and label (hash of the id) keeps about that many rows.
    """
    if monitor.label_relation is None:
        raise ValueError(f"monitor '{monitor.name}' declares no labels: there is nothing to train on")
    labels = monitor.declaration["labels"]
    tree = render(
        _LABELLED,
        dialect,
        extra_columns=[exp.column(ident(c), table="l").as_(ident(c)) for c in columns],
        **_monitor_nodes(monitor),
        label_value=exp.cast(exp.column(ident(labels["label_column"]), table="o"), label_type),
        start=timestamp(start),
        end=timestamp(end),
        known_at=timestamp(known_at),
    )
    if exclude_windows:
        tree = tree.where(exp.not_(exp.column("window_start").isin(*[timestamp(w) for w in exclude_windows])))
    if row_budget is not None:
        tree = exp.replace_placeholders(
            sqlglot.parse_one(_SAMPLED, read="duckdb"), labelled=tree.subquery(), budget=exp.Literal.number(int(row_budget))
        )
    return Query(tree.sql(dialect=dialect), dialect)


def coverage_sql(monitor: Monitor, end: pd.Timestamp, known_at: pd.Timestamp, dialect: str) -> Query:
    """Per window before `end`: distinct predictions and how many had a label by `known_at`."""
    tree = render(
        _COVERAGE,
        dialect,
        **_monitor_nodes(monitor),
        end=timestamp(end),
        known_at=timestamp(known_at),
    )
    return Query(tree.sql(dialect=dialect), dialect)
