-- depends_on: "warehouse"."main_driftline"."int_driftline__references"

with

feature_values as (
    select * from "warehouse"."main_driftline"."stg_driftline__feature_values"
),

reference_values as (
    select
        feature_values.monitor_name,
        case feature_values.monitor_name
        when 'bench' then 'first_windows:14:2026-01-01'
    end as reference_id,
        feature_values.feature_name,
        feature_values.value_categorical as category
    from feature_values
    where feature_values.segment_name = '__all__'
        and feature_values.feature_kind = 'categorical'
        and feature_values.value_categorical is not null
        and (
            1 = 0
            or (feature_values.monitor_name = 'bench'
    and feature_values.window_start >= cast('2026-01-01 00:00:00' as timestamp)
    and feature_values.window_start < cast('2026-01-15 00:00:00' as timestamp))
        )
),

counted as (
    select monitor_name, reference_id, feature_name, category, count(*) as n_reference
    from reference_values
    group by monitor_name, reference_id, feature_name, category
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