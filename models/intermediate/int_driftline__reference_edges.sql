{{ config(
    materialized='incremental',
    incremental_strategy=driftline.incremental_strategy(),
    unique_key='monitor_name',
    partition_by=driftline.incremental_partition_by(['monitor_name']),
) }}
{#-
  Bin edges of every numeric profiled column, from the finite values of the reference
  (whole log, not per segment, so every slice is binned alike): percentile 0 (minimum),
  100 (maximum) and the percentiles between that driftline uses (driftline.edge_percentiles:
  the deciles and the refined tails). Deciles (10, 20, ..., 90) bound the PSI/JS bins; the
  distinct fine-edge percentiles, subdivided, are the fine bins KS and Wasserstein-1 are
  computed from (macros/statistics/fine_bins.sql).

  Read straight from the raw log, one scan of the reference period per monitor (literal
  bounds on the event-time column), numeric columns only. On DuckDB, a reference too large for
  exact percentiles in memory takes its inner percentiles from a hash sample of its rows
  (driftline.percentile_sample_every); the minimum and maximum stay exact. Incremental by monitor: a
  monitor is recomputed only when its reference_id differs from the stored one.
-#}
{%- set monitors = driftline.get_monitors() -%}
{%- set references = driftline.current_references() -%}
{%- set stale = driftline.stale_reference_monitors(monitors, references) -%}

-- depends_on: {{ ref('int_driftline__references') }}

with

{% for monitor in stale -%}
{%- set resolved = driftline.resolve_columns(monitor) -%}
{%- set event_time = driftline.event_time(resolved, monitor.decl) -%}
{%- set numeric = driftline.profiled_columns(monitor.decl) | selectattr('kind', 'equalto', 'numeric') | list -%}
{%- if numeric %}
{%- set predicate = driftline.reference_rows_predicate(references, monitor, event_time) %}
{%- set sample_every = driftline.percentile_sample_every(monitor.relation, predicate, numeric | length) %}
wide_{{ loop.index }} as (
    select
        {%- if sample_every > 1 %}
        log.{{ driftline.col(resolved, 'log', monitor.decl['id_column']) }} as row_key,
        {%- endif %}
        {%- for column in numeric %}
        {%- set raw = driftline.feature_value(resolved, column['column'], 'numeric') %}
        case when {{ driftline.is_finite(raw) }} then {{ raw }} end as n{{ column['index'] }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ monitor.relation }} as log
    where {{ predicate }}
),

edges_{{ loop.index }} as (
    {%- set columns = [] %}
    {%- for column in numeric %}{% do columns.append({'name': column['name'], 'column': 'n' ~ column['index']}) %}{% endfor %}
    {{ driftline.column_percentiles('wide_' ~ loop.index, columns, driftline.edge_percentiles(), sample_every) }}
),
{%- endif %}
{% endfor %}

percentiles as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as reference_id,
        cast(null as {{ dbt.type_string() }}) as feature_name,
        cast(null as {{ dbt.type_int() }}) as percentile,
        cast(null as {{ driftline.type_double() }}) as edge
    where 1 = 0
    {%- for monitor in stale %}
    {%- if driftline.profiled_columns(monitor.decl) | selectattr('kind', 'equalto', 'numeric') | list %}
    union all
    select
        {{ driftline.literal(monitor.name) }},
        {{ driftline.literal(references[monitor.name]['reference_id']) }},
        feature_name,
        percentile,
        edge
    from edges_{{ loop.index }}
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        monitor_name,
        reference_id,
        feature_name,
        cast(percentile as {{ dbt.type_int() }}) as percentile,
        cast(edge as {{ driftline.type_double() }}) as edge
    from percentiles
)

select * from final
