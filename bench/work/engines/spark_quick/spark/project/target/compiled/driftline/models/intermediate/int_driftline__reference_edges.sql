-- depends_on: bench_driftline.int_driftline__references

with



reference_values as (
    select
        cast(null as string) as monitor_name,
        cast(null as string) as reference_id,
        cast(null as string) as feature_name,
        cast(null as double) as value
    where 1 = 0
),

percentiles as (
    
    with ranked as (
        select
            monitor_name,
            reference_id,
            feature_name,
            value,
            row_number() over (partition by monitor_name, reference_id, feature_name order by value) as value_rank,
            count(*) over (partition by monitor_name, reference_id, feature_name) as n_values
        from reference_values
    ),holders as (
        select * from ranked
        where floor(cast(value_rank as double) * 100 / n_values)
            > floor(cast(value_rank - 1 as double) * 100 / n_values)
    ),

    levels as (
        select d1.d + 10 * d2.d as percentile
        from (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d1
        cross join (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d2
        where d1.d + 10 * d2.d between 1 and 99
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
        from reference_values group by monitor_name, reference_id, feature_name
        union all
        select monitor_name, reference_id, feature_name, 100 as percentile, max(value) as edge
        from reference_values group by monitor_name, reference_id, feature_name
    )

    select * from inner_percentiles
    union all
    select * from extremes

),

final as (
    select
        monitor_name,
        reference_id,
        feature_name,
        cast(percentile as integer) as percentile,
        cast(edge as double) as edge
    from percentiles
)

select * from final