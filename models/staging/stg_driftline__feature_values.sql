{#-
  Feature values in long form: one row per prediction, segment slice and profiled
  column (the declared features, then the model's score and prediction).
  The log is read once per monitor: rows are fanned out by a cross join with the
  (small) feature and slice lists, not by one scan per column. NaN counts as
  missing; +/-inf are kept (they fall into the open tail bins).
-#}
{%- set monitors = driftline.get_monitors() -%}

with

{% for monitor in monitors -%}
{%- set resolved = driftline.resolve_columns(monitor) -%}
{%- set decl = monitor.decl -%}
log_{{ loop.index }} as (
    select * from {{ monitor.relation }}
),

{%- set profiled = driftline.profiled_columns(decl) %}
features_{{ loop.index }} as (
    {%- for feature in profiled %}
    {% if not loop.first %}union all {% endif -%}
    select {{ feature['index'] }} as feature_index, {{ driftline.literal(feature['name']) }} as feature_name, {{ driftline.literal(feature['kind']) }} as feature_kind, {{ driftline.literal(feature['role']) }} as feature_role
    {%- endfor %}
),

slices_{{ loop.index }} as (
    {{ driftline.segment_slices(decl['segments']) }}
),

unpivoted_{{ loop.index }} as (
    select
        {{ driftline.literal(monitor.name) }} as monitor_name,
        cast(log.{{ driftline.col(resolved, 'log', decl['id_column']) }} as {{ dbt.type_string() }}) as prediction_id,
        {{ driftline.event_time(resolved, decl) }} as event_at,
        {{ driftline.window_start(decl['window'], driftline.event_time(resolved, decl)) }} as window_start,
        slices.segment_name,
        {{ driftline.segment_value(decl['segments'], resolved, 'log', 'slices') }} as segment_value,
        features.feature_index,
        features.feature_name,
        features.feature_kind,
        features.feature_role,
        {%- set numeric = profiled | selectattr('kind', 'equalto', 'numeric') | list %}
        {%- set categorical = profiled | selectattr('kind', 'equalto', 'categorical') | list %}
        {% if numeric -%}
        case features.feature_index
            {%- for feature in numeric %}
            {%- set value = driftline.feature_value(resolved, feature['column'], 'numeric') %}
            when {{ feature['index'] }} then case when {{ driftline.is_nan(value) }} then null else {{ value }} end
            {%- endfor %}
        end
        {%- else %}cast(null as {{ driftline.type_double() }}){% endif %} as value_numeric,
        {% if categorical -%}
        case features.feature_index
            {%- for feature in categorical %}
            when {{ feature['index'] }} then {{ driftline.feature_value(resolved, feature['column'], 'categorical') }}
            {%- endfor %}
        end
        {%- else %}cast(null as {{ dbt.type_string() }}){% endif %} as value_categorical
    from log_{{ loop.index }} as log
    cross join slices_{{ loop.index }} as slices
    cross join features_{{ loop.index }} as features
),

{% endfor -%}

typed_empty as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as prediction_id,
        cast(null as {{ dbt.type_timestamp() }}) as event_at,
        cast(null as {{ dbt.type_timestamp() }}) as window_start,
        cast(null as {{ dbt.type_string() }}) as segment_name,
        cast(null as {{ dbt.type_string() }}) as segment_value,
        cast(null as {{ dbt.type_int() }}) as feature_index,
        cast(null as {{ dbt.type_string() }}) as feature_name,
        cast(null as {{ dbt.type_string() }}) as feature_kind,
        cast(null as {{ dbt.type_string() }}) as feature_role,
        cast(null as {{ driftline.type_double() }}) as value_numeric,
        cast(null as {{ dbt.type_string() }}) as value_categorical
    where 1 = 0
),

final as (
    select * from typed_empty
    {% for monitor in monitors -%}
    union all
    select * from unpivoted_{{ loop.index }}
    {% endfor %}
)

select * from final
