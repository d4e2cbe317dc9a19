{#-
  Every breach that becomes an alert, with its stable id (a hash of kind, monitor, window,
  slice, column and statistic, so re-runs update rather than duplicate it):

    drift          judged drift statistics (int_driftline__drift_breaches)
    data_quality   null rate, out-of-range, unseen categories, orphan labels at warn or critical
    volume         volume ratio at warn or critical
    schema         a profiled column that disappeared or changed type
    performance    realized primary metric on a mature window, with enough labelled rows:
                   beyond thresholds.performance_floor (critical), or worse than the reference
                   windows' mean by the performance_drop thresholds
    label_coverage a window past its label horizon whose coverage stayed below
                   labels.mature_coverage (critical below half of it)

  Drift, data-quality and volume breaches of windows older than the current reference are
  not alerts: after a retrain the reference moves to the champion's training window, and
  history judged against a later baseline is not actionable (alerts those windows raised
  under the previous reference are kept, resolved, by driftline_alerts).
-#}
{%- set monitors = driftline.get_monitors() -%}

with

breaches as (
    select * from {{ ref('int_driftline__drift_breaches') }}
),

quality as (
    select * from {{ ref('driftline_data_quality') }}
),

performance as (
    select * from {{ ref('driftline_performance') }}
),

reference_windows as (
    select * from {{ ref('int_driftline__references') }}
),

thresholds as (
    {{ driftline.thresholds_relation(monitors) }}
),

judged_metrics as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as metric,
        cast(null as {{ driftline.type_double() }}) as floor_value,
        1 as higher_is_better,
        cast(null as {{ driftline.type_double() }}) as mature_coverage
    where 1 = 0
    {%- for monitor in monitors if monitor.label_relation is not none %}
    {%- set metric = driftline.primary_metric(monitor.decl) %}
    union all
    select {{ driftline.literal(monitor.name) }}, {{ driftline.literal(metric) }},
        {{ monitor.decl['thresholds']['performance_floor'] if monitor.decl['thresholds']['performance_floor'] is not none else 'null' }},
        {{ 1 if driftline.higher_is_better(metric) else 0 }},
        {{ monitor.decl['labels']['mature_coverage'] }}
    {%- endfor %}
),

judged_performance as (
    select
        performance.*,
        judged_metrics.floor_value,
        judged_metrics.higher_is_better,
        judged_metrics.mature_coverage,
        case when performance.window_start >= reference_windows.reference_start
            and performance.window_start < reference_windows.reference_end then 1 else 0 end as is_reference_window,
        reference_windows.reference_id,
        by_monitor.min_window_rows
    from performance
    inner join judged_metrics
        on judged_metrics.monitor_name = performance.monitor_name and judged_metrics.metric = performance.metric
    inner join reference_windows on reference_windows.monitor_name = performance.monitor_name
    inner join thresholds as by_monitor
        on by_monitor.monitor_name = performance.monitor_name and by_monitor.feature_name = '*'
        and by_monitor.statistic = 'performance_drop'
    where performance.id_set = 'own'
),

reference_performance as (
    select monitor_name, model_version, segment_name, segment_value, avg(value) as reference_value
    from judged_performance
    where is_reference_window = 1 and is_mature and value is not null and n_labelled >= min_window_rows
    group by monitor_name, model_version, segment_name, segment_value
),

performance_breaches as (
    select
        'performance' as kind,
        judged_performance.monitor_name, judged_performance.reference_id,
        judged_performance.window_start, judged_performance.window_end,
        judged_performance.segment_name, judged_performance.segment_value,
        judged_performance.model_version as feature_name,
        judged_performance.metric as statistic,
        judged_performance.value,
        judged_performance.floor_value as threshold,
        cast(judged_performance.n_predictions as {{ dbt.type_bigint() }}) as n_ref,
        cast(judged_performance.n_labelled as {{ dbt.type_bigint() }}) as n_cur,
        'critical' as severity
    from judged_performance
    where judged_performance.is_mature and judged_performance.value is not null
        and judged_performance.n_labelled >= judged_performance.min_window_rows
        and judged_performance.floor_value is not null
        and ((judged_performance.higher_is_better = 1 and judged_performance.value < judged_performance.floor_value)
            or (judged_performance.higher_is_better = 0 and judged_performance.value > judged_performance.floor_value))
    union all
    select
        'performance',
        judged_performance.monitor_name, judged_performance.reference_id,
        judged_performance.window_start, judged_performance.window_end,
        judged_performance.segment_name, judged_performance.segment_value,
        judged_performance.model_version,
        {{ dbt.concat(['judged_performance.metric', "'_drop'"]) }},
        drops.drop_value,
        case when drops.drop_value >= drops.threshold_critical then drops.threshold_critical else drops.threshold_warn end,
        cast(judged_performance.n_predictions as {{ dbt.type_bigint() }}),
        cast(judged_performance.n_labelled as {{ dbt.type_bigint() }}),
        case when drops.drop_value >= drops.threshold_critical then 'critical' else 'warn' end
    from judged_performance
    inner join (
        select
            judged_performance.monitor_name, judged_performance.model_version, judged_performance.window_start,
            judged_performance.segment_name, judged_performance.segment_value,
            case when judged_performance.higher_is_better = 1
                then reference_performance.reference_value - judged_performance.value
                else judged_performance.value - reference_performance.reference_value end as drop_value,
            thresholds.threshold_warn, thresholds.threshold_critical
        from judged_performance
        inner join reference_performance
            on reference_performance.monitor_name = judged_performance.monitor_name
            and reference_performance.model_version = judged_performance.model_version
            and reference_performance.segment_name = judged_performance.segment_name
            and reference_performance.segment_value = judged_performance.segment_value
        inner join thresholds
            on thresholds.monitor_name = judged_performance.monitor_name and thresholds.feature_name = '*'
            and thresholds.statistic = 'performance_drop'
        where judged_performance.is_mature and judged_performance.value is not null
            and judged_performance.n_labelled >= judged_performance.min_window_rows
    ) as drops
        on drops.monitor_name = judged_performance.monitor_name
        and drops.model_version = judged_performance.model_version
        and drops.window_start = judged_performance.window_start
        and drops.segment_name = judged_performance.segment_name
        and drops.segment_value = judged_performance.segment_value
    where drops.drop_value >= drops.threshold_warn
),

