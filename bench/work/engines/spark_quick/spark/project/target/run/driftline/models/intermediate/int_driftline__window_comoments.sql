
    
      insert overwrite table bench_driftline.int_driftline__window_comoments
      partition (monitor_name,window_start)
    
    select `reference_id`, `segment_name`, `segment_value`, `feature_a`, `feature_b`, `n_pairs`, `sum_a`, `sum_b`, `sum_aa`, `sum_bb`, `sum_ab`, `monitor_name`, `window_start` from int_driftline__window_comoments__dbt_tmp

