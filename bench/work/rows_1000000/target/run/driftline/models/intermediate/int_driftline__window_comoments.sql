
        
            delete from "warehouse"."main_driftline"."int_driftline__window_comoments" as DBT_INCREMENTAL_TARGET
            using "int_driftline__window_comoments__dbt_tmp20261122010038270436"
            where (
                
                    "int_driftline__window_comoments__dbt_tmp20261122010038270436".monitor_name = DBT_INCREMENTAL_TARGET.monitor_name
                    and 
                
                    "int_driftline__window_comoments__dbt_tmp20261122010038270436".window_start = DBT_INCREMENTAL_TARGET.window_start
                    
                
                
            );
        
    

    insert into "warehouse"."main_driftline"."int_driftline__window_comoments" ("monitor_name", "reference_id", "window_start", "segment_name", "segment_value", "feature_a", "feature_b", "n_pairs", "sum_a", "sum_b", "sum_aa", "sum_bb", "sum_ab")
    (
        select "monitor_name", "reference_id", "window_start", "segment_name", "segment_value", "feature_a", "feature_b", "n_pairs", "sum_a", "sum_b", "sum_aa", "sum_bb", "sum_ab"
        from "int_driftline__window_comoments__dbt_tmp20261122010038270436"
    )
  