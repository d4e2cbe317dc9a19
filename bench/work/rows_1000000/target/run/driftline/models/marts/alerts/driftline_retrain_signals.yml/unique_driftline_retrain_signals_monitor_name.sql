
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    monitor_name as unique_field,
    count(*) as n_records

from "warehouse"."main_driftline"."driftline_retrain_signals"
where monitor_name is not null
group by monitor_name
having count(*) > 1



  
  
      
    ) dbt_internal_test