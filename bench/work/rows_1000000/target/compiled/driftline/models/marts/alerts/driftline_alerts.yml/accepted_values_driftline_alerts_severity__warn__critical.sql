
    
    

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


