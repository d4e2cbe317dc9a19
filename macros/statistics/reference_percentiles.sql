{#-
  Percentiles 1..99 of each (monitor, reference, feature) in `relation` (columns
  monitor_name, reference_id, feature_name, value), as the inverse empirical CDF:
  the value at rank ceil(p * n / 100). Percentile 0 is the minimum, 100 the maximum.
  Every engine must return the same values, so overrides keep this exact definition.
-#}
{% macro reference_percentiles(relation) %}
  {{ return(adapter.dispatch('reference_percentiles', 'driftline')(relation)) }}
{% endmacro %}

{% macro default__reference_percentiles(relation) %}
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

    levels as (
        select n as percentile from ({{ driftline.integers_below_10000() }}) as spine where n between 1 and 99
    ),

    inner_percentiles as (
        select ranked.monitor_name, ranked.reference_id, ranked.feature_name, levels.percentile, ranked.value as edge
        from ranked
        inner join levels
            on ranked.value_rank = cast(ceil(levels.percentile * ranked.n_values / 100.0) as {{ dbt.type_int() }})
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
{% endmacro %}

{#- DuckDB's quantile_disc is the same inverse-CDF definition, computed without a window sort. -#}
{% macro duckdb__reference_percentiles(relation) %}
    with lists as (
        select
            monitor_name,
            reference_id,
            feature_name,
            quantile_disc(value, [{% for p in range(0, 101) %}{{ p / 100 }}{{ ', ' if not loop.last }}{% endfor %}]) as edges
        from {{ relation }}
        group by monitor_name, reference_id, feature_name
    )

    select
        monitor_name,
        reference_id,
        feature_name,
        cast(unnest(range(0, 101)) as integer) as percentile,
        unnest(edges) as edge
    from lists
{% endmacro %}
