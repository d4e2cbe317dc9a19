
    

    create  table
      "warehouse"."main_driftline"."int_driftline__latest_labels__dbt_tmp"
  
    
    as (
      with

labels as (
    select * from "warehouse"."main_driftline"."stg_driftline__labels"
    where prediction_id is not null and labelled_at is not null
),

ranked as (
    select
        labels.*,
        row_number() over (partition by monitor_name, prediction_id order by labelled_at desc, label desc) as recency,
        min(labelled_at) over (partition by monitor_name, prediction_id) as first_labelled_at,
        count(*) over (partition by monitor_name, prediction_id) as n_deliveries
    from labels
),

final as (
    select
        monitor_name,
        prediction_id,
        label,
        label_value,
        labelled_at,
        first_labelled_at,
        n_deliveries
    from ranked
    where recency = 1
)

select * from final
    );
    
  