{{ config(
    materialized='incremental',
    incremental_strategy=driftline.incremental_strategy(),
    unique_key='monitor_name, window_start',
    partition_by=driftline.incremental_partition_by(['monitor_name', 'window_start']),
) }}
{#-
  Realized model performance per monitor, model version, window and segment slice, from
  predictions joined to their latest labels, with label coverage, label delay and
  maturity; for binary classifiers also an estimate from the scores alone (expected
  accuracy, precision, recall, F1 of calibrated scores), reported next to the realized
  value so it can be judged once labels arrive.

  id_set 'own' scores each version on its own predictions; 'shared' (when a window holds
  several versions, e.g. a challenger in shadow) keeps only ids every version scored,
  so champion and challenger are compared on the same traffic.

  Incremental: labels keep arriving for a label horizon, so each run recomputes the
  windows from the last stored window minus horizon_days and the lookback; older windows
  are not rescanned (a label arriving later than its horizon changes them only on a
  full refresh).
-#}
{%- set monitors = driftline.get_monitors() | selectattr('label_relation') | list -%}
{%- set log_epsilon = 2.220446049250313e-16 -%}

{%- set since = {} -%}
{%- if is_incremental() and execute -%}
  {%- for row in run_query('select monitor_name, max(window_start) from ' ~ this ~ ' group by monitor_name') -%}
    {%- do since.update({row[0]: row[1] | string}) -%}
  {%- endfor -%}
{%- endif -%}

with

labelled as (
    select * from {{ ref('int_driftline__labelled_predictions') }}
),

latest_labels as (
    select * from {{ ref('int_driftline__latest_labels') }}
),

{% for monitor in monitors -%}
{%- set decl = monitor.decl -%}
{%- set labels = decl['labels'] -%}
{%- set unit = decl['window'] -%}
{%- set positive = driftline.literal(decl['positive_label']) -%}
rows_{{ loop.index }} as (
    select
        labelled.*,
        {#- doubles, not decimal literals: Spark's decimal division rounds to six places -#}
        cast({{ dbt.datediff('labelled.event_at', 'labelled.first_labelled_at', 'second') }} as {{ driftline.type_double() }}) / 86400 as delay_days
        {%- if decl['task'] == 'binary_classification' %},
        case when labelled.predicted_label = {{ positive }} then 1 else 0 end as y_pred,
        case when labelled.label is null then null when labelled.label = {{ positive }} then 1 else 0 end as y_true,
        least(greatest(labelled.score, {{ log_epsilon }}), 1 - {{ log_epsilon }}) as clipped_score
        {%- endif %}
    from labelled
    where labelled.monitor_name = {{ driftline.literal(monitor.name) }}
        {%- if monitor.name in since %}
        and labelled.event_at >= {{ dbt.dateadd('day', -labels['horizon_days'], dbt.dateadd(unit, -var('driftline_lookback_windows', 1), driftline.timestamp_literal(since[monitor.name]))) }}
        {%- endif %}
),

as_of_{{ loop.index }} as (
    select
        {% if var('driftline_as_of', none) is not none -%}
        {{ driftline.timestamp_literal(var('driftline_as_of')) }}
        {%- else -%}
        greatest(
            (select max(event_at) from labelled where monitor_name = {{ driftline.literal(monitor.name) }}),
            coalesce((select max(labelled_at) from latest_labels where monitor_name = {{ driftline.literal(monitor.name) }}),
                     (select max(event_at) from labelled where monitor_name = {{ driftline.literal(monitor.name) }}))
        )
        {%- endif %} as as_of
),

id_versions_{{ loop.index }} as (
    select window_start, segment_name, segment_value, prediction_id, count(distinct model_version) as n_versions
    from rows_{{ loop.index }}
    group by window_start, segment_name, segment_value, prediction_id
),

window_versions_{{ loop.index }} as (
    select window_start, segment_name, segment_value, count(distinct model_version) as n_versions
    from rows_{{ loop.index }}
    group by window_start, segment_name, segment_value
),

scoped_{{ loop.index }} as (
    select rows_{{ loop.index }}.*, 'own' as id_set
    from rows_{{ loop.index }}
    union all
    select rows_{{ loop.index }}.*, 'shared' as id_set
    from rows_{{ loop.index }}
    inner join id_versions_{{ loop.index }} as id_versions
        on id_versions.window_start = rows_{{ loop.index }}.window_start
        and id_versions.segment_name = rows_{{ loop.index }}.segment_name
        and id_versions.segment_value = rows_{{ loop.index }}.segment_value
        and id_versions.prediction_id = rows_{{ loop.index }}.prediction_id
    inner join window_versions_{{ loop.index }} as window_versions
        on window_versions.window_start = rows_{{ loop.index }}.window_start
        and window_versions.segment_name = rows_{{ loop.index }}.segment_name
        and window_versions.segment_value = rows_{{ loop.index }}.segment_value
    where window_versions.n_versions > 1 and id_versions.n_versions = window_versions.n_versions
),

{% if decl['task'] == 'binary_classification' -%}
ranked_{{ loop.index }} as (
    select
        scoped_{{ loop.index }}.*,
        -- average rank of the score among the key's labelled rows (ties share their mean rank)
        case when y_true is not null then
            rank() over (partition by model_version, window_start, segment_name, segment_value, id_set,
                case when y_true is null then 0 else 1 end order by score)
            + cast(count(*) over (partition by model_version, window_start, segment_name, segment_value, id_set,
                case when y_true is null then 0 else 1 end, score) - 1 as {{ driftline.type_double() }}) / 2
        end as score_rank
    from scoped_{{ loop.index }}
),

aggregated_{{ loop.index }} as (
    select
        model_version, window_start, segment_name, segment_value, id_set,
        count(*) as n_predictions,
        count(y_true) as n_labelled,
        {{ driftline.percentile_cont('delay_days', 0.5) }} as label_delay_p50_days,
        {{ driftline.percentile_cont('delay_days', 0.9) }} as label_delay_p90_days,
        sum(case when n_deliveries > 1 then 1 else 0 end) as n_revised,
        sum(y_pred * y_true) as tp,
        sum(y_pred * (1 - y_true)) as fp,
        sum((1 - y_pred) * y_true) as fn,
        sum((1 - y_pred) * (1 - y_true)) as tn,
        sum(y_true) as n_positive,
        sum(y_pred) as n_predicted_positive,
        sum(case when y_true = 1 then score_rank end) as positive_rank_sum,
        sum(case when y_true is not null then -(y_true * ln(clipped_score) + (1 - y_true) * ln(1 - clipped_score)) end) as log_loss_sum,
        sum(case when y_true is not null then (score - y_true) * (score - y_true) end) as brier_sum,
        sum(case when y_pred = 1 then score else 1 - score end) as expected_correct,
        sum(y_pred * score) as expected_tp,
        sum(y_pred * (1 - score)) as expected_fp,
        sum((1 - y_pred) * score) as expected_fn,
        sum(score) as expected_positive
    from ranked_{{ loop.index }}
    group by model_version, window_start, segment_name, segment_value, id_set
),

metrics_{{ loop.index }} as (
    {{ driftline.binary_metric_rows('aggregated_' ~ loop.index) }}
),
{%- elif decl['task'] == 'multiclass_classification' %}
class_counts_{{ loop.index }} as (
    select model_version, window_start, segment_name, segment_value, id_set, class_label,
        sum(tp) as tp, sum(fp) as fp, sum(fn) as fn
    from (
        select model_version, window_start, segment_name, segment_value, id_set, label as class_label,
            case when predicted_label = label then 1 else 0 end as tp, 0 as fp,
            case when predicted_label = label then 0 else 1 end as fn
        from scoped_{{ loop.index }} where label is not null
        union all
        select model_version, window_start, segment_name, segment_value, id_set, predicted_label,
            0, case when predicted_label = label then 0 else 1 end, 0
        from scoped_{{ loop.index }} where label is not null and predicted_label is not null
    ) as contributions
    group by model_version, window_start, segment_name, segment_value, id_set, class_label
),

class_f1_{{ loop.index }} as (
    select model_version, window_start, segment_name, segment_value, id_set,
        avg(coalesce(2 * cast(tp as {{ driftline.type_double() }}) / nullif(2 * tp + fp + fn, 0), 0)) as macro_f1
    from class_counts_{{ loop.index }}
    group by model_version, window_start, segment_name, segment_value, id_set
),

aggregated_{{ loop.index }} as (
    select
        scoped.model_version, scoped.window_start, scoped.segment_name, scoped.segment_value, scoped.id_set,
        count(*) as n_predictions,
        count(scoped.label) as n_labelled,
        {{ driftline.percentile_cont('scoped.delay_days', 0.5) }} as label_delay_p50_days,
        {{ driftline.percentile_cont('scoped.delay_days', 0.9) }} as label_delay_p90_days,
        sum(case when scoped.n_deliveries > 1 then 1 else 0 end) as n_revised,
        sum(case when scoped.label is not null and scoped.predicted_label = scoped.label then 1 else 0 end) as n_correct,
        max(class_f1.macro_f1) as macro_f1
    from scoped_{{ loop.index }} as scoped
    left join class_f1_{{ loop.index }} as class_f1
        on class_f1.model_version = scoped.model_version and class_f1.window_start = scoped.window_start
        and class_f1.segment_name = scoped.segment_name and class_f1.segment_value = scoped.segment_value
        and class_f1.id_set = scoped.id_set
    group by scoped.model_version, scoped.window_start, scoped.segment_name, scoped.segment_value, scoped.id_set
),

metrics_{{ loop.index }} as (
    {{ driftline.multiclass_metric_rows('aggregated_' ~ loop.index) }}
),
{%- else %}
centred_{{ loop.index }} as (
    select
        scoped_{{ loop.index }}.*,
        label_value - avg(label_value) over (partition by model_version, window_start, segment_name, segment_value, id_set) as centred_target
    from scoped_{{ loop.index }}
),

aggregated_{{ loop.index }} as (
    select
        model_version, window_start, segment_name, segment_value, id_set,
        count(*) as n_predictions,
        count(label_value) as n_labelled,
        {{ driftline.percentile_cont('delay_days', 0.5) }} as label_delay_p50_days,
        {{ driftline.percentile_cont('delay_days', 0.9) }} as label_delay_p90_days,
        sum(case when n_deliveries > 1 then 1 else 0 end) as n_revised,
        sum(abs(label_value - predicted_value)) as abs_error_sum,
        sum((label_value - predicted_value) * (label_value - predicted_value)) as squared_error_sum,
        sum(case when label_value <> 0 then abs(label_value - predicted_value) / abs(label_value) end) as relative_error_sum,
        count(case when label_value <> 0 then 1 end) as n_nonzero_targets,
        sum(centred_target * centred_target) as total_squares
    from centred_{{ loop.index }}
    group by model_version, window_start, segment_name, segment_value, id_set
),

metrics_{{ loop.index }} as (
    {{ driftline.regression_metric_rows('aggregated_' ~ loop.index) }}
),
{%- endif %}

performance_{{ loop.index }} as (
    select
        {{ driftline.literal(monitor.name) }} as monitor_name,
        metrics.model_version,
        metrics.window_start,
        {{ dbt.dateadd(unit, 1, 'metrics.window_start') }} as window_end,
        metrics.segment_name,
        metrics.segment_value,
        metrics.id_set,
        metrics.metric,
        metrics.value,
        metrics.estimated_value,
        metrics.n_predictions,
        metrics.n_labelled,
        cast(metrics.n_labelled as {{ driftline.type_double() }}) / metrics.n_predictions as label_coverage,
        metrics.n_revised,
        metrics.label_delay_p50_days,
        metrics.label_delay_p90_days,
        as_of.as_of,
        case
            when cast(metrics.n_labelled as {{ driftline.type_double() }}) / metrics.n_predictions >= {{ labels['mature_coverage'] }} then true
            when {{ dbt.dateadd('day', labels['horizon_days'], dbt.dateadd(unit, 1, 'metrics.window_start')) }} <= as_of.as_of then true
            else false
        end as is_mature
    from metrics_{{ loop.index }} as metrics
    cross join as_of_{{ loop.index }} as as_of
),

{% endfor -%}

typed_empty as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as model_version,
        cast(null as {{ dbt.type_timestamp() }}) as window_start,
        cast(null as {{ dbt.type_timestamp() }}) as window_end,
        cast(null as {{ dbt.type_string() }}) as segment_name,
        cast(null as {{ dbt.type_string() }}) as segment_value,
        cast(null as {{ dbt.type_string() }}) as id_set,
        cast(null as {{ dbt.type_string() }}) as metric,
        cast(null as {{ driftline.type_double() }}) as value,
        cast(null as {{ driftline.type_double() }}) as estimated_value,
        cast(null as {{ dbt.type_bigint() }}) as n_predictions,
        cast(null as {{ dbt.type_bigint() }}) as n_labelled,
        cast(null as {{ driftline.type_double() }}) as label_coverage,
        cast(null as {{ dbt.type_bigint() }}) as n_revised,
        cast(null as {{ driftline.type_double() }}) as label_delay_p50_days,
        cast(null as {{ driftline.type_double() }}) as label_delay_p90_days,
        cast(null as {{ dbt.type_timestamp() }}) as as_of,
        cast(null as {{ dbt.type_boolean() }}) as is_mature
    where 1 = 0
),

final as (
    select * from typed_empty
    {%- for monitor in monitors %}
    union all
    select * from performance_{{ loop.index }}
    {%- endfor %}
)

select * from final
