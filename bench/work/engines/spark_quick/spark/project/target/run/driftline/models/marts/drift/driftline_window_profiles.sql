
    
      insert overwrite table bench_driftline.driftline_window_profiles
      partition (monitor_name,window_start)
    
    select `reference_id`, `window_end`, `segment_name`, `segment_value`, `feature_index`, `feature_name`, `feature_kind`, `feature_role`, `bin_index`, `category`, `n_rows`, `n_finite`, `sum_value`, `sum_squares`, `min_value`, `max_value`, `monitor_name`, `window_start` from driftline_window_profiles__dbt_tmp

