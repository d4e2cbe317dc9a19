
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        kind as value_field,
        count(*) as n_records

    from "warehouse"."main_driftline"."driftline_alerts"
    group by kind

)

select *
from all_values
where value_field not in (
    'drift','data_quality','volume','schema','performance','label_coverage','data_incident'
)



  
  
      
    ) dbt_internal_test