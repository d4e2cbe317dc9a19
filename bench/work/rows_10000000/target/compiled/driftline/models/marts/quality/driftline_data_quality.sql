with

window_profiles as (
    select * from "warehouse"."main_driftline"."driftline_window_profiles"
),

reference_profiles as (
    select * from "warehouse"."main_driftline"."driftline_reference_profiles"
),

reference_windows as (
    select * from "warehouse"."main_driftline"."int_driftline__references"
),

bins as (
    select * from "warehouse"."main_driftline"."int_driftline__reference_bins"
),

drift as (
    select * from "warehouse"."main_driftline"."int_driftline__drift_statistics"
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

overflow_bins as (
    select monitor_name, reference_id, feature_name, max(bin_index) as overflow_bin
    from bins
    where feature_kind = 'numeric'
    group by monitor_name, reference_id, feature_name
),

window_counts as (
    select
        window_profiles.monitor_name, window_profiles.reference_id, window_profiles.window_start,
        window_profiles.window_end, window_profiles.segment_name, window_profiles.segment_value,
        window_profiles.feature_name, window_profiles.feature_kind,
        sum(window_profiles.n_rows) as n_cur,
        sum(case when window_profiles.bin_index = -1 then window_profiles.n_rows else 0 end) as n_null,
        sum(case when window_profiles.feature_kind = 'numeric'
                and (window_profiles.bin_index = 0 or window_profiles.bin_index = overflow_bins.overflow_bin)
            then window_profiles.n_rows else 0 end) as n_out_of_range
    from window_profiles
    left join overflow_bins
        on overflow_bins.monitor_name = window_profiles.monitor_name
        and overflow_bins.reference_id = window_profiles.reference_id
        and overflow_bins.feature_name = window_profiles.feature_name
    group by window_profiles.monitor_name, window_profiles.reference_id, window_profiles.window_start,
        window_profiles.window_end, window_profiles.segment_name, window_profiles.segment_value,
        window_profiles.feature_name, window_profiles.feature_kind
),

reference_counts as (
    select monitor_name, segment_name, segment_value, feature_name,
        max(reference_rows) as n_ref,
        max(reference_nulls) as n_ref_null
    from reference_profiles
    group by monitor_name, segment_name, segment_value, feature_name
),

column_checks as (
    select
        window_counts.*,
        coalesce(reference_counts.n_ref, 0) as n_ref,
        coalesce(reference_counts.n_ref_null, 0) as n_ref_null
    from window_counts
    left join reference_counts
        on reference_counts.monitor_name = window_counts.monitor_name
        and reference_counts.segment_name = window_counts.segment_name
        and reference_counts.segment_value = window_counts.segment_value
        and reference_counts.feature_name = window_counts.feature_name
),

-- volume: every window between a monitor's first and last, empty ones included ----------

window_rows as (
    select monitor_name, reference_id, window_start, window_end, segment_name, segment_value, max(n_cur) as n_cur
    from window_counts
    group by monitor_name, reference_id, window_start, window_end, segment_name, segment_value
),

monitor_span as (
    select monitor_name, reference_id, min(window_start) as first_window, max(window_start) as last_window
    from window_rows
    group by monitor_name, reference_id
),

offsets as (
    select d1.d + 10 * d2.d + 100 * d3.d + 1000 * d4.d as n
    from (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d1
    cross join (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d2
    cross join (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d3
    cross join (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d4
),

calendar as (
    
    select
        monitor_span.monitor_name,
        monitor_span.reference_id,
        

    (monitor_span.first_window + cast(offsets.n as bigint) * interval 1 day) as window_start,
        

    (monitor_span.first_window + cast(offsets.n + 1 as bigint) * interval 1 day) as window_end
    from monitor_span
    cross join offsets
    where monitor_span.monitor_name = 'bench'
        and 

    (monitor_span.first_window + cast(offsets.n as bigint) * interval 1 day) <= monitor_span.last_window
),

reference_volume as (
    select
        window_rows.monitor_name, window_rows.segment_name, window_rows.segment_value,
        cast(sum(window_rows.n_cur) as double precision) / max(references_.n_reference_windows) as mean_reference_rows,
        sum(window_rows.n_cur) as n_ref
    from window_rows
    inner join reference_windows as references_
        on references_.monitor_name = window_rows.monitor_name
        and window_rows.window_start >= references_.reference_start
        and window_rows.window_start < references_.reference_end
    group by window_rows.monitor_name, window_rows.segment_name, window_rows.segment_value
),

volume_slices as (
    select calendar.monitor_name, calendar.reference_id, calendar.window_start, calendar.window_end,
        '__all__' as segment_name, '__all__' as segment_value
    from calendar
    union all
    select monitor_name, reference_id, window_start, window_end, segment_name, segment_value
    from window_rows
    where segment_name <> '__all__'
),

volume_checks as (
    select
        volume_slices.*,
        coalesce(window_rows.n_cur, 0) as n_cur,
        coalesce(reference_volume.n_ref, 0) as n_ref,
        reference_volume.mean_reference_rows
    from volume_slices
    left join window_rows
        on window_rows.monitor_name = volume_slices.monitor_name
        and window_rows.window_start = volume_slices.window_start
        and window_rows.segment_name = volume_slices.segment_name
        and window_rows.segment_value = volume_slices.segment_value
    left join reference_volume
        on reference_volume.monitor_name = volume_slices.monitor_name
        and reference_volume.segment_name = volume_slices.segment_name
        and reference_volume.segment_value = volume_slices.segment_value
),

-- labels that match no prediction, by the window they were delivered in ------------------

latest_labels as (
    select * from "warehouse"."main_driftline"."int_driftline__latest_labels"
),

scored_ids as (
    select distinct monitor_name, prediction_id
    from "warehouse"."main_driftline"."stg_driftline__predictions"
    where segment_name = '__all__'
),

label_deliveries as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as timestamp) as window_start,
        cast(null as timestamp) as window_end,
        0 as is_orphan
    where 1 = 0
),

orphan_labels as (
    select monitor_name, window_start, window_end, count(*) as n_labels, sum(is_orphan) as n_orphans
    from label_deliveries
    group by monitor_name, window_start, window_end
),

-- schema problems found while reading the log --------------------------------------------

schema_problems as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as TEXT) as feature_name,
        cast(null as TEXT) as detail
    where 1 = 0
),

checks as (
    select monitor_name, reference_id, window_start, window_end, segment_name, segment_value, feature_name,
        'null_rate' as check_name,
        cast(n_null as double precision) / n_cur as value,
        case when n_ref > 0 then cast(n_ref_null as double precision) / n_ref end as reference_value,
        cast(n_null as double precision) / n_cur
            - coalesce(cast(n_ref_null as double precision) / nullif(n_ref, 0), 0) as breach,
        n_ref, n_cur, cast(null as TEXT) as detail
    from column_checks
    union all
    select monitor_name, reference_id, window_start, window_end, segment_name, segment_value, feature_name,
        'out_of_range_share',
        case when n_cur > n_null then cast(n_out_of_range as double precision) / (n_cur - n_null) end,
        0,
        case when n_cur > n_null then cast(n_out_of_range as double precision) / (n_cur - n_null) end,
        n_ref, n_cur, null
    from column_checks
    where feature_kind = 'numeric'
    union all
    select monitor_name, reference_id, window_start, window_end, segment_name, segment_value, feature_name,
        'unseen_share', unseen_share, 0, unseen_share, n_ref, n_cur, null
    from drift
    where feature_kind = 'categorical'
    union all
    select monitor_name, reference_id, window_start, window_end, segment_name, segment_value, '__rows__',
        'volume_ratio',
        n_cur / nullif(mean_reference_rows, 0),
        1,
        abs(1 - n_cur / nullif(mean_reference_rows, 0)),
        n_ref, n_cur, null
    from volume_checks
    union all
    select orphan_labels.monitor_name, monitor_span.reference_id, orphan_labels.window_start, orphan_labels.window_end,
        '__all__', '__all__', '__labels__', 'orphan_labels',
        cast(orphan_labels.n_orphans as double precision) / orphan_labels.n_labels, 0,
        cast(orphan_labels.n_orphans as double precision) / orphan_labels.n_labels,
        orphan_labels.n_labels, orphan_labels.n_orphans, null
    from orphan_labels
    left join monitor_span on monitor_span.monitor_name = orphan_labels.monitor_name
    union all
    select schema_problems.monitor_name, monitor_span.reference_id, monitor_span.last_window,
        monitor_span.last_window, '__all__', '__all__', schema_problems.feature_name,
        'schema', 1, 0, 1, 0, 0, schema_problems.detail
    from schema_problems
    inner join monitor_span on monitor_span.monitor_name = schema_problems.monitor_name
),

final as (
    select
        checks.monitor_name,
        checks.reference_id,
        checks.window_start,
        checks.window_end,
        checks.segment_name,
        checks.segment_value,
        checks.feature_name,
        checks.check_name,
        1 as definition_version,
        checks.value,
        checks.reference_value,
        checks.n_ref,
        checks.n_cur,
        coalesce(by_feature.threshold_warn, by_monitor.threshold_warn) as threshold_warn,
        coalesce(by_feature.threshold_critical, by_monitor.threshold_critical) as threshold_critical,
        case
            when checks.check_name = 'schema' then 'critical'
            when checks.breach is null then 'undefined'
            when checks.breach >= coalesce(by_feature.threshold_critical, by_monitor.threshold_critical) then 'critical'
            when checks.breach >= coalesce(by_feature.threshold_warn, by_monitor.threshold_warn) then 'warn'
            else 'ok'
        end as status,
        checks.detail
    from checks
    left join thresholds as by_monitor
        on by_monitor.monitor_name = checks.monitor_name
        and by_monitor.feature_name = '*'
        and by_monitor.statistic = checks.check_name
    left join thresholds as by_feature
        on by_feature.monitor_name = checks.monitor_name
        and by_feature.feature_name = checks.feature_name
        and by_feature.statistic = checks.check_name
)

select * from final