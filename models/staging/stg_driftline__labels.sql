{#-
  Every declared label relation in driftline's shape, one row per label row as
  delivered (revisions included; the latest labelled_at wins downstream).
-#}
{%- set monitors = driftline.get_monitors() | selectattr('label_relation') | list -%}

with

{% for monitor in monitors -%}
{%- set resolved = driftline.resolve_columns(monitor) -%}
{%- set labels = monitor.decl['labels'] -%}
labels_{{ loop.index }} as (
    select * from {{ monitor.label_relation }}
),

normalized_{{ loop.index }} as (
    select
        {{ driftline.literal(monitor.name) }} as monitor_name,
        cast(src.{{ driftline.col(resolved, 'labels', labels['id_column']) }} as {{ dbt.type_string() }}) as prediction_id,
        cast(src.{{ driftline.col(resolved, 'labels', labels['label_column']) }} as {{ dbt.type_string() }}) as label,
        {% if monitor.decl['task'] == 'regression' -%}
        cast(src.{{ driftline.col(resolved, 'labels', labels['label_column']) }} as {{ driftline.type_double() }})
        {%- else -%}
        cast(null as {{ driftline.type_double() }})
        {%- endif %} as label_value,
        cast(src.{{ driftline.col(resolved, 'labels', labels['labelled_at_column']) }} as {{ dbt.type_timestamp() }}) as labelled_at
    from labels_{{ loop.index }} as src
),

{% endfor -%}

typed_empty as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as prediction_id,
        cast(null as {{ dbt.type_string() }}) as label,
        cast(null as {{ driftline.type_double() }}) as label_value,
        cast(null as {{ dbt.type_timestamp() }}) as labelled_at
    where 1 = 0
),

final as (
    select * from typed_empty
    {% for monitor in monitors -%}
    union all
    select * from normalized_{{ loop.index }}
    {% endfor %}
)

select * from final
