
        
            delete from "warehouse"."main_driftline"."driftline_window_profiles" as DBT_INCREMENTAL_TARGET
            using "driftline_window_profiles__dbt_tmp20261122011543671785"
            where (
                
                    "driftline_window_profiles__dbt_tmp20261122011543671785".monitor_name = DBT_INCREMENTAL_TARGET.monitor_name
                    and 
                
                    "driftline_window_profiles__dbt_tmp20261122011543671785".window_start = DBT_INCREMENTAL_TARGET.window_start
                    
                
                
            );
        
    

    insert into "warehouse"."main_driftline"."driftline_window_profiles" ("monitor_name", "reference_id", "window_start", "window_end", "segment_name", "segment_value", "feature_index", "feature_name", "feature_kind", "feature_role", "bin_index", "category", "n_rows", "n_finite", "sum_value", "sum_squares", "min_value", "max_value")
    (
        select "monitor_name", "reference_id", "window_start", "window_end", "segment_name", "segment_value", "feature_index", "feature_name", "feature_kind", "feature_role", "bin_index", "category", "n_rows", "n_finite", "sum_value", "sum_squares", "min_value", "max_value"
        from "driftline_window_profiles__dbt_tmp20261122011543671785"
    )
  