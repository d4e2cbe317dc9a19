{#-
  Every declared prediction log in driftline's shape: one row per prediction and
  segment slice. The '__all__' slice holds each prediction once; each declared
  segment column adds a slice keyed by its value, so every metric downstream is
  sliced by grouping on (segment_name, segment_value).

  Predictions a challenger made in shadow (`driftline score --shadow`) live in the runner's
  driftline_shadow_predictions, not in the log: they join here under their own model
  version, on the time and slices of the served prediction with the same id, so the
  performance mart compares versions while drift and volume see each prediction once.
-#}
{%- set monitors = driftline.get_monitors() -%}
{%- set shadow = driftline.registry_relation('driftline_shadow_predictions') -%}

with

{% for monitor in monitors -%}
{%- set resolved = driftline.resolve_columns(monitor) -%}
log_{{ loop.index }} as (
    select * from {{ monitor.relation }}
),

slices_{{ loop.index }} as (
    {{ driftline.segment_slices(monitor.decl['segments']) }}
),

normalized_{{ loop.index }} as (
    select
        {{ driftline.literal(monitor.name) }} as monitor_name,
        cast(log.{{ driftline.col(resolved, 'log', monitor.decl['id_column']) }} as {{ dbt.type_string() }}) as prediction_id,
        {{ driftline.event_time(resolved, monitor.decl) }} as event_at,
        {{ driftline.window_start(monitor.decl['window'], driftline.event_time(resolved, monitor.decl)) }} as window_start,
        {% if monitor.decl['model_version_column'] is not none -%}
        coalesce(cast(log.{{ driftline.col(resolved, 'log', monitor.decl['model_version_column']) }} as {{ dbt.type_string() }}), 'unversioned')
        {%- else -%}
        'unversioned'
        {%- endif %} as model_version,
        {% if monitor.decl['task'] == 'regression' -%}
        cast(null as {{ dbt.type_string() }}) as predicted_label,
        cast(log.{{ driftline.col(resolved, 'log', monitor.decl['prediction_column']) }} as {{ driftline.type_double() }}) as predicted_value,
        {%- else -%}
        cast(log.{{ driftline.col(resolved, 'log', monitor.decl['prediction_column']) }} as {{ dbt.type_string() }}) as predicted_label,
        cast(null as {{ driftline.type_double() }}) as predicted_value,
        {%- endif %}
        {% if monitor.decl['score_column'] is not none -%}
        cast(log.{{ driftline.col(resolved, 'log', monitor.decl['score_column']) }} as {{ driftline.type_double() }})
        {%- else -%}
        cast(null as {{ driftline.type_double() }})
        {%- endif %} as score,
        slices.segment_name,
        {{ driftline.segment_value(monitor.decl['segments'], resolved, 'log', 'slices') }} as segment_value
    from log_{{ loop.index }} as log
    cross join slices_{{ loop.index }} as slices
),

{% if shadow is not none -%}
shadow_{{ loop.index }} as (
    select
        served.monitor_name,
        served.prediction_id,
        served.event_at,
        served.window_start,
        shadow.model_version,
        {% if monitor.decl['task'] == 'regression' -%}
        cast(null as {{ dbt.type_string() }}) as predicted_label,
        cast(shadow.prediction as {{ driftline.type_double() }}) as predicted_value,
        {%- else -%}
        shadow.prediction as predicted_label,
        cast(null as {{ driftline.type_double() }}) as predicted_value,
        {%- endif %}
        shadow.score,
        served.segment_name,
        served.segment_value
    from {{ shadow }} as shadow
    inner join normalized_{{ loop.index }} as served on served.prediction_id = shadow.prediction_id
    where shadow.monitor_name = {{ driftline.literal(monitor.name) }}
        and served.model_version <> shadow.model_version
),

{% endif -%}
{% endfor -%}

typed_empty as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as prediction_id,
        cast(null as {{ dbt.type_timestamp() }}) as event_at,
        cast(null as {{ dbt.type_timestamp() }}) as window_start,
        cast(null as {{ dbt.type_string() }}) as model_version,
        cast(null as {{ dbt.type_string() }}) as predicted_label,
        cast(null as {{ driftline.type_double() }}) as predicted_value,
        cast(null as {{ driftline.type_double() }}) as score,
        cast(null as {{ dbt.type_string() }}) as segment_name,
        cast(null as {{ dbt.type_string() }}) as segment_value
    where 1 = 0
),

final as (
    select * from typed_empty
    {% for monitor in monitors -%}
    union all
    select * from normalized_{{ loop.index }}
    {% if shadow is not none -%}
    union all
    select * from shadow_{{ loop.index }}
    {% endif -%}
    {% endfor %}
)

select * from final
