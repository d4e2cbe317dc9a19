
    
    



select monitor_name
from "warehouse"."main_driftline"."driftline_retrain_signals"
where monitor_name is null


