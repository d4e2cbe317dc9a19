
    
    

select
    monitor_name as unique_field,
    count(*) as n_records

from "warehouse"."main_driftline"."driftline_monitors"
where monitor_name is not null
group by monitor_name
having count(*) > 1


