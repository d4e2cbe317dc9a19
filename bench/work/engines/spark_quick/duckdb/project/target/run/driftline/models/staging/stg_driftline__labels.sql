
  
  create view "warehouse"."main_driftline"."stg_driftline__labels__dbt_tmp" as (
    with

typed_empty as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as TEXT) as prediction_id,
        cast(null as TEXT) as label,
        cast(null as double precision) as label_value,
        cast(null as timestamp) as labelled_at
    where 1 = 0
),

final as (
    select * from typed_empty
    
)

select * from final
  );
