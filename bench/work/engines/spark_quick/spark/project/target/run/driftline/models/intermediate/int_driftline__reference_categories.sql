
    
      insert overwrite table bench_driftline.int_driftline__reference_categories
      partition (monitor_name)
    
    select `reference_id`, `feature_name`, `category`, `n_reference`, `category_rank`, `category_bin`, `monitor_name` from int_driftline__reference_categories__dbt_tmp

