
    
    

with all_values as (

    select
        status as value_field,
        count(*) as n_records

    from "warehouse"."main_driftline"."driftline_data_quality"
    group by status

)

select *
from all_values
where value_field not in (
    'ok','warn','critical','undefined'
)


