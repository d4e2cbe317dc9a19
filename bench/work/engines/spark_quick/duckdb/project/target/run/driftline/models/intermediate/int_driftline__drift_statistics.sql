
        
            delete from "warehouse"."main_driftline"."int_driftline__drift_statistics"
            where (
                monitor_name, window_start) in (
                select (monitor_name, window_start)
                from "int_driftline__drift_statistics__dbt_tmp20261122045640269626"
            );

        
    

    insert into "warehouse"."main_driftline"."int_driftline__drift_statistics" ("monitor_name", "reference_id", "window_start", "window_end", "segment_name", "segment_value", "feature_name", "feature_kind", "feature_role", "n_cur", "n_cur_finite", "n_cur_unseen", "n_ref", "n_ref_finite", "reference_stddev", "psi", "js_distance", "ks_d", "wasserstein", "unseen_share")
    (
        select "monitor_name", "reference_id", "window_start", "window_end", "segment_name", "segment_value", "feature_name", "feature_kind", "feature_role", "n_cur", "n_cur_finite", "n_cur_unseen", "n_ref", "n_ref_finite", "reference_stddev", "psi", "js_distance", "ks_d", "wasserstein", "unseen_share"
        from "int_driftline__drift_statistics__dbt_tmp20261122045640269626"
    )
  