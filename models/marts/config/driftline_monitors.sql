{#- The declared monitors as a table: one row per monitor, its declaration (defaults filled in) as JSON. -#}
{%- set monitors = driftline.get_monitors() -%}

with

declared as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as declared_on,
        cast(null as {{ dbt.type_string() }}) as prediction_log,
        cast(null as {{ dbt.type_string() }}) as label_relation,
        cast(null as {{ dbt.type_string() }}) as task,
        cast(null as {{ dbt.type_string() }}) as window_unit,
        cast(null as {{ dbt.type_string() }}) as reference_method,
        cast(null as {{ dbt.type_int() }}) as n_features,
        cast(null as {{ dbt.type_int() }}) as n_segments,
        cast(null as {{ dbt.type_string() }}) as declaration_json
    where 1 = 0
    {%- for monitor in monitors %}
    union all
    select
        {{ driftline.literal(monitor.name) }},
        {{ driftline.literal(monitor.node_id) }},
        {{ driftline.literal(monitor.relation) }},
        {{ driftline.literal(monitor.label_relation) if monitor.label_relation is not none else 'null' }},
        {{ driftline.literal(monitor.decl['task']) }},
        {{ driftline.literal(monitor.decl['window']) }},
        {{ driftline.literal(monitor.decl['reference']['method']) }},
        {{ monitor.decl['features'] | length }},
        {{ monitor.decl['segments'] | length }},
        {{ driftline.literal(tojson(monitor.decl, sort_keys=true)) }}
    {%- endfor %}
),

final as (
    select * from declared
)

select * from final
