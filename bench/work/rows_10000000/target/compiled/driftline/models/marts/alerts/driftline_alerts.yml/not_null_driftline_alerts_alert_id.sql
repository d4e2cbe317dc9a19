
    
    



select alert_id
from "warehouse"."main_driftline"."driftline_alerts"
where alert_id is null


