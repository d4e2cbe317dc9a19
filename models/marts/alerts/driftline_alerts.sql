{{ config(
    materialized='incremental',
    incremental_strategy=driftline.incremental_strategy(),
    unique_key='alert_id',
    partition_by=driftline.incremental_partition_by(['monitor_name']),
    on_schema_change='append_new_columns',
) }}
{#-
  One row per alert. `alert_id` is stable: the same breach (kind, monitor, window, slice,
  column, statistic) keeps its id across runs, so re-running `dbt build` updates an alert
  instead of duplicating it. An alert that no longer breaches after a run (late data, or
  a new reference after a retrain) is kept with status 'resolved'. Kinds: drift,
  data_quality, volume, schema, performance, label_coverage, and data_incident (a retrain
  that had reasons but a data problem in its candidate window blocked it: `detail` names
  the blockers and their alerts; cooldown or too few labels show in the signal only).

  An incremental run emits the whole table (alerts already resolved are carried over as
  they are), so replacing the emitted rows by alert_id (delete+insert) and overwriting the
  emitted monitor partitions (Spark, macros/cross_db/incremental.sql) end in the same table.
-#}

with

candidates as (
    select * from {{ ref('int_driftline__alert_candidates') }}
),

signals as (
    select * from {{ ref('driftline_retrain_signals') }}
),

incidents as (
    select
        {{ dbt.hash(dbt.concat(["'data_incident|'", 'monitor_name', "'|'", 'cast(as_of_window as ' ~ dbt.type_string() ~ ')'])) }} as alert_id,
        'data_incident' as kind,
        monitor_name,
        cast(null as {{ dbt.type_string() }}) as reference_id,
        as_of_window as window_start,
        latest_window_end as window_end,
        '__all__' as segment_name,
        '__all__' as segment_value,
        '__retrain__' as feature_name,
        'retrain_blocked' as statistic,
        cast(n_new_labelled_rows as {{ driftline.type_double() }}) as value,
        cast(min_new_labelled_rows as {{ driftline.type_double() }}) as threshold,
        cast(null as {{ dbt.type_bigint() }}) as n_ref,
        cast(n_new_labelled_rows as {{ dbt.type_bigint() }}) as n_cur,
        'critical' as severity,
        1 as consecutive_windows,
        {{ dbt.concat(["'retrain wanted for '", 'reasons', "' but blocked by '", 'blockers',
            "case when incident_alert_ids is not null then " ~ dbt.concat(["' (alerts '", 'incident_alert_ids', "')'"]) ~ " else '' end"]) }} as detail
    from signals
    where is_blocked and incident_alert_ids is not null
),

evaluated as (
    select
        alert_id, kind, monitor_name, reference_id, window_start, window_end, segment_name, segment_value,
        feature_name, statistic, value, threshold, n_ref, n_cur, severity,
        cast(consecutive_windows as {{ dbt.type_int() }}) as consecutive_windows,
        cast(null as {{ dbt.type_string() }}) as detail
    from candidates
    union all
    select
        alert_id, kind, monitor_name, reference_id, window_start, window_end, segment_name, segment_value,
        feature_name, statistic, value, threshold, n_ref, n_cur, severity,
        cast(consecutive_windows as {{ dbt.type_int() }}), detail
    from incidents
),

{% if is_incremental() -%}
previous as (
    select * from {{ this }}
),

merged as (
    select
        evaluated.*,
        'open' as status,
        coalesce(previous.first_detected_at, {{ dbt.current_timestamp() }}) as first_detected_at,
        {{ dbt.current_timestamp() }} as last_evaluated_at
    from evaluated
    left join previous on previous.alert_id = evaluated.alert_id
    union all
    select
        previous.alert_id, previous.kind, previous.monitor_name, previous.reference_id, previous.window_start,
        previous.window_end, previous.segment_name, previous.segment_value, previous.feature_name,
        previous.statistic, previous.value, previous.threshold, previous.n_ref, previous.n_cur, previous.severity,
        previous.consecutive_windows, previous.detail,
        'resolved' as status,
        previous.first_detected_at,
        case when previous.status = 'open' then {{ dbt.current_timestamp() }} else previous.last_evaluated_at end
    from previous
    where not exists (select 1 from evaluated where evaluated.alert_id = previous.alert_id)
),
{%- else -%}
merged as (
    select evaluated.*, 'open' as status, {{ dbt.current_timestamp() }} as first_detected_at,
        {{ dbt.current_timestamp() }} as last_evaluated_at
    from evaluated
),
{%- endif %}

final as (
    select
        cast(alert_id as {{ dbt.type_string() }}) as alert_id,
        cast(kind as {{ dbt.type_string() }}) as kind,
        cast(monitor_name as {{ dbt.type_string() }}) as monitor_name,
        cast(reference_id as {{ dbt.type_string() }}) as reference_id,
        cast(window_start as {{ dbt.type_timestamp() }}) as window_start,
        cast(window_end as {{ dbt.type_timestamp() }}) as window_end,
        cast(segment_name as {{ dbt.type_string() }}) as segment_name,
        cast(segment_value as {{ dbt.type_string() }}) as segment_value,
        cast(feature_name as {{ dbt.type_string() }}) as feature_name,
        cast(statistic as {{ dbt.type_string() }}) as statistic,
        cast(value as {{ driftline.type_double() }}) as value,
        cast(threshold as {{ driftline.type_double() }}) as threshold,
        cast(n_ref as {{ dbt.type_bigint() }}) as n_ref,
        cast(n_cur as {{ dbt.type_bigint() }}) as n_cur,
        cast(severity as {{ dbt.type_string() }}) as severity,
        cast(consecutive_windows as {{ dbt.type_int() }}) as consecutive_windows,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(detail as {{ dbt.type_string() }}) as detail,
        cast(first_detected_at as {{ dbt.type_timestamp() }}) as first_detected_at,
        cast(last_evaluated_at as {{ dbt.type_timestamp() }}) as last_evaluated_at
    from merged
)

select * from final
