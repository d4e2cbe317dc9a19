
    
    

with all_values as (

    select
        status as value_field,
        count(*) as n_records

    from "warehouse"."main_driftline"."driftline_feature_drift"
    group by status

)

select *
from all_values
where value_field not in (
    'ok','warn','critical','insufficient_data','undefined','no_reference'
)


