
        
            delete from "warehouse"."main_driftline"."driftline_alerts"
            where (
                alert_id) in (
                select (alert_id)
                from "driftline_alerts__dbt_tmp20261122010106574098"
            );

        
    

    insert into "warehouse"."main_driftline"."driftline_alerts" ("alert_id", "kind", "monitor_name", "reference_id", "window_start", "window_end", "segment_name", "segment_value", "feature_name", "statistic", "value", "threshold", "n_ref", "n_cur", "severity", "consecutive_windows", "status", "detail", "first_detected_at", "last_evaluated_at")
    (
        select "alert_id", "kind", "monitor_name", "reference_id", "window_start", "window_end", "segment_name", "segment_value", "feature_name", "statistic", "value", "threshold", "n_ref", "n_cur", "severity", "consecutive_windows", "status", "detail", "first_detected_at", "last_evaluated_at"
        from "driftline_alerts__dbt_tmp20261122010106574098"
    )
  