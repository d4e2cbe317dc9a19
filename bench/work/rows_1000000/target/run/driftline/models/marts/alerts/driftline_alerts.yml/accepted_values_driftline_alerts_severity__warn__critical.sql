
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        severity as value_field,
        count(*) as n_records

    from "warehouse"."main_driftline"."driftline_alerts"
    group by severity

)

select *
from all_values
where value_field not in (
    'warn','critical'
)



  
  
      
    ) dbt_internal_test