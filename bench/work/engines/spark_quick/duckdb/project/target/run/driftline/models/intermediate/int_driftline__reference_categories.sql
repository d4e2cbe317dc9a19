
        
            delete from "warehouse"."main_driftline"."int_driftline__reference_categories"
            where (
                monitor_name) in (
                select (monitor_name)
                from "int_driftline__reference_categories__dbt_tmp20261122045638360507"
            );

        
    

    insert into "warehouse"."main_driftline"."int_driftline__reference_categories" ("monitor_name", "reference_id", "feature_name", "category", "n_reference", "category_rank", "category_bin")
    (
        select "monitor_name", "reference_id", "feature_name", "category", "n_reference", "category_rank", "category_bin"
        from "int_driftline__reference_categories__dbt_tmp20261122045638360507"
    )
  