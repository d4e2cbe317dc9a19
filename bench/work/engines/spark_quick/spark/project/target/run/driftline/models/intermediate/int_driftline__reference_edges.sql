
    
      insert overwrite table bench_driftline.int_driftline__reference_edges
      partition (monitor_name)
    
    select `reference_id`, `feature_name`, `percentile`, `edge`, `monitor_name` from int_driftline__reference_edges__dbt_tmp

