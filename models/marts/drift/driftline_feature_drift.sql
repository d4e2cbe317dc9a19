{#-
  Drift of every profiled column per monitor, window and segment slice against the
  reference: one row per statistic, with the window bounds, reference id, row counts on
  both sides, the statistic's definition version, thresholds and status. Definitions
  (README, "Statistic definitions"):

    psi               sum (c - r) ln(c / r) over PSI bins, empty bins set to 1e-4, renormalised
    js_distance       sqrt of the Jensen-Shannon divergence, base 2, on the same bins
    ks_d              max |F_ref - F_cur| of the fine-bin atom distributions (finite values)
    wasserstein_norm  W1 between the fine-bin atom distributions / reference stddev
    unseen_share      share of the window's rows in categories the reference never had
-#}
{%- set monitors = driftline.get_monitors() -%}

with

drift as (
    select * from {{ ref('int_driftline__drift_statistics') }}
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

final as (
    select
        statistics.monitor_name,
        statistics.reference_id,
        statistics.window_start,
        statistics.window_end,
        statistics.segment_name,
        statistics.segment_value,
        statistics.feature_name,
        statistics.feature_kind,
        statistics.feature_role,
        statistics.statistic,
        1 as definition_version,
        statistics.value,
        statistics.n_ref,
        statistics.n_cur,
        coalesce(by_feature.threshold_warn, by_monitor.threshold_warn) as threshold_warn,
        coalesce(by_feature.threshold_critical, by_monitor.threshold_critical) as threshold_critical,
        case
            when statistics.n_ref = 0 then 'no_reference'
            when statistics.value is null then 'undefined'
            when statistics.n_cur < by_monitor.min_window_rows then 'insufficient_data'
            when statistics.value >= coalesce(by_feature.threshold_critical, by_monitor.threshold_critical) then 'critical'
            when statistics.value >= coalesce(by_feature.threshold_warn, by_monitor.threshold_warn) then 'warn'
            else 'ok'
        end as status
    from statistics
    left join thresholds as by_monitor
        on by_monitor.monitor_name = statistics.monitor_name
        and by_monitor.feature_name = '*'
        and by_monitor.statistic = statistics.statistic
    left join thresholds as by_feature
        on by_feature.monitor_name = statistics.monitor_name
        and by_feature.feature_name = statistics.feature_name
        and by_feature.statistic = statistics.statistic
)

select * from final
