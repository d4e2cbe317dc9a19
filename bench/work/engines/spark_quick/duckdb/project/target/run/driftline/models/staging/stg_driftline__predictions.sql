
  
  create view "warehouse"."main_driftline"."stg_driftline__predictions__dbt_tmp" as (
    with

log_1 as (
    select * from "warehouse"."raw"."bench_log"
),

slices_1 as (
    select '__all__' as segment_name
),

normalized_1 as (
    select
        'bench' as monitor_name,
        cast(log."event_id" as TEXT) as prediction_id,
        cast(log."event_at" as timestamp) as event_at,
        date_trunc('day', cast(log."event_at" as timestamp)) as window_start,
        'unversioned' as model_version,
        cast(log."predicted_label" as TEXT) as predicted_label,
        cast(null as double precision) as predicted_value,
        cast(log."score" as double precision) as score,
        slices.segment_name,
        case slices.segment_name
        when '__all__' then '__all__'
    end as segment_value
    from log_1 as log
    cross join slices_1 as slices
),

typed_empty as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as TEXT) as prediction_id,
        cast(null as timestamp) as event_at,
        cast(null as timestamp) as window_start,
        cast(null as TEXT) as model_version,
        cast(null as TEXT) as predicted_label,
        cast(null as double precision) as predicted_value,
        cast(null as double precision) as score,
        cast(null as TEXT) as segment_name,
        cast(null as TEXT) as segment_value
    where 1 = 0
),

final as (
    select * from typed_empty
    union all
    select * from normalized_1
    
)

select * from final
  );
