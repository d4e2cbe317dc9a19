with

labelled as (
    select * from "warehouse"."main_driftline"."int_driftline__labelled_predictions"
),

latest_labels as (
    select * from "warehouse"."main_driftline"."int_driftline__latest_labels"
),

typed_empty as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as TEXT) as model_version,
        cast(null as timestamp) as window_start,
        cast(null as timestamp) as window_end,
        cast(null as TEXT) as segment_name,
        cast(null as TEXT) as segment_value,
        cast(null as TEXT) as id_set,
        cast(null as TEXT) as metric,
        cast(null as double precision) as value,
        cast(null as double precision) as estimated_value,
        cast(null as bigint) as n_predictions,
        cast(null as bigint) as n_labelled,
        cast(null as double precision) as label_coverage,
        cast(null as bigint) as n_revised,
        cast(null as double precision) as label_delay_p50_days,
        cast(null as double precision) as label_delay_p90_days,
        cast(null as timestamp) as as_of,
        cast(null as boolean) as is_mature
    where 1 = 0
),

final as (
    select * from typed_empty
)

select * from final