
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select alert_id
from "warehouse"."main_driftline"."driftline_alerts"
where alert_id is null



  
  
      
    ) dbt_internal_test