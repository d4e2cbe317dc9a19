{#-
  Realized metrics of one monitor's task from per-key aggregates (a relation with the
  columns the performance model computes). Each returns rows (metric, value,
  estimated_value); definitions follow sklearn.metrics, documented in the README.
-#}
{% macro binary_metric_rows(relation) -%}
    select {{ relation }}.*, 'accuracy' as metric,
        case when n_labelled > 0 then cast(tp + tn as {{ driftline.type_double() }}) / n_labelled end as value,
        expected_correct / n_predictions as estimated_value
    from {{ relation }}
    union all
    select {{ relation }}.*, 'precision',
        case when n_labelled > 0 then coalesce(cast(tp as {{ driftline.type_double() }}) / nullif(tp + fp, 0), 0) end,
        expected_tp / nullif(expected_tp + expected_fp, 0)
    from {{ relation }}
    union all
    select {{ relation }}.*, 'recall',
        case when n_labelled > 0 then coalesce(cast(tp as {{ driftline.type_double() }}) / nullif(tp + fn, 0), 0) end,
        expected_tp / nullif(expected_tp + expected_fn, 0)
    from {{ relation }}
    union all
    select {{ relation }}.*, 'f1',
        case when n_labelled > 0 then coalesce(cast(2 * tp as {{ driftline.type_double() }}) / nullif(2 * tp + fp + fn, 0), 0) end,
        2 * expected_tp / nullif(2 * expected_tp + expected_fp + expected_fn, 0)
    from {{ relation }}
    union all
    select {{ relation }}.*, 'roc_auc',
        case when n_positive > 0 and n_positive < n_labelled
            then (positive_rank_sum - cast(n_positive as {{ driftline.type_double() }}) * (n_positive + 1) / 2) / (n_positive * (n_labelled - n_positive)) end,
        cast(null as {{ driftline.type_double() }})
    from {{ relation }}
    union all
    select {{ relation }}.*, 'log_loss',
        case when n_labelled > 0 then log_loss_sum / n_labelled end,
        cast(null as {{ driftline.type_double() }})
    from {{ relation }}
    union all
    select {{ relation }}.*, 'brier',
        case when n_labelled > 0 then brier_sum / n_labelled end,
        cast(null as {{ driftline.type_double() }})
    from {{ relation }}
    union all
    select {{ relation }}.*, 'positive_rate',
        cast(n_predicted_positive as {{ driftline.type_double() }}) / n_predictions,
        cast(null as {{ driftline.type_double() }})
    from {{ relation }}
    union all
    select {{ relation }}.*, 'label_positive_rate',
        case when n_labelled > 0 then cast(n_positive as {{ driftline.type_double() }}) / n_labelled end,
        expected_positive / n_predictions
    from {{ relation }}
{%- endmacro %}


{% macro multiclass_metric_rows(relation) -%}
    select {{ relation }}.*, 'accuracy' as metric,
        case when n_labelled > 0 then cast(n_correct as {{ driftline.type_double() }}) / n_labelled end as value,
        cast(null as {{ driftline.type_double() }}) as estimated_value
    from {{ relation }}
    union all
    select {{ relation }}.*, 'macro_f1', case when n_labelled > 0 then macro_f1 end, cast(null as {{ driftline.type_double() }})
    from {{ relation }}
{%- endmacro %}


{% macro regression_metric_rows(relation) -%}
    select {{ relation }}.*, 'mae' as metric,
        case when n_labelled > 0 then abs_error_sum / n_labelled end as value,
        cast(null as {{ driftline.type_double() }}) as estimated_value
    from {{ relation }}
    union all
    select {{ relation }}.*, 'rmse', case when n_labelled > 0 then sqrt(squared_error_sum / n_labelled) end, cast(null as {{ driftline.type_double() }})
    from {{ relation }}
    union all
    select {{ relation }}.*, 'mape', case when n_nonzero_targets > 0 then relative_error_sum / n_nonzero_targets end, cast(null as {{ driftline.type_double() }})
    from {{ relation }}
    union all
    select {{ relation }}.*, 'r2',
        case
            when n_labelled < 2 then null
            when total_squares > 0 then 1 - squared_error_sum / total_squares
            when squared_error_sum = 0 then 1.0
            else 0.0
        end,
        cast(null as {{ driftline.type_double() }})
    from {{ relation }}
{%- endmacro %}
