
    

    create  table
      "warehouse"."main_driftline"."int_driftline__alert_candidates__dbt_tmp"
  
    
    as (
      with

breaches as (
    select * from "warehouse"."main_driftline"."int_driftline__drift_breaches"
),

quality as (
    select * from "warehouse"."main_driftline"."driftline_data_quality"
),

performance as (
    select * from "warehouse"."main_driftline"."driftline_performance"
),

reference_windows as (
    select * from "warehouse"."main_driftline"."int_driftline__references"
),

thresholds as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as TEXT) as feature_name,
        cast(null as TEXT) as statistic,
        cast(null as double precision) as threshold_warn,
        cast(null as double precision) as threshold_critical,
        cast(null as integer) as min_window_rows
    where 1 = 0
    union all select 'bench', '*', 'psi',
        0.1,
        0.25,
        100
    union all select 'bench', '*', 'js_distance',
        0.1,
        0.2,
        100
    union all select 'bench', '*', 'ks_d',
        0.1,
        0.2,
        100
    union all select 'bench', '*', 'wasserstein_norm',
        0.1,
        0.25,
        100
    union all select 'bench', '*', 'unseen_share',
        0.01,
        0.05,
        100
    union all select 'bench', '*', 'null_rate',
        0.05,
        0.2,
        100
    union all select 'bench', '*', 'out_of_range_share',
        0.02,
        0.1,
        100
    union all select 'bench', '*', 'volume_ratio',
        0.5,
        0.8,
        100
    union all select 'bench', '*', 'correlation_change',
        0.2,
        0.4,
        100
    union all select 'bench', '*', 'orphan_labels',
        0.01,
        0.05,
        100
    union all select 'bench', '*', 'performance_drop',
        0.05,
        0.1,
        100
    union all select 'bench', '*', 'label_coverage',
        0.0,
        0.5,
        100
),

judged_metrics as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as TEXT) as metric,
        cast(null as double precision) as floor_value,
        1 as higher_is_better,
        cast(null as double precision) as mature_coverage
    where 1 = 0
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
        cast(judged_performance.n_predictions as bigint) as n_ref,
        cast(judged_performance.n_labelled as bigint) as n_cur,
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
        judged_performance.metric || '_drop',
        drops.drop_value,
        case when drops.drop_value >= drops.threshold_critical then drops.threshold_critical else drops.threshold_warn end,
        cast(judged_performance.n_predictions as bigint),
        cast(judged_performance.n_labelled as bigint),
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
        cast(n_predictions as bigint) as n_ref,
        cast(n_labelled as bigint) as n_cur,
        case when label_coverage < mature_coverage / 2 then 'critical' else 'warn' end as severity
    from judged_performance
    where is_mature and label_coverage < mature_coverage and segment_name = '__all__'
),

candidates as (
    select
        'drift' as kind, monitor_name, reference_id, window_start, window_end, segment_name, segment_value,
        feature_name, statistic, value,
        case when severity = 'critical' then threshold_critical else threshold_warn end as threshold,
        cast(n_ref as bigint) as n_ref, cast(n_cur as bigint) as n_cur, severity
    from breaches
    union all
    select
        case check_name when 'volume_ratio' then 'volume' when 'schema' then 'schema' else 'data_quality' end,
        monitor_name, reference_id, window_start, window_end, segment_name, segment_value,
        feature_name, check_name, value,
        case when status = 'critical' then threshold_critical else threshold_warn end,
        cast(n_ref as bigint), cast(n_cur as bigint), status
    from quality
    where status in ('warn', 'critical')
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
        md5(cast(kind || '|' || monitor_name || '|' || cast(window_start as TEXT) || '|' || segment_name || '|' || segment_value || '|' || feature_name || '|' || statistic as TEXT)) as alert_id,
        kind, monitor_name, reference_id, window_start, window_end, segment_name, segment_value,
        feature_name, statistic, value, threshold, n_ref, n_cur, severity,
        row_number() over (partition by kind, monitor_name, segment_name, segment_value, feature_name, statistic, island
            order by window_start) as consecutive_windows
    from islands
)

select * from final
    );
    
  