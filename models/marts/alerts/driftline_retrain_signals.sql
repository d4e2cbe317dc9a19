{#-
  One retrain decision per monitor, as of its latest window. A drift signal is a question,
  not an answer: a retrain needs a reason and no blocker.

  reasons   drift_sustained   a critical drift alert in the latest window that has lasted
                              thresholds.sustained_windows windows or more (whole log)
            performance       a critical performance alert on the latest mature window
            schedule          retraining.schedule_days elapsed since the last retrain
            manual            a request in driftline_retrain_requests newer than the last retrain
            no_champion       retraining is declared and no model has been registered yet
  blockers  data_incident     a critical data-quality, volume or schema alert inside the
                              candidate training window (a broken feed is not trained on)
            too_few_labels    fewer than retraining.min_new_labelled_rows labelled predictions
                              in the candidate window since the champion's training window
            cooldown          the last retrain is less than retraining.cooldown_days old

  The candidate training window is the retraining.window_days days ending with the latest
  window. Alert ids behind every reason and blocker are listed; a blocked retrain raises a
  data_incident alert in driftline_alerts.

  The node's meta records the settings the Python runner shares with the package, as dbt
  resolved them (command line, then the project's vars): the runner reads them from the
  manifest, so both sides agree on where the registry lives.
-#}
{{ config(meta={
    'driftline_registry_schema': var('driftline_registry_schema', none),
    'driftline_top_k_categories': var('driftline_top_k_categories', 20),
}) }}
{%- set monitors = driftline.get_monitors() -%}
{%- set requests = driftline.registry_relation('driftline_retrain_requests') -%}

with

candidates as (
    select * from {{ ref('int_driftline__alert_candidates') }}
),

performance as (
    select * from {{ ref('driftline_performance') }}
),

quality as (
    select * from {{ ref('driftline_data_quality') }}
),

settings as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as window_unit,
        0 as retraining_configured,
        0 as sustained_windows,
        0 as window_days,
        0 as min_new_labelled_rows,
        0 as cooldown_days,
        cast(null as {{ dbt.type_int() }}) as schedule_days,
        cast(null as {{ dbt.type_string() }}) as primary_metric
    where 1 = 0
    {%- for monitor in monitors %}
    {%- set retraining = monitor.decl['retraining'] or {} %}
    union all
    select
        {{ driftline.literal(monitor.name) }},
        {{ driftline.literal(monitor.decl['window']) }},
        {{ 1 if monitor.decl['retraining'] is not none else 0 }},
        {{ monitor.decl['thresholds']['sustained_windows'] }},
        {{ retraining.get('window_days') or 60 }},
        {{ retraining.get('min_new_labelled_rows') if retraining.get('min_new_labelled_rows') is not none else 500 }},
        {{ retraining.get('cooldown_days') if retraining.get('cooldown_days') is not none else 7 }},
        {{ retraining.get('schedule_days') or 'null' }},
        {{ driftline.literal(driftline.primary_metric(monitor.decl)) }}
    {%- endfor %}
),

latest as (
    select monitor_name, max(window_start) as latest_window
    from quality
    where check_name = 'volume_ratio'
    group by monitor_name
),

champions as (
    select monitor_name, model_version, created_at as retrained_at, training_end
    from ({{ driftline.current_champions() }}) as champions
),

{% if requests is not none -%}
open_requests as (
    select requests.monitor_name, max(requests.requested_at) as requested_at
    from {{ requests }} as requests
    left join champions on champions.monitor_name = requests.monitor_name
    where champions.retrained_at is null or requests.requested_at > champions.retrained_at
    group by requests.monitor_name
),
{%- else -%}
open_requests as (
    select cast(null as {{ dbt.type_string() }}) as monitor_name, cast(null as {{ dbt.type_timestamp() }}) as requested_at
    where 1 = 0
),
{%- endif %}

state as (
    select
        settings.*,
        latest.latest_window,
        {%- for monitor in monitors %}{% if loop.first %}
        case settings.monitor_name{% endif %}
            when {{ driftline.literal(monitor.name) }} then {{ dbt.dateadd(monitor.decl['window'], 1, 'latest.latest_window') }}
        {%- if loop.last %}
        end as latest_window_end,{% endif %}{% endfor %}
        {%- if not monitors %}
        cast(null as {{ dbt.type_timestamp() }}) as latest_window_end,
        {%- endif %}
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
        {{ dbt.dateadd('day', '-1 * state.window_days', 'state.latest_window_end') }} as candidate_start
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
            or {{ dbt.dateadd('day', 'windows.schedule_days', 'windows.retrained_at') }} <= windows.latest_window_end) then 1 else 0 end as has_schedule,
        case when windows.requested_at is not null then 1 else 0 end as has_manual,
        case when windows.retraining_configured = 1 and windows.champion_version is null then 1 else 0 end as has_no_champion,
        case when exists (select 1 from incident_blockers where incident_blockers.monitor_name = windows.monitor_name) then 1 else 0 end as has_incident,
        case when coalesce(labelled_rows.n_labelled, 0) < windows.min_new_labelled_rows then 1 else 0 end as has_too_few_labels,
        case when windows.retrained_at is not null
            and {{ dbt.dateadd('day', 'windows.cooldown_days', 'windows.retrained_at') }} > windows.latest_window_end then 1 else 0 end as has_cooldown
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
        cast(decided.monitor_name as {{ dbt.type_string() }}) as monitor_name,
        cast(decided.latest_window as {{ dbt.type_timestamp() }}) as as_of_window,
        cast(decided.latest_window_end as {{ dbt.type_timestamp() }}) as latest_window_end,
        cast(case when (has_drift + has_performance + has_schedule + has_manual + has_no_champion) > 0
            and (has_incident + has_too_few_labels + has_cooldown) = 0 then true else false end as {{ dbt.type_boolean() }}) as should_retrain,
        cast(case when (has_drift + has_performance + has_schedule + has_manual + has_no_champion) > 0
            and (has_incident + has_too_few_labels + has_cooldown) > 0 then true else false end as {{ dbt.type_boolean() }}) as is_blocked,
        cast((select {{ driftline.listagg('listed.item', "','", 'listed.position') }}
         from listed where listed.monitor_name = decided.monitor_name and listed.side = 'reason') as {{ dbt.type_string() }}) as reasons,
        cast((select {{ driftline.listagg('listed.item', "','", 'listed.position') }}
         from listed where listed.monitor_name = decided.monitor_name and listed.side = 'blocker') as {{ dbt.type_string() }}) as blockers,
        cast((select {{ driftline.listagg('drift_reasons.alert_id', "','", 'drift_reasons.alert_id') }}
         from drift_reasons where drift_reasons.monitor_name = decided.monitor_name) as {{ dbt.type_string() }}) as drift_alert_ids,
        cast((select {{ driftline.listagg('performance_reasons.alert_id', "','", 'performance_reasons.alert_id') }}
         from performance_reasons where performance_reasons.monitor_name = decided.monitor_name) as {{ dbt.type_string() }}) as performance_alert_ids,
        cast((select {{ driftline.listagg('incident_blockers.alert_id', "','", 'incident_blockers.alert_id') }}
         from incident_blockers where incident_blockers.monitor_name = decided.monitor_name) as {{ dbt.type_string() }}) as incident_alert_ids,
        cast(decided.candidate_start as {{ dbt.type_timestamp() }}) as candidate_window_start,
        cast(decided.latest_window_end as {{ dbt.type_timestamp() }}) as candidate_window_end,
        cast(decided.n_new_labelled_rows as {{ driftline.type_double() }}) as n_new_labelled_rows,
        cast(decided.min_new_labelled_rows as {{ dbt.type_int() }}) as min_new_labelled_rows,
        cast(decided.champion_version as {{ dbt.type_string() }}) as champion_version,
        cast(decided.retrained_at as {{ dbt.type_timestamp() }}) as last_retrained_at,
        cast(decided.requested_at as {{ dbt.type_timestamp() }}) as manual_requested_at,
        cast(decided.retraining_configured = 1 as {{ dbt.type_boolean() }}) as retraining_configured
    from decided
)

select * from final
