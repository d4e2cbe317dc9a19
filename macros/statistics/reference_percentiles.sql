{#-
  The given integer percentiles (0..100) of each (monitor, reference, feature) in `relation`
  (columns monitor_name, reference_id, feature_name, value), as the inverse empirical CDF:
  the value at rank ceil(p * n / 100). Percentile 0 is the minimum, 100 the maximum.
  Every engine must return the same values, so overrides keep this exact definition.
  Ask only for the percentiles you use: on DuckDB the cost grows with their number
  (101 percentiles of 17 columns took about 3x the time of 17).
-#}
{% macro reference_percentiles(relation, percentiles) %}
  {{ return(adapter.dispatch('reference_percentiles', 'driftline')(relation, percentiles)) }}
{% endmacro %}

{#- The percentiles driftline keeps of a numeric reference: the fine-bin edges, which include the deciles. -#}
{% macro edge_percentiles() -%}
  {%- set percentiles = driftline.fine_edge_percentiles() | map('int') | list -%}
  {%- for decile in range(10, 100, 10) if decile not in percentiles -%}
    {%- do percentiles.append(decile) -%}
  {%- endfor -%}
  {{ return(percentiles | sort) }}
{%- endmacro %}

{#-
  Rank r holds percentile p when ceil(p * n / 100) = r, i.e. 100 (r - 1) < p n <= 100 r: integer
  arithmetic, exact on every engine. Only the ranks that hold some integer percentile (at
  most 101 per feature, found row by row) meet the levels, so no engine joins every value
  with every level, whatever its planner estimates.
-#}
{% macro default__reference_percentiles(relation, percentiles) %}
  {%- set inner = percentiles | reject('equalto', 0) | reject('equalto', 100) | list %}
    with ranked as (
        select
            monitor_name,
            reference_id,
            feature_name,
            value,
            row_number() over (partition by monitor_name, reference_id, feature_name order by value) as value_rank,
            count(*) over (partition by monitor_name, reference_id, feature_name) as n_values
        from {{ relation }}
    ),

    {#- floor(100 r / n) > floor(100 (r - 1) / n); the double quotients are exact enough for floor -#}
    holders as (
        select * from ranked
        where floor(cast(value_rank as {{ driftline.type_double() }}) * 100 / n_values)
            > floor(cast(value_rank - 1 as {{ driftline.type_double() }}) * 100 / n_values)
    ),

    levels as (
        select cast(null as {{ dbt.type_int() }}) as percentile where 1 = 0
        {%- for p in inner %}
        union all select {{ p }}
        {%- endfor %}
    ),

    inner_percentiles as (
        select holders.monitor_name, holders.reference_id, holders.feature_name, levels.percentile, holders.value as edge
        from holders
        inner join levels
            on levels.percentile * holders.n_values > 100 * (holders.value_rank - 1)
            and levels.percentile * holders.n_values <= 100 * holders.value_rank
    ),

    extremes as (
        select monitor_name, reference_id, feature_name, 0 as percentile, min(value) as edge
        from {{ relation }} group by monitor_name, reference_id, feature_name
        union all
        select monitor_name, reference_id, feature_name, 100 as percentile, max(value) as edge
        from {{ relation }} group by monitor_name, reference_id, feature_name
    )

    select * from inner_percentiles
    union all
    select * from extremes
    where percentile in ({{ percentiles | join(', ') }})
{% endmacro %}

{#- DuckDB's quantile_disc is the same inverse-CDF definition, computed without a window sort. -#}
{% macro duckdb__reference_percentiles(relation, percentiles) %}
    with lists as (
        select
            monitor_name,
            reference_id,
            feature_name,
            quantile_disc(value, [{% for p in percentiles %}{{ p / 100 }}{{ ', ' if not loop.last }}{% endfor %}]) as edges
        from {{ relation }}
        group by monitor_name, reference_id, feature_name
    )

    select
        monitor_name,
        reference_id,
        feature_name,
        cast(unnest([{{ percentiles | join(', ') }}]) as integer) as percentile,
        unnest(edges) as edge
    from lists
{% endmacro %}
