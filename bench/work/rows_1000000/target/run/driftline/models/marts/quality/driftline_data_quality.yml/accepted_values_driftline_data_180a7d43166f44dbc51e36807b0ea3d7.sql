
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        check_name as value_field,
        count(*) as n_records

    from "warehouse"."main_driftline"."driftline_data_quality"
    group by check_name

)

select *
from all_values
where value_field not in (
    'null_rate','out_of_range_share','unseen_share','volume_ratio','orphan_labels','schema'
)



  
  
      
    ) dbt_internal_test