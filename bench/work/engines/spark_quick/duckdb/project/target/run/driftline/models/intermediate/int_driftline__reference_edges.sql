
        
            delete from "warehouse"."main_driftline"."int_driftline__reference_edges"
            where (
                monitor_name) in (
                select (monitor_name)
                from "int_driftline__reference_edges__dbt_tmp20261122045638485186"
            );

        
    

    insert into "warehouse"."main_driftline"."int_driftline__reference_edges" ("monitor_name", "reference_id", "feature_name", "percentile", "edge")
    (
        select "monitor_name", "reference_id", "feature_name", "percentile", "edge"
        from "int_driftline__reference_edges__dbt_tmp20261122045638485186"
    )
  