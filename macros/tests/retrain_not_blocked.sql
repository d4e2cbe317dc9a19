{#-
  Generic test: fails when `monitor` wants a retrain that a blocker stops (a data incident
  in the candidate training window, too few new labels, cooldown): someone should look.
  Severity is warn unless configured `error`.
-#}
{% test retrain_not_blocked(model, monitor) %}
{{ config(severity='warn') }}

with

signals as (
    select * from {{ ref('driftline_retrain_signals') }}
),

failing as (
    select monitor_name, as_of_window, reasons, blockers, incident_alert_ids
    from signals
    where monitor_name = {{ driftline.literal(monitor) }} and is_blocked
)

select * from failing
{% endtest %}
