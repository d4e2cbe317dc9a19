-- depends_on: "warehouse"."main_driftline"."int_driftline__references"

with



counted as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as TEXT) as reference_id,
        cast(null as TEXT) as feature_name,
        cast(null as TEXT) as category,
        cast(null as bigint) as n_reference
    where 1 = 0
),

ranked as (
    select
        counted.*,
        row_number() over (
            partition by monitor_name, reference_id, feature_name
            order by n_reference desc, category
        ) as category_rank
    from counted
),

final as (
    select
        monitor_name,
        reference_id,
        feature_name,
        category,
        n_reference,
        category_rank,
        case when category_rank <= 20 then category else '__other__' end as category_bin
    from ranked
)

select * from final