with

drift as (
    select * from "warehouse"."main_driftline"."driftline_feature_drift"
    where segment_name = '__all__'
        and status in ('ok', 'warn', 'critical')
        and value is not null
),

multipliers as (
    select 0.5 as multiplier
    union all select 0.75
    union all select 1.0
    union all select 1.25
    union all select 1.5
    union all select 2.0
    union all select 3.0
),

evaluated as (
    select
        drift.monitor_name,
        drift.statistic,
        drift.feature_name,
        drift.window_start,
        multipliers.multiplier,
        multipliers.multiplier * drift.threshold_warn as threshold,
        case when drift.value >= multipliers.multiplier * drift.threshold_warn then 1 else 0 end as would_alert
    from drift
    cross join multipliers
),

final as (
    select
        monitor_name,
        statistic,
        multiplier,
        min(threshold) as min_threshold,
        max(threshold) as max_threshold,
        sum(would_alert) as n_alerts,
        count(distinct case when would_alert = 1 then window_start end) as n_windows_alerted,
        count(distinct window_start) as n_windows,
        count(distinct case when would_alert = 1 then feature_name end) as n_features_alerted
    from evaluated
    group by monitor_name, statistic, multiplier
)

select * from final