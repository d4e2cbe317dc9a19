
    
      
    

    create  table
      "warehouse"."main_driftline"."driftline_retrain_signals__dbt_tmp"
  
  (
    monitor_name varchar,
    as_of_window timestamp,
    latest_window_end timestamp,
    should_retrain boolean,
    is_blocked boolean,
    reasons varchar,
    blockers varchar,
    drift_alert_ids varchar,
    performance_alert_ids varchar,
    incident_alert_ids varchar,
    candidate_window_start timestamp,
    candidate_window_end timestamp,
    n_new_labelled_rows double,
    min_new_labelled_rows integer,
    champion_version varchar,
    last_retrained_at timestamp,
    manual_requested_at timestamp,
    retraining_configured boolean
    
    )
 ;
    
    
    insert into "warehouse"."main_driftline"."driftline_retrain_signals__dbt_tmp" 
  (
    
      
      
      monitor_name ,
    
      
      
      as_of_window ,
    
      
      
      latest_window_end ,
    
      
      
      should_retrain ,
    
      
      
      is_blocked ,
    
      
      
      reasons ,
    
      
      
      blockers ,
    
      
      
      drift_alert_ids ,
    
      
      
      performance_alert_ids ,
    
      
      
      incident_alert_ids ,
    
      
      
      candidate_window_start ,
    
      
      
      candidate_window_end ,
    
      
      
      n_new_labelled_rows ,
    
      
      
      min_new_labelled_rows ,
    
      
      
      champion_version ,
    
      
      
      last_retrained_at ,
    
      
      
      manual_requested_at ,
    
      
      
      retraining_configured 
    
  )
 (
      
    select monitor_name, as_of_window, latest_window_end, should_retrain, is_blocked, reasons, blockers, drift_alert_ids, performance_alert_ids, incident_alert_ids, candidate_window_start, candidate_window_end, n_new_labelled_rows, min_new_labelled_rows, champion_version, last_retrained_at, manual_requested_at, retraining_configured
    from (
        with

candidates as (
    select * from "warehouse"."main_driftline"."int_driftline__alert_candidates"
),

performance as (
    select * from "warehouse"."main_driftline"."driftline_performance"
),

quality as (
    select * from "warehouse"."main_driftline"."driftline_data_quality"
),

settings as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as TEXT) as window_unit,
        0 as retraining_configured,
        0 as sustained_windows,
        0 as window_days,
        0 as min_new_labelled_rows,
        0 as cooldown_days,
        cast(null as integer) as schedule_days,
        cast(null as TEXT) as primary_metric
    where 1 = 0
    union all
    select
        'bench',
        'day',
        0,
        3,
        60,
        500,
        7,
        null,
        'roc_auc'
),

latest as (
    select monitor_name, max(window_start) as latest_window
    from quality
    where check_name = 'volume_ratio'
    group by monitor_name
),

champions as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as TEXT) as model_version,
        cast(null as timestamp) as retrained_at,
        cast(null as timestamp) as training_end
    where 1 = 0
),

open_requests as (
    select cast(null as TEXT) as monitor_name, cast(null as timestamp) as requested_at
    where 1 = 0
),

state as (
    select
        settings.*,
        latest.latest_window,
        case settings.monitor_name
            when 'bench' then 

    (latest.latest_window + cast(1 as bigint) * interval 1 day)
        end as latest_window_end,
        champions.model_version as champion_version,
        champions.retrained_at,
        champions.training_end,
        open_requests.requested_at
    from settings
    inner join latest on latest.monitor_name = settings.monitor_name
    left join champions on champions.monitor_name = settings.monitor_name
    left join open_requests on open_requests.monitor_name = settings.monitor_name
),

windows as (
    select
        state.*,
        

    (state.latest_window_end + cast(-1 * state.window_days as bigint) * interval 1 day) as candidate_start
    from state
),

-- reasons --------------------------------------------------------------------------------

drift_reasons as (
    select candidates.monitor_name, candidates.alert_id
    from candidates
    inner join windows on windows.monitor_name = candidates.monitor_name
    where candidates.kind = 'drift' and candidates.severity = 'critical'
        and candidates.segment_name = '__all__'
        and candidates.window_start = windows.latest_window
        and candidates.consecutive_windows >= windows.sustained_windows
),

latest_mature as (
    select performance.monitor_name, max(performance.window_start) as window_start
    from performance
    inner join settings on settings.monitor_name = performance.monitor_name and settings.primary_metric = performance.metric
    where performance.is_mature and performance.value is not null and performance.segment_name = '__all__'
    group by performance.monitor_name
),

performance_reasons as (
    select candidates.monitor_name, candidates.alert_id
    from candidates
    inner join latest_mature
        on latest_mature.monitor_name = candidates.monitor_name and latest_mature.window_start = candidates.window_start
    where candidates.kind = 'performance' and candidates.severity = 'critical' and candidates.segment_name = '__all__'
),

-- blockers -------------------------------------------------------------------------------

incident_blockers as (
    select candidates.monitor_name, candidates.alert_id
    from candidates
    inner join windows on windows.monitor_name = candidates.monitor_name
    where candidates.kind in ('data_quality', 'volume', 'schema') and candidates.severity = 'critical'
        and candidates.segment_name = '__all__'
        and candidates.statistic <> 'orphan_labels'
        and candidates.window_start >= windows.candidate_start
        and candidates.window_start < windows.latest_window_end
),

labelled_rows as (
    select performance.monitor_name, sum(performance.n_labelled) as n_labelled
    from performance
    inner join windows on windows.monitor_name = performance.monitor_name
    where performance.segment_name = '__all__' and performance.id_set = 'own'
        and performance.metric = windows.primary_metric
        and performance.window_start >= windows.candidate_start
        and (windows.training_end is null or performance.window_start >= windows.training_end)
        and performance.model_version = (
            select max(p.model_version) from performance as p
            where p.monitor_name = performance.monitor_name and p.window_start = performance.window_start
                and p.segment_name = '__all__' and p.id_set = 'own' and p.metric = performance.metric
        )
    group by performance.monitor_name
),

decided as (
    select
        windows.*,
        coalesce(labelled_rows.n_labelled, 0) as n_new_labelled_rows,
        case when exists (select 1 from drift_reasons where drift_reasons.monitor_name = windows.monitor_name) then 1 else 0 end as has_drift,
        case when exists (select 1 from performance_reasons where performance_reasons.monitor_name = windows.monitor_name) then 1 else 0 end as has_performance,
        case when windows.schedule_days is not null and (windows.retrained_at is null
            or 

    (windows.retrained_at + cast(windows.schedule_days as bigint) * interval 1 day) <= windows.latest_window_end) then 1 else 0 end as has_schedule,
        case when windows.requested_at is not null then 1 else 0 end as has_manual,
        case when windows.retraining_configured = 1 and windows.champion_version is null then 1 else 0 end as has_no_champion,
        case when exists (select 1 from incident_blockers where incident_blockers.monitor_name = windows.monitor_name) then 1 else 0 end as has_incident,
        case when coalesce(labelled_rows.n_labelled, 0) < windows.min_new_labelled_rows then 1 else 0 end as has_too_few_labels,
        case when windows.retrained_at is not null
            and 

    (windows.retrained_at + cast(windows.cooldown_days as bigint) * interval 1 day) > windows.latest_window_end then 1 else 0 end as has_cooldown
    from windows
    left join labelled_rows on labelled_rows.monitor_name = windows.monitor_name
),

listed as (
    select monitor_name, 'reason' as side, 1 as position, 'drift_sustained' as item from decided where has_drift = 1
    union all select monitor_name, 'reason', 2, 'performance' from decided where has_performance = 1
    union all select monitor_name, 'reason', 3, 'schedule' from decided where has_schedule = 1
    union all select monitor_name, 'reason', 4, 'manual' from decided where has_manual = 1
    union all select monitor_name, 'reason', 5, 'no_champion' from decided where has_no_champion = 1
    union all select monitor_name, 'blocker', 1, 'data_incident' from decided where has_incident = 1
    union all select monitor_name, 'blocker', 2, 'too_few_labels' from decided where has_too_few_labels = 1
    union all select monitor_name, 'blocker', 3, 'cooldown' from decided where has_cooldown = 1
),

final as (
    select
        cast(decided.monitor_name as TEXT) as monitor_name,
        cast(decided.latest_window as timestamp) as as_of_window,
        cast(decided.latest_window_end as timestamp) as latest_window_end,
        cast(case when (has_drift + has_performance + has_schedule + has_manual + has_no_champion) > 0
            and (has_incident + has_too_few_labels + has_cooldown) = 0 then true else false end as boolean) as should_retrain,
        cast(case when (has_drift + has_performance + has_schedule + has_manual + has_no_champion) > 0
            and (has_incident + has_too_few_labels + has_cooldown) > 0 then true else false end as boolean) as is_blocked,
        cast((select 
    string_agg(
        listed.item,
        ','
        order by listed.position
        )
         from listed where listed.monitor_name = decided.monitor_name and listed.side = 'reason') as TEXT) as reasons,
        cast((select 
    string_agg(
        listed.item,
        ','
        order by listed.position
        )
         from listed where listed.monitor_name = decided.monitor_name and listed.side = 'blocker') as TEXT) as blockers,
        cast((select 
    string_agg(
        drift_reasons.alert_id,
        ','
        order by drift_reasons.alert_id
        )
         from drift_reasons where drift_reasons.monitor_name = decided.monitor_name) as TEXT) as drift_alert_ids,
        cast((select 
    string_agg(
        performance_reasons.alert_id,
        ','
        order by performance_reasons.alert_id
        )
         from performance_reasons where performance_reasons.monitor_name = decided.monitor_name) as TEXT) as performance_alert_ids,
        cast((select 
    string_agg(
        incident_blockers.alert_id,
        ','
        order by incident_blockers.alert_id
        )
         from incident_blockers where incident_blockers.monitor_name = decided.monitor_name) as TEXT) as incident_alert_ids,
        cast(decided.candidate_start as timestamp) as candidate_window_start,
        cast(decided.latest_window_end as timestamp) as candidate_window_end,
        cast(decided.n_new_labelled_rows as double precision) as n_new_labelled_rows,
        cast(decided.min_new_labelled_rows as integer) as min_new_labelled_rows,
        cast(decided.champion_version as TEXT) as champion_version,
        cast(decided.retrained_at as timestamp) as last_retrained_at,
        cast(decided.requested_at as timestamp) as manual_requested_at,
        cast(decided.retraining_configured = 1 as boolean) as retraining_configured
    from decided
)

select * from final
    ) as model_subq
    );
  