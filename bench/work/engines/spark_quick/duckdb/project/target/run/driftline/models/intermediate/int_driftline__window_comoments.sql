
        
            delete from "warehouse"."main_driftline"."int_driftline__window_comoments"
            where (
                monitor_name, window_start) in (
                select (monitor_name, window_start)
                from "int_driftline__window_comoments__dbt_tmp20261122045638734030"
            );

        
    

    insert into "warehouse"."main_driftline"."int_driftline__window_comoments" ("monitor_name", "reference_id", "window_start", "segment_name", "segment_value", "feature_a", "feature_b", "n_pairs", "sum_a", "sum_b", "sum_aa", "sum_bb", "sum_ab")
    (
        select "monitor_name", "reference_id", "window_start", "segment_name", "segment_value", "feature_a", "feature_b", "n_pairs", "sum_a", "sum_b", "sum_aa", "sum_bb", "sum_ab"
        from "int_driftline__window_comoments__dbt_tmp20261122045638734030"
    )
  