{#- One row per monitor and declared feature, in declaration order. -#}
{%- set monitors = driftline.get_monitors() -%}

with

declared as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_int() }}) as feature_index,
        cast(null as {{ dbt.type_string() }}) as feature_name,
        cast(null as {{ dbt.type_string() }}) as feature_kind
    where 1 = 0
    {%- for monitor in monitors %}
    {%- for feature in monitor.decl['features'] %}
    union all
    select {{ driftline.literal(monitor.name) }}, {{ loop.index }}, {{ driftline.literal(feature['name']) }}, {{ driftline.literal(feature['kind']) }}
    {%- endfor %}
    {%- endfor %}
),

final as (
    select * from declared
)

select * from final
