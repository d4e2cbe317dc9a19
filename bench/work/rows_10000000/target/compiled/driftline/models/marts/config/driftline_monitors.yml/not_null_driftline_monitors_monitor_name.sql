
    
    



select monitor_name
from "warehouse"."main_driftline"."driftline_monitors"
where monitor_name is null


