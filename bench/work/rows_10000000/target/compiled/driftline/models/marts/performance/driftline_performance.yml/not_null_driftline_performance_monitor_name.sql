
    
    



select monitor_name
from "warehouse"."main_driftline"."driftline_performance"
where monitor_name is null


