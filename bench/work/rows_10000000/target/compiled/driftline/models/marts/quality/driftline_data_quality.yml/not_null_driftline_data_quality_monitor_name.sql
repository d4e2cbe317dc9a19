
    
    



select monitor_name
from "warehouse"."main_driftline"."driftline_data_quality"
where monitor_name is null