coverage_breaches as (
    select
        'label_coverage' as kind,
        monitor_name, reference_id, window_start, window_end, segment_name, segment_value,
        model_version as feature_name,
        'label_coverage' as statistic,
        label_coverage as value,
        mature_coverage as threshold,
        cast(n_predictions as {{ dbt.type_bigint() }}) as n_ref,
        cast(n_labelled as {{ dbt.type_bigint() }}) as n_cur,
        case when label_coverage < mature_coverage / 2 then 'critical' else 'warn' end as severity
    from judged_performance
    where is_mature and label_coverage < mature_coverage and segment_name = '__all__'
),

candidates as (
    select
        'drift' as kind, breaches.monitor_name, breaches.reference_id, breaches.window_start, breaches.window_end,
        breaches.segment_name, breaches.segment_value, breaches.feature_name, breaches.statistic, breaches.value,
        case when breaches.severity = 'critical' then breaches.threshold_critical else breaches.threshold_warn end as threshold,
        cast(breaches.n_ref as {{ dbt.type_bigint() }}) as n_ref, cast(breaches.n_cur as {{ dbt.type_bigint() }}) as n_cur,
        breaches.severity
    from breaches
    left join reference_windows on reference_windows.monitor_name = breaches.monitor_name
    where reference_windows.reference_start is null or breaches.window_start >= reference_windows.reference_start
    union all
    select
        case quality.check_name when 'volume_ratio' then 'volume' when 'schema' then 'schema' else 'data_quality' end,
        quality.monitor_name, quality.reference_id, quality.window_start, quality.window_end,
        quality.segment_name, quality.segment_value, quality.feature_name, quality.check_name, quality.value,
        case when quality.status = 'critical' then quality.threshold_critical else quality.threshold_warn end,
        cast(quality.n_ref as {{ dbt.type_bigint() }}), cast(quality.n_cur as {{ dbt.type_bigint() }}), quality.status
    from quality
    left join reference_windows on reference_windows.monitor_name = quality.monitor_name
    where quality.status in ('warn', 'critical')
        and (quality.check_name = 'schema' or reference_windows.reference_start is null
            or quality.window_start >= reference_windows.reference_start)
    union all
    select * from performance_breaches
    union all
    select * from coverage_breaches
),

window_index as (
    select monitor_name, window_start, dense_rank() over (partition by monitor_name order by window_start) as window_number
    from (select distinct monitor_name, window_start from quality where check_name = 'volume_ratio') as windows
),

islands as (
    select
        candidates.*,
        coalesce(window_index.window_number, 0)
            - row_number() over (partition by candidates.kind, candidates.monitor_name, candidates.segment_name,
                candidates.segment_value, candidates.feature_name, candidates.statistic order by candidates.window_start) as island
    from candidates
    left join window_index
        on window_index.monitor_name = candidates.monitor_name and window_index.window_start = candidates.window_start
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            'kind', "'|'", 'monitor_name', "'|'", 'cast(window_start as ' ~ dbt.type_string() ~ ')', "'|'",
            'segment_name', "'|'", 'segment_value', "'|'", 'feature_name', "'|'", 'statistic'])) }} as alert_id,
        kind, monitor_name, reference_id, window_start, window_end, segment_name, segment_value,
        feature_name, statistic, value, threshold, n_ref, n_cur, severity,
        row_number() over (partition by kind, monitor_name, segment_name, segment_value, feature_name, statistic, island
            order by window_start) as consecutive_windows
    from islands
)

select * from final
