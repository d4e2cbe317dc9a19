{#-
  Generic test: fails with one row per open critical alert of `monitor` (by default only
  in its latest window; window='any' for all of history), optionally only of some kinds.
  Attach it to the monitored source or model; severity is warn unless configured `error`.
-#}
{% test no_critical_alerts(model, monitor, kinds=none, window='latest') %}
{{ config(severity='warn') }}

with

alerts as (
    select * from {{ ref('driftline_alerts') }}
),

signals as (
    select * from {{ ref('driftline_retrain_signals') }}
),

failing as (
    select
        alerts.alert_id, alerts.kind, alerts.window_start, alerts.segment_name, alerts.segment_value,
        alerts.feature_name, alerts.statistic, alerts.value, alerts.threshold, alerts.consecutive_windows
    from alerts
    {%- if window == 'latest' %}
    inner join signals
        on signals.monitor_name = alerts.monitor_name
        and signals.as_of_window = alerts.window_start
    {%- endif %}
    where alerts.monitor_name = {{ driftline.literal(monitor) }}
        and alerts.severity = 'critical'
        and alerts.status = 'open'
        {%- if kinds %}
        and alerts.kind in ({% for kind in kinds %}{{ driftline.literal(kind) }}{{ ', ' if not loop.last }}{% endfor %})
        {%- endif %}
)

select * from failing
{% endtest %}
