create or replace view bench_driftline.stg_driftline__labels
  
  
  as
    with

typed_empty as (
    select
        cast(null as string) as monitor_name,
        cast(null as string) as prediction_id,
        cast(null as string) as label,
        cast(null as double) as label_value,
        cast(null as timestamp) as labelled_at
    where 1 = 0
),

final as (
    select * from typed_empty
    
)

select * from final
