{{ config(
    materialized='incremental',
    incremental_strategy=driftline.incremental_strategy(),
    unique_key='monitor_name, window_start',
    partition_by=driftline.incremental_partition_by(['monitor_name', 'window_start']),
) }}
{#-
  Mergeable distribution profiles: per monitor, reference, window, segment slice and
  profiled column, the count of each fine bin (numeric) or raw category (categorical). Numeric
  columns also get the sums that place their out-of-range Wasserstein-1 atoms and one moments
  row (bin_index NULL: sum, sum of squares, minimum, maximum of the finite values; its counts
  are 0). Any reference period or backtest step is a sum of these.

  The log is read once per monitor for all columns (numeric and categorical columns each
  through their own import, see below): driftline.numeric_profiles bins the numeric columns in
  one wide pass (histogram() aggregates on DuckDB, a nested-CASE search and an unpivot
  elsewhere), categorical columns are unpivoted and counted.

  Incremental: per monitor, new windows and the windows of the lookback whose row count
  changed (driftline.rescan_since) are rescanned, with a literal bound on event time. A
  monitor whose reference changed since the last run is rebuilt, since numeric fine bins
  are defined by the reference.
-#}
{%- set monitors = driftline.get_monitors() -%}
{%- set references = driftline.current_references() -%}
{%- set edges = driftline.reference_edges() -%}
{%- set subdivisions = driftline.fine_subdivisions() -%}
{%- set window_rows -%}
    select monitor_name, window_start, max(n_rows) as n_rows
    from (
        select monitor_name, window_start, feature_index, sum(n_rows) as n_rows
        from {{ this }}
        where segment_name = {{ driftline.literal('__all__') }}
        group by monitor_name, window_start, feature_index
    ) as per_column
    group by monitor_name, window_start
{%- endset -%}
{%- set rescan = driftline.rescan_since(monitors, references, window_rows) -%}

-- depends_on: {{ ref('int_driftline__references') }}
-- depends_on: {{ ref('int_driftline__reference_edges') }}

with

{% for monitor in monitors if monitor.name in references -%}
{%- set resolved = driftline.resolve_columns(monitor) -%}
{%- set decl = monitor.decl -%}
{%- set unit = decl['window'] -%}
{%- set event_time = driftline.event_time(resolved, decl) -%}
{%- set profiled = driftline.profiled_columns(decl) -%}
{%- set numeric = profiled | selectattr('kind', 'equalto', 'numeric') | list -%}
{%- set categorical = profiled | selectattr('kind', 'equalto', 'categorical') | list -%}
{%- set slice_keys = ['segment_name', 'segment_value'] if decl['segments'] else [] -%}
{%- set m = loop.index -%}
slices_{{ m }} as (
    {{ driftline.segment_slices(decl['segments']) }}
),

features_{{ m }} as (
    {%- for column in profiled %}
    {% if not loop.first %}union all {% endif -%}
    select {{ column['index'] }} as feature_index, {{ driftline.literal(column['name']) }} as feature_name,
        {{ driftline.literal(column['kind']) }} as feature_kind, {{ driftline.literal(column['role']) }} as feature_role
    {%- endfor %}
),

{#-
  One row per log row and slice, NaN read as NULL; numeric and categorical columns each get
  their own import of the log: a CTE referenced twice is materialized (DuckDB, PostgreSQL),
  and materializing the wide log cost about a third of this model at 10M rows.
-#}
{%- for kind, columns in [('numeric', numeric), ('categorical', categorical)] if columns %}
{{ kind }}_log_{{ m }} as (
    select * from {{ monitor.relation }}
),

{{ kind }}_values_{{ m }} as (
    select
        {{ driftline.window_start(unit, event_time) }} as window_start,
        slices.segment_name,
        {{ driftline.segment_value(decl['segments'], resolved, 'log', 'slices') }} as segment_value
        {%- for column in columns %}
        {%- set raw = driftline.feature_value(resolved, column['column'], kind) %},
        {% if kind == 'numeric' -%}
        case when {{ driftline.is_nan(raw) }} then null else {{ raw }} end as n{{ column['index'] }}
        {%- else -%}
        {{ raw }} as c{{ column['index'] }}
        {%- endif %}
        {%- endfor %}
    from {{ kind }}_log_{{ m }} as log
    cross join slices_{{ m }} as slices
    where {{ event_time }} is not null
        and {{ driftline.rescan_predicate(rescan, monitor, event_time) }}
),
{% endfor %}

{% if numeric -%}
{%- set numeric_columns = [] %}
{%- for column in numeric %}{% do numeric_columns.append({'index': column['index'], 'edges': edges.get(monitor.name ~ '.' ~ column['name'], [])}) %}{% endfor %}
numeric_bins_{{ loop.index }} as (
    {{ driftline.numeric_profiles('numeric_values_' ~ loop.index, ['window_start'] + slice_keys, numeric_columns, subdivisions) }}
),

numeric_profiles_{{ loop.index }} as (
    select
        window_start,
        {{ driftline.slice_columns(slice_keys) }},
        feature_index,
        bin_index,
        cast(null as {{ dbt.type_string() }}) as category,
        n_rows, n_finite, sum_value, sum_squares, min_value, max_value
    from numeric_bins_{{ loop.index }}
),
{%- endif %}

{% if categorical -%}
categorical_long_{{ loop.index }} as (
    {%- set items = [] %}
    {%- for column in categorical %}{% do items.append({'index': column['index'], 'columns': ['c' ~ column['index']]}) %}{% endfor %}
    {{ driftline.unpivot('categorical_values_' ~ loop.index, ['window_start'] + slice_keys, items, ['category']) }}
),

categorical_profiles_{{ loop.index }} as (
    select
        window_start,
        {{ driftline.slice_columns(slice_keys) }},
        feature_index,
        case when category is null then -1 end as bin_index,
        category,
        count(*) as n_rows,
        cast(0 as {{ dbt.type_bigint() }}) as n_finite,
        cast(null as {{ driftline.type_double() }}) as sum_value,
        cast(null as {{ driftline.type_double() }}) as sum_squares,
        cast(null as {{ driftline.type_double() }}) as min_value,
        cast(null as {{ driftline.type_double() }}) as max_value
    from categorical_long_{{ loop.index }}
    group by window_start{% for key in slice_keys %}, {{ key }}{% endfor %}, feature_index, category
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
