
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    alert_id as unique_field,
    count(*) as n_records

from "warehouse"."main_driftline"."driftline_alerts"
where alert_id is not null
group by alert_id
having count(*) > 1



  
  
      
    ) dbt_internal_test