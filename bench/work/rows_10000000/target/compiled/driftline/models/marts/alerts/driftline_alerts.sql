with

candidates as (
    select * from "warehouse"."main_driftline"."int_driftline__alert_candidates"
),

signals as (
    select * from "warehouse"."main_driftline"."driftline_retrain_signals"
),

incidents as (
    select
        md5(cast('data_incident|' || monitor_name || '|' || cast(as_of_window as TEXT) as TEXT)) as alert_id,
        'data_incident' as kind,
        monitor_name,
        cast(null as TEXT) as reference_id,
        as_of_window as window_start,
        latest_window_end as window_end,
        '__all__' as segment_name,
        '__all__' as segment_value,
        '__retrain__' as feature_name,
        'retrain_blocked' as statistic,
        cast(n_new_labelled_rows as double precision) as value,
        cast(min_new_labelled_rows as double precision) as threshold,
        cast(null as bigint) as n_ref,
        cast(n_new_labelled_rows as bigint) as n_cur,
        'critical' as severity,
        1 as consecutive_windows,
        'retrain wanted for ' || reasons || ' but blocked by ' || blockers || case when incident_alert_ids is not null then ' (alerts ' || incident_alert_ids || ')' else '' end as detail
    from signals
    where is_blocked and incident_alert_ids is not null
),

evaluated as (
    select
        alert_id, kind, monitor_name, reference_id, window_start, window_end, segment_name, segment_value,
        feature_name, statistic, value, threshold, n_ref, n_cur, severity,
        cast(consecutive_windows as integer) as consecutive_windows,
        cast(null as TEXT) as detail
    from candidates
    union all
    select
        alert_id, kind, monitor_name, reference_id, window_start, window_end, segment_name, segment_value,
        feature_name, statistic, value, threshold, n_ref, n_cur, severity,
        cast(consecutive_windows as integer), detail
    from incidents
),

previous as (
    select * from "warehouse"."main_driftline"."driftline_alerts"
),

merged as (
    select
        evaluated.*,
        'open' as status,
        coalesce(previous.first_detected_at, now()) as first_detected_at
    from evaluated
    left join previous on previous.alert_id = evaluated.alert_id
    union all
    select
        previous.alert_id, previous.kind, previous.monitor_name, previous.reference_id, previous.window_start,
        previous.window_end, previous.segment_name, previous.segment_value, previous.feature_name,
        previous.statistic, previous.value, previous.threshold, previous.n_ref, previous.n_cur, previous.severity,
        previous.consecutive_windows, previous.detail,
        'resolved' as status,
        previous.first_detected_at
    from previous
    where previous.status = 'open'
        and not exists (select 1 from evaluated where evaluated.alert_id = previous.alert_id)
),

final as (
    select
        cast(alert_id as TEXT) as alert_id,
        cast(kind as TEXT) as kind,
        cast(monitor_name as TEXT) as monitor_name,
        cast(reference_id as TEXT) as reference_id,
        cast(window_start as timestamp) as window_start,
        cast(window_end as timestamp) as window_end,
        cast(segment_name as TEXT) as segment_name,
        cast(segment_value as TEXT) as segment_value,
        cast(feature_name as TEXT) as feature_name,
        cast(statistic as TEXT) as statistic,
        cast(value as double precision) as value,
        cast(threshold as double precision) as threshold,
        cast(n_ref as bigint) as n_ref,
        cast(n_cur as bigint) as n_cur,
        cast(severity as TEXT) as severity,
        cast(consecutive_windows as integer) as consecutive_windows,
        cast(status as TEXT) as status,
        cast(detail as TEXT) as detail,
        cast(first_detected_at as timestamp) as first_detected_at,
        cast(now() as timestamp) as last_evaluated_at
    from merged
)

select * from final