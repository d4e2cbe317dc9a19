{{ config(
    materialized='incremental',
    incremental_strategy=driftline.incremental_strategy(),
    unique_key='monitor_name, window_start',
    partition_by=driftline.incremental_partition_by(['monitor_name', 'window_start']),
) }}
{#-
  Mergeable distribution profiles: per monitor, reference, window, segment slice and
  profiled column, the count (and finite-value moments) of each fine bin (numeric) or
  raw category (categorical). Any reference period or backtest step is a sum of these.

  The log is read once per monitor: each column is binned once in a wide select, then
  unpivoted (driftline.unpivot: list unnest on DuckDB, lateral VALUES on Postgres) and
  aggregated on integer keys.

  Incremental: per monitor, only windows from the last stored window minus
  var('driftline_lookback_windows', 1) are rescanned (late rows), with literal bounds on
  event time. A monitor whose reference changed since the last run is rebuilt, since
  numeric fine bins are defined by the reference.
-#}
{%- set monitors = driftline.get_monitors() -%}
{%- set references = driftline.current_references() -%}
{%- set edges = driftline.reference_edges() -%}
{%- set subdivisions = driftline.fine_subdivisions() -%}
{%- set since = driftline.incremental_since(references) -%}

-- depends_on: {{ ref('int_driftline__references') }}
-- depends_on: {{ ref('int_driftline__reference_edges') }}

with

{% for monitor in monitors if monitor.name in references -%}
{%- set resolved = driftline.resolve_columns(monitor) -%}
{%- set decl = monitor.decl -%}
{%- set unit = decl['window'] -%}
{%- set event_time = 'cast(log.' ~ driftline.col(resolved, 'log', decl['event_time_column']) ~ ' as ' ~ dbt.type_timestamp() ~ ')' -%}
{%- set profiled = driftline.profiled_columns(decl) -%}
{%- set numeric = profiled | selectattr('kind', 'equalto', 'numeric') | list -%}
{%- set categorical = profiled | selectattr('kind', 'equalto', 'categorical') | list -%}
log_{{ loop.index }} as (
    select * from {{ monitor.relation }}
),

slices_{{ loop.index }} as (
    {{ driftline.segment_slices(decl['segments']) }}
),

features_{{ loop.index }} as (
    {%- for column in profiled %}
    {% if not loop.first %}union all {% endif -%}
    select {{ column['index'] }} as feature_index, {{ driftline.literal(column['name']) }} as feature_name,
        {{ driftline.literal(column['kind']) }} as feature_kind, {{ driftline.literal(column['role']) }} as feature_role
    {%- endfor %}
),

{#- one row per log row and slice; each column binned once, NaN read as NULL -#}
values_{{ loop.index }} as (
    select
        {{ driftline.window_start(unit, event_time) }} as window_start,
        slices.segment_name,
        {{ driftline.segment_value(decl['segments'], resolved, 'log', 'slices') }} as segment_value
        {%- for column in numeric %}
        {%- set raw = driftline.feature_value(resolved, column['column'], 'numeric') %},
        case when {{ driftline.is_nan(raw) }} then null else {{ raw }} end as n{{ column['index'] }}
        {%- endfor %}
        {%- for column in categorical %},
        {{ driftline.feature_value(resolved, column['column'], 'categorical') }} as c{{ column['index'] }}
        {%- endfor %}
    from log_{{ loop.index }} as log
    cross join slices_{{ loop.index }} as slices
    where {{ event_time }} is not null
        and {{ driftline.since_predicate(since, monitor, event_time) }}
),

{% if numeric -%}
binned_{{ loop.index }} as (
    select
        window_start,
        segment_name,
        segment_value
        {%- for column in numeric %}
        {%- set feature_edges = edges.get(monitor.name ~ '.' ~ column['name'], []) %},
        {% if feature_edges -%}
        {{ driftline.fine_bin('n' ~ column['index'], feature_edges, subdivisions) }}
        {%- else -%}
        case when n{{ column['index'] }} is null then -1 else 0 end
        {%- endif %} as b{{ column['index'] }},
        case when {{ driftline.is_finite('n' ~ column['index']) }} then n{{ column['index'] }} end as v{{ column['index'] }}
        {%- endfor %}
    from values_{{ loop.index }}
),

numeric_long_{{ loop.index }} as (
    {%- set items = [] %}
    {%- for column in numeric %}{% do items.append({'index': column['index'], 'columns': ['b' ~ column['index'], 'v' ~ column['index']]}) %}{% endfor %}
    {{ driftline.unpivot('binned_' ~ loop.index, ['window_start', 'segment_name', 'segment_value'], items, ['bin_index', 'finite_value']) }}
),

numeric_profiles_{{ loop.index }} as (
    select
        window_start, segment_name, segment_value, feature_index, bin_index,
        cast(null as {{ dbt.type_string() }}) as category,
        count(*) as n_rows,
        count(finite_value) as n_finite,
        sum(finite_value) as sum_value,
        sum(finite_value * finite_value) as sum_squares,
        min(finite_value) as min_value,
        max(finite_value) as max_value
    from numeric_long_{{ loop.index }}
    group by window_start, segment_name, segment_value, feature_index, bin_index
),
{%- endif %}

{% if categorical -%}
categorical_long_{{ loop.index }} as (
    {%- set items = [] %}
    {%- for column in categorical %}{% do items.append({'index': column['index'], 'columns': ['c' ~ column['index']]}) %}{% endfor %}
    {{ driftline.unpivot('values_' ~ loop.index, ['window_start', 'segment_name', 'segment_value'], items, ['category']) }}
),

categorical_profiles_{{ loop.index }} as (
    select
        window_start, segment_name, segment_value, feature_index,
        case when category is null then -1 end as bin_index,
        category,
        count(*) as n_rows,
        cast(0 as {{ dbt.type_bigint() }}) as n_finite,
        cast(null as {{ driftline.type_double() }}) as sum_value,
        cast(null as {{ driftline.type_double() }}) as sum_squares,
        cast(null as {{ driftline.type_double() }}) as min_value,
        cast(null as {{ driftline.type_double() }}) as max_value
    from categorical_long_{{ loop.index }}
    group by window_start, segment_name, segment_value, feature_index, category
),
{%- endif %}

profiled_{{ loop.index }} as (
    select
        {{ driftline.literal(monitor.name) }} as monitor_name,
        {{ driftline.literal(references[monitor.name]['reference_id']) }} as reference_id,
        profiles.window_start,
        {{ dbt.dateadd(unit, 1, 'profiles.window_start') }} as window_end,
        profiles.segment_name,
        profiles.segment_value,
        profiles.feature_index,
        features.feature_name,
        features.feature_kind,
        features.feature_role,
        profiles.bin_index,
        profiles.category,
        profiles.n_rows,
        profiles.n_finite,
        profiles.sum_value,
        profiles.sum_squares,
        profiles.min_value,
        profiles.max_value
    from (
        {% if numeric %}select * from numeric_profiles_{{ loop.index }}{% endif %}
        {% if numeric and categorical %}union all{% endif %}
        {% if categorical %}select * from categorical_profiles_{{ loop.index }}{% endif %}
    ) as profiles
    inner join features_{{ loop.index }} as features on features.feature_index = profiles.feature_index
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
