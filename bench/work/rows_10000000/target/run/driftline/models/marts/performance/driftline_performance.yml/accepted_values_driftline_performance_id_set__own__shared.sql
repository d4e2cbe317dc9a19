
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        id_set as value_field,
        count(*) as n_records

    from "warehouse"."main_driftline"."driftline_performance"
    group by id_set

)

select *
from all_values
where value_field not in (
    'own','shared'
)



  
  
      
    ) dbt_internal_test