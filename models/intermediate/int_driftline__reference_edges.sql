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
  bounds on the event-time column), numeric columns only. Incremental by monitor: a
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
features_{{ loop.index }} as (
    {%- for column in numeric %}
    {% if not loop.first %}union all {% endif -%}
    select {{ column['index'] }} as feature_index, {{ driftline.literal(column['name']) }} as feature_name
    {%- endfor %}
),

wide_{{ loop.index }} as (
    select
        {%- for column in numeric %}
        {%- set raw = driftline.feature_value(resolved, column['column'], 'numeric') %}
        case when {{ driftline.is_finite(raw) }} then {{ raw }} end as n{{ column['index'] }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ monitor.relation }} as log
    where {{ driftline.reference_rows_predicate(references, monitor, event_time) }}
),

long_{{ loop.index }} as (
    {%- set items = [] %}
    {%- for column in numeric %}{% do items.append({'index': column['index'], 'columns': ['n' ~ column['index']]}) %}{% endfor %}
    {{ driftline.unpivot('wide_' ~ loop.index, [], items, ['value']) }}
),
{%- endif %}
{% endfor %}

reference_values as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as reference_id,
        cast(null as {{ dbt.type_string() }}) as feature_name,
        cast(null as {{ driftline.type_double() }}) as value
    where 1 = 0
    {%- for monitor in stale %}
    {%- if driftline.profiled_columns(monitor.decl) | selectattr('kind', 'equalto', 'numeric') | list %}
    union all
    select
        {{ driftline.literal(monitor.name) }} as monitor_name,
        {{ driftline.literal(references[monitor.name]['reference_id']) }} as reference_id,
        features.feature_name,
        unpivoted.value
    from long_{{ loop.index }} as unpivoted
    inner join features_{{ loop.index }} as features on features.feature_index = unpivoted.feature_index
    where unpivoted.value is not null
    {%- endif %}
    {%- endfor %}
),

percentiles as (
    {{ driftline.reference_percentiles('reference_values', driftline.edge_percentiles()) }}
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
