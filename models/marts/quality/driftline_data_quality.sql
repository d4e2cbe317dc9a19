{{ config(
    materialized='incremental',
    incremental_strategy=driftline.incremental_strategy(),
    unique_key='monitor_name, window_start',
    partition_by=driftline.incremental_partition_by(['monitor_name', 'window_start']),
) }}
{#-
  Data-quality checks per monitor, window, segment slice and profiled column, against the
  reference. `value` is the window's figure, `reference_value` the reference's; status
  compares the change with the thresholds:

    null_rate           share of NULL (or NaN) values; breach on the increase over the reference
    out_of_range_share  share of non-NULL numeric values outside [reference min, reference max]
    unseen_share        share of categorical values the reference never had
    volume_ratio        rows in the window / mean rows per reference window (column '__rows__');
                        breach on |1 - ratio|; windows with no rows at all count as 0
    orphan_labels       share of the labels delivered in a window (by labelled_at) whose id matches
                        no prediction (column '__labels__'); counted, never silently dropped
    schema              a profiled column that disappeared from the log or changed type
                        (reported on the monitor's latest window; its values read as NULL)

  Incremental over the windows int_driftline__drift_statistics recomputes, reaching back by
  the label horizon for monitors with labels (orphans and label revisions keep arriving).
  An empty window just before that range keeps the volume row it was given when it was new.
-#}
{%- set monitors = driftline.get_monitors() -%}
{%- set references = driftline.current_references() -%}
{%- set since = driftline.incremental_since(references) -%}

with

window_profiles as (
    select * from {{ ref('driftline_window_profiles') }} as window_profiles
    where {{ driftline.recomputed_windows(monitors, references, since, 'window_profiles', labels=true) }}
),

reference_profiles as (
    select * from {{ ref('driftline_reference_profiles') }}
),

reference_windows as (
    select * from {{ ref('int_driftline__references') }}
),

bins as (
    select * from {{ ref('int_driftline__reference_bins') }}
),

drift as (
    select * from {{ ref('int_driftline__drift_statistics') }} as drift
    where {{ driftline.recomputed_windows(monitors, references, since, 'drift', labels=true) }}
),

thresholds as (
    {{ driftline.thresholds_relation(monitors) }}
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
    {{ driftline.integers_below_10000() }}
),

calendar as (
    {%- for monitor in monitors %}
    {% if not loop.first %}union all{% endif %}
    select
        monitor_span.monitor_name,
        monitor_span.reference_id,
        {{ dbt.dateadd(monitor.decl['window'], 'offsets.n', 'monitor_span.first_window') }} as window_start,
        {{ dbt.dateadd(monitor.decl['window'], 'offsets.n + 1', 'monitor_span.first_window') }} as window_end
    from monitor_span
    cross join offsets
    where monitor_span.monitor_name = {{ driftline.literal(monitor.name) }}
        and {{ dbt.dateadd(monitor.decl['window'], 'offsets.n', 'monitor_span.first_window') }} <= monitor_span.last_window
    {%- endfor %}
    {%- if not monitors %}
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as reference_id,
        cast(null as {{ dbt.type_timestamp() }}) as window_start,
        cast(null as {{ dbt.type_timestamp() }}) as window_end
    where 1 = 0
    {%- endif %}
),

{#- every profiled column counts every row, so any column's reference rows are the slice's -#}
reference_volume as (
    select
        reference_counts.monitor_name, reference_counts.segment_name, reference_counts.segment_value,
        cast(max(reference_counts.n_ref) as {{ driftline.type_double() }}) / max(references_.n_reference_windows) as mean_reference_rows,
        max(reference_counts.n_ref) as n_ref
    from reference_counts
    inner join reference_windows as references_ on references_.monitor_name = reference_counts.monitor_name
    group by reference_counts.monitor_name, reference_counts.segment_name, reference_counts.segment_value
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
    select * from {{ ref('int_driftline__latest_labels') }}
),

scored_ids as (
    select distinct monitor_name, prediction_id
    from {{ ref('stg_driftline__predictions') }}
    where segment_name = '__all__'
),

label_deliveries as (
    {%- for monitor in monitors if monitor.label_relation is not none %}
    {% if not loop.first %}union all{% endif %}
    select
        latest_labels.monitor_name,
        {{ driftline.window_start(monitor.decl['window'], 'latest_labels.labelled_at') }} as window_start,
        {{ dbt.dateadd(monitor.decl['window'], 1, driftline.window_start(monitor.decl['window'], 'latest_labels.labelled_at')) }} as window_end,
        case when scored_ids.prediction_id is null then 1 else 0 end as is_orphan
    from latest_labels
    left join scored_ids
        on scored_ids.monitor_name = latest_labels.monitor_name
        and scored_ids.prediction_id = latest_labels.prediction_id
    where latest_labels.monitor_name = {{ driftline.literal(monitor.name) }}
    {%- endfor %}
    {%- if not (monitors | selectattr('label_relation') | list) %}
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_timestamp() }}) as window_start,
        cast(null as {{ dbt.type_timestamp() }}) as window_end,
        0 as is_orphan
    where 1 = 0
    {%- endif %}
),

orphan_labels as (
    select monitor_name, window_start, window_end, count(*) as n_labels, sum(is_orphan) as n_orphans
    from label_deliveries
    where {{ driftline.recomputed_windows(monitors, references, since, 'label_deliveries', labels=true) }}
    group by monitor_name, window_start, window_end
),

-- schema problems found while reading the log --------------------------------------------

schema_problems as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as feature_name,
        cast(null as {{ dbt.type_string() }}) as detail
    where 1 = 0
    {%- for monitor in monitors %}
    {%- for problem in driftline.resolve_columns(monitor)['schema_problems'] %}
    union all
    select {{ driftline.literal(monitor.name) }}, {{ driftline.literal(problem['feature']) }},
        {{ driftline.literal(problem['problem'] ~ ': ' ~ problem['detail']) }}
    {%- endfor %}
    {%- endfor %}
),

checks as (
    select monitor_name, reference_id, window_start, window_end, segment_name, segment_value, feature_name,
        'null_rate' as check_name,
        cast(n_null as {{ driftline.type_double() }}) / n_cur as value,
        case when n_ref > 0 then cast(n_ref_null as {{ driftline.type_double() }}) / n_ref end as reference_value,
        cast(n_null as {{ driftline.type_double() }}) / n_cur
            - coalesce(cast(n_ref_null as {{ driftline.type_double() }}) / nullif(n_ref, 0), 0) as breach,
        n_ref, n_cur, cast(null as {{ dbt.type_string() }}) as detail
    from column_checks
    union all
    select monitor_name, reference_id, window_start, window_end, segment_name, segment_value, feature_name,
        'out_of_range_share',
        case when n_cur > n_null then cast(n_out_of_range as {{ driftline.type_double() }}) / (n_cur - n_null) end,
        0,
        case when n_cur > n_null then cast(n_out_of_range as {{ driftline.type_double() }}) / (n_cur - n_null) end,
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
        cast(orphan_labels.n_orphans as {{ driftline.type_double() }}) / orphan_labels.n_labels, 0,
        cast(orphan_labels.n_orphans as {{ driftline.type_double() }}) / orphan_labels.n_labels,
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
