
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select monitor_name
from "warehouse"."main_driftline"."driftline_monitors"
where monitor_name is null



  
  
      
    ) dbt_internal_test