
        
            delete from "warehouse"."main_driftline"."driftline_window_profiles"
            where (
                monitor_name, window_start) in (
                select (monitor_name, window_start)
                from "driftline_window_profiles__dbt_tmp20261122045639386273"
            );

        
    

    insert into "warehouse"."main_driftline"."driftline_window_profiles" ("monitor_name", "reference_id", "window_start", "window_end", "segment_name", "segment_value", "feature_index", "feature_name", "feature_kind", "feature_role", "bin_index", "category", "n_rows", "n_finite", "sum_value", "sum_squares", "min_value", "max_value")
    (
        select "monitor_name", "reference_id", "window_start", "window_end", "segment_name", "segment_value", "feature_index", "feature_name", "feature_kind", "feature_role", "bin_index", "category", "n_rows", "n_finite", "sum_value", "sum_squares", "min_value", "max_value"
        from "driftline_window_profiles__dbt_tmp20261122045639386273"
    )
  