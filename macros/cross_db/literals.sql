{#- A timestamp constant the planner can fold, so filters on event time prune partitions. -#}
{% macro timestamp_literal(value) -%}
  cast({{ driftline.literal(value) }} as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- A double constant written with 17 significant digits: exact, and read as a double everywhere. -#}
{% macro double_literal(value) -%}
  {{ '%.17e' | format(value | float) }}
{%- endmacro %}


{#- Integers 0 .. 9999 from a cross join of digits: a portable spine without generate_series. -#}
{% macro integers_below_10000() -%}
    select d1.d + 10 * d2.d + 100 * d3.d + 1000 * d4.d as n
    from {{ driftline.digits() }} as d1
    cross join {{ driftline.digits() }} as d2
    cross join {{ driftline.digits() }} as d3
    cross join {{ driftline.digits() }} as d4
{%- endmacro %}

{% macro digits() -%}
    (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9)
{%- endmacro %}
