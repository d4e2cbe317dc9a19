
    
    

select
    alert_id as unique_field,
    count(*) as n_records

from "warehouse"."main_driftline"."driftline_alerts"
where alert_id is not null
group by alert_id
having count(*) > 1


