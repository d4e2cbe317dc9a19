{{ config(
    materialized='incremental',
    incremental_strategy=driftline.incremental_strategy(),
    unique_key='monitor_name, window_start',
    partition_by=driftline.incremental_partition_by(['monitor_name', 'window_start']),
) }}
{#-
  Drift of every profiled column per monitor, window and segment slice against the
  reference: one row per statistic, with the window bounds, reference id, row counts on
  both sides, the statistic's definition version, thresholds and status. Definitions
  (README, "Statistic definitions"):

    psi               sum (c - r) ln(c / r) over PSI bins, empty bins set to 1e-4, renormalised
    js_distance       sqrt of the Jensen-Shannon divergence, base 2, on the same bins
    ks_d              max |F_ref - F_cur| of the fine-bin distributions (finite values)
    wasserstein_norm  W1 between the fine-bin distributions / reference stddev
    unseen_share      share of the window's rows in categories the reference never had

  plus correlation_change for pairs of numeric features ('a:b') and target drift (PSI and
  JS of the arrived labels, '__label__').

  Incremental over the windows int_driftline__drift_statistics recomputes, reaching back by
  the label horizon for monitors with labels (their target drift changes as labels arrive).
-#}
{%- set monitors = driftline.get_monitors() -%}
{%- set references = driftline.current_references() -%}
{%- set since = driftline.incremental_since(references) -%}

with

drift as (
    select * from {{ ref('int_driftline__drift_statistics') }} as drift
    where {{ driftline.recomputed_windows(monitors, references, since, 'drift', labels=true) }}
),

correlation_drift as (
    select * from {{ ref('int_driftline__correlation_drift') }} as correlation_drift
    where {{ driftline.recomputed_windows(monitors, references, since, 'correlation_drift', labels=true) }}
),

target_drift as (
    select * from {{ ref('int_driftline__target_drift') }} as target_drift
    where {{ driftline.recomputed_windows(monitors, references, since, 'target_drift', labels=true) }}
),

references_ as (
    select * from {{ ref('int_driftline__references') }}
),

thresholds as (
    {{ driftline.thresholds_relation(monitors) }}
),

statistics as (
    select drift.*, 'psi' as statistic, psi as value from drift
    union all
    select drift.*, 'js_distance', js_distance from drift
    union all
    select drift.*, 'ks_d', case when n_ref_finite > 0 and n_cur_finite > 0 then ks_d end
    from drift where feature_kind = 'numeric'
    union all
    select drift.*, 'wasserstein_norm',
        case when n_ref_finite > 0 and n_cur_finite > 0 and reference_stddev > 0 then wasserstein / reference_stddev end
    from drift where feature_kind = 'numeric'
    union all
    select drift.*, 'unseen_share', unseen_share from drift where feature_kind = 'categorical'
),

pair_statistics as (
    select
        monitor_name, reference_id, window_start,
        segment_name, segment_value,
        {{ dbt.concat(['feature_a', "':'", 'feature_b']) }} as feature_name,
        'pair' as feature_kind,
        'feature' as feature_role,
        'correlation_change' as statistic,
        correlation_change as value,
        n_ref,
        n_cur
    from correlation_drift
),

target_statistics as (
    select target_drift.monitor_name, references_.reference_id, target_drift.window_start,
        target_drift.segment_name, target_drift.segment_value,
        '__label__' as feature_name, 'label' as feature_kind, 'label' as feature_role,
        'psi' as statistic, target_drift.psi as value, target_drift.n_ref, target_drift.n_cur
    from target_drift
    inner join references_ on references_.monitor_name = target_drift.monitor_name
    union all
    select target_drift.monitor_name, references_.reference_id, target_drift.window_start,
        target_drift.segment_name, target_drift.segment_value,
        '__label__', 'label', 'label', 'js_distance', target_drift.js_distance, target_drift.n_ref, target_drift.n_cur
    from target_drift
    inner join references_ on references_.monitor_name = target_drift.monitor_name
),

window_bounds as (
    select distinct monitor_name, window_start, window_end from drift
),

all_statistics as (
    select monitor_name, reference_id, window_start, window_end, segment_name, segment_value,
        feature_name, feature_kind, feature_role, statistic, value, n_ref, n_cur
    from statistics
    union all
    select pair_statistics.monitor_name, pair_statistics.reference_id, pair_statistics.window_start,
        window_bounds.window_end, pair_statistics.segment_name, pair_statistics.segment_value,
        pair_statistics.feature_name, pair_statistics.feature_kind, pair_statistics.feature_role,
        pair_statistics.statistic, pair_statistics.value, pair_statistics.n_ref, pair_statistics.n_cur
    from pair_statistics
    inner join window_bounds
        on window_bounds.monitor_name = pair_statistics.monitor_name
        and window_bounds.window_start = pair_statistics.window_start
    union all
    select target_statistics.monitor_name, target_statistics.reference_id, target_statistics.window_start,
        window_bounds.window_end, target_statistics.segment_name, target_statistics.segment_value,
        target_statistics.feature_name, target_statistics.feature_kind, target_statistics.feature_role,
        target_statistics.statistic, target_statistics.value, target_statistics.n_ref, target_statistics.n_cur
    from target_statistics
    inner join window_bounds
        on window_bounds.monitor_name = target_statistics.monitor_name
        and window_bounds.window_start = target_statistics.window_start
),

final as (
    select
        all_statistics.monitor_name,
        all_statistics.reference_id,
        all_statistics.window_start,
        all_statistics.window_end,
        all_statistics.segment_name,
        all_statistics.segment_value,
        all_statistics.feature_name,
        all_statistics.feature_kind,
        all_statistics.feature_role,
        all_statistics.statistic,
        -- KS and W1/sd moved to the 17-point x 64 fine-bin grid in version 2
        case when all_statistics.statistic in ('ks_d', 'wasserstein_norm') then 3 else 1 end as definition_version,
        all_statistics.value,
        all_statistics.n_ref,
        all_statistics.n_cur,
        coalesce(by_feature.threshold_warn, by_monitor.threshold_warn) as threshold_warn,
        coalesce(by_feature.threshold_critical, by_monitor.threshold_critical) as threshold_critical,
        case
            when all_statistics.n_ref = 0 then 'no_reference'
            when all_statistics.n_cur < by_monitor.min_window_rows then 'insufficient_data'
            when all_statistics.value is null then 'undefined'
            when all_statistics.value >= coalesce(by_feature.threshold_critical, by_monitor.threshold_critical) then 'critical'
            when all_statistics.value >= coalesce(by_feature.threshold_warn, by_monitor.threshold_warn) then 'warn'
            else 'ok'
        end as status
    from all_statistics
    left join thresholds as by_monitor
        on by_monitor.monitor_name = all_statistics.monitor_name
        and by_monitor.feature_name = '*'
        and by_monitor.statistic = all_statistics.statistic
    left join thresholds as by_feature
        on by_feature.monitor_name = all_statistics.monitor_name
        and by_feature.feature_name = all_statistics.feature_name
        and by_feature.statistic = all_statistics.statistic
)

select * from final
