
        
            delete from "warehouse"."main_driftline"."driftline_performance" as DBT_INCREMENTAL_TARGET
            using "driftline_performance__dbt_tmp20261122011512038338"
            where (
                
                    "driftline_performance__dbt_tmp20261122011512038338".monitor_name = DBT_INCREMENTAL_TARGET.monitor_name
                    and 
                
                    "driftline_performance__dbt_tmp20261122011512038338".window_start = DBT_INCREMENTAL_TARGET.window_start
                    
                
                
            );
        
    

    insert into "warehouse"."main_driftline"."driftline_performance" ("monitor_name", "model_version", "window_start", "window_end", "segment_name", "segment_value", "id_set", "metric", "value", "estimated_value", "n_predictions", "n_labelled", "label_coverage", "n_revised", "label_delay_p50_days", "label_delay_p90_days", "as_of", "is_mature")
    (
        select "monitor_name", "model_version", "window_start", "window_end", "segment_name", "segment_value", "id_set", "metric", "value", "estimated_value", "n_predictions", "n_labelled", "label_coverage", "n_revised", "label_delay_p50_days", "label_delay_p90_days", "as_of", "is_mature"
        from "driftline_performance__dbt_tmp20261122011512038338"
    )
  