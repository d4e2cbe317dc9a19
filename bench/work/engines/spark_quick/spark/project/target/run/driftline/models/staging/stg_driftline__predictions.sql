create or replace view bench_driftline.stg_driftline__predictions
  
  
  as
    with

log_1 as (
    select * from raw.bench_log
),

slices_1 as (
    select '__all__' as segment_name
),

normalized_1 as (
    select
        'bench' as monitor_name,
        cast(log.`event_id` as string) as prediction_id,
        cast(log.`event_at` as timestamp) as event_at,
        date_trunc('day', cast(log.`event_at` as timestamp)) as window_start,
        'unversioned' as model_version,
        cast(log.`predicted_label` as string) as predicted_label,
        cast(null as double) as predicted_value,
        cast(log.`score` as double) as score,
        slices.segment_name,
        case slices.segment_name
        when '__all__' then '__all__'
    end as segment_value
    from log_1 as log
    cross join slices_1 as slices
),

typed_empty as (
    select
        cast(null as string) as monitor_name,
        cast(null as string) as prediction_id,
        cast(null as timestamp) as event_at,
        cast(null as timestamp) as window_start,
        cast(null as string) as model_version,
        cast(null as string) as predicted_label,
        cast(null as double) as predicted_value,
        cast(null as double) as score,
        cast(null as string) as segment_name,
        cast(null as string) as segment_value
    where 1 = 0
),

final as (
    select * from typed_empty
    union all
    select * from normalized_1
    
)

select * from final
