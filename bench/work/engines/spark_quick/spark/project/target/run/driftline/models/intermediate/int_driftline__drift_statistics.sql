
    
      insert overwrite table bench_driftline.int_driftline__drift_statistics
      partition (monitor_name,window_start)
    
    select `reference_id`, `window_end`, `segment_name`, `segment_value`, `feature_name`, `feature_kind`, `feature_role`, `n_cur`, `n_cur_finite`, `n_cur_unseen`, `n_ref`, `n_ref_finite`, `reference_stddev`, `psi`, `js_distance`, `ks_d`, `wasserstein`, `unseen_share`, `monitor_name`, `window_start` from int_driftline__drift_statistics__dbt_tmp

