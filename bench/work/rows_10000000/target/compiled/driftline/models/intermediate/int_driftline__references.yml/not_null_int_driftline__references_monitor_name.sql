
    
    



select monitor_name
from "warehouse"."main_driftline"."int_driftline__references"
where monitor_name is null


