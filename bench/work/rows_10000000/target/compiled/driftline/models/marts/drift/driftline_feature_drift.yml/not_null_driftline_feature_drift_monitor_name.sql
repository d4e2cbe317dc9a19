
    
    



select monitor_name
from "warehouse"."main_driftline"."driftline_feature_drift"
where monitor_name is null


