
    
    

with all_values as (

    select
        reference_method as value_field,
        count(*) as n_records

    from "warehouse"."main_driftline"."int_driftline__references"
    group by reference_method

)

select *
from all_values
where value_field not in (
    'champion','first_windows','date_range'
)


