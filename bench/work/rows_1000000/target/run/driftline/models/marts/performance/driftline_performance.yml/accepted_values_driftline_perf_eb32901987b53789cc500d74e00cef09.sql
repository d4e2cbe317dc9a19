
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        metric as value_field,
        count(*) as n_records

    from "warehouse"."main_driftline"."driftline_performance"
    group by metric

)

select *
from all_values
where value_field not in (
    'accuracy','precision','recall','f1','roc_auc','log_loss','brier','positive_rate','label_positive_rate','macro_f1','mae','rmse','mape','r2'
)



  
  
      
    ) dbt_internal_test