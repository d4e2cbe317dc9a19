{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['monitor_name', 'window_start'],
) }}
{#-
  Mergeable distribution profiles: per monitor, reference, window, segment slice and
  profiled column, the count (and finite-value moments) of each fine bin (numeric) or
  raw category (categorical). Any reference period or backtest step is a sum of these.

  Incremental: per monitor, only windows from the last stored window minus
  var('driftline_lookback_windows', 2) are rescanned (late rows), with literal bounds on
  event time. A monitor whose reference changed since the last run is rebuilt, since
  numeric fine bins are defined by the reference.
-#}
{%- set monitors = driftline.get_monitors() -%}
{%- set references = driftline.current_references() -%}
{%- set edges = driftline.reference_edges() -%}
{%- set subdivisions = var('driftline_fine_subdivisions', 10) -%}
{%- set since = driftline.incremental_since(references) -%}

-- depends_on: {{ ref('int_driftline__references') }}
-- depends_on: {{ ref('int_driftline__reference_edges') }}

with

feature_values as (
    select * from {{ ref('stg_driftline__feature_values') }}
),

{% for monitor in monitors if monitor.name in references -%}
{%- set unit = monitor.decl['window'] -%}
binned_{{ loop.index }} as (
    select
        monitor_name,
        window_start,
        segment_name,
        segment_value,
        feature_index,
        feature_name,
        feature_kind,
        feature_role,
        case
            when feature_kind = 'categorical' then (case when value_categorical is null then -1 end)
            {%- for column in driftline.profiled_columns(monitor.decl) if column['kind'] == 'numeric' %}
            {%- set feature_edges = edges.get(monitor.name ~ '.' ~ column['name'], []) %}
            when feature_index = {{ column['index'] }} then
            {%- if feature_edges %} {{ driftline.fine_bin('value_numeric', feature_edges, subdivisions) }}
            {%- else %} (case when value_numeric is null then -1 else 0 end)
            {%- endif %}
            {%- endfor %}
        end as bin_index,
        value_categorical as category,
        case when {{ driftline.is_finite('value_numeric') }} then value_numeric end as finite_value
    from feature_values
    where monitor_name = {{ driftline.literal(monitor.name) }}
        and window_start is not null
        and {{ driftline.since_predicate(since, monitor, 'event_at') }}
),

profiled_{{ loop.index }} as (
    select
        monitor_name,
        {{ driftline.literal(references[monitor.name]['reference_id']) }} as reference_id,
        window_start,
        {{ dbt.dateadd(unit, 1, 'window_start') }} as window_end,
        segment_name,
        segment_value,
        feature_index,
        feature_name,
        feature_kind,
        feature_role,
        bin_index,
        category,
        count(*) as n_rows,
        count(finite_value) as n_finite,
        sum(finite_value) as sum_value,
        sum(finite_value * finite_value) as sum_squares,
        min(finite_value) as min_value,
        max(finite_value) as max_value
    from binned_{{ loop.index }}
    group by
        monitor_name, window_start, segment_name, segment_value,
        feature_index, feature_name, feature_kind, feature_role, bin_index, category
),

{% endfor -%}

typed_empty as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as reference_id,
        cast(null as {{ dbt.type_timestamp() }}) as window_start,
        cast(null as {{ dbt.type_timestamp() }}) as window_end,
        cast(null as {{ dbt.type_string() }}) as segment_name,
        cast(null as {{ dbt.type_string() }}) as segment_value,
        cast(null as {{ dbt.type_int() }}) as feature_index,
        cast(null as {{ dbt.type_string() }}) as feature_name,
        cast(null as {{ dbt.type_string() }}) as feature_kind,
        cast(null as {{ dbt.type_string() }}) as feature_role,
        cast(null as {{ dbt.type_int() }}) as bin_index,
        cast(null as {{ dbt.type_string() }}) as category,
        cast(null as {{ dbt.type_bigint() }}) as n_rows,
        cast(null as {{ dbt.type_bigint() }}) as n_finite,
        cast(null as {{ driftline.type_double() }}) as sum_value,
        cast(null as {{ driftline.type_double() }}) as sum_squares,
        cast(null as {{ driftline.type_double() }}) as min_value,
        cast(null as {{ driftline.type_double() }}) as max_value
    where 1 = 0
),

final as (
    select * from typed_empty
    {%- for monitor in monitors if monitor.name in references %}
    union all
    select * from profiled_{{ loop.index }}
    {%- endfor %}
)

select * from final
