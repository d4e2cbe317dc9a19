{#- The metric a monitor's performance is judged by: retraining.promotion_metric, else the task's default. -#}
{% macro primary_metric(decl) %}
  {%- set declared = (decl['retraining'] or {}).get('promotion_metric') -%}
  {%- if declared -%}{{ return(declared) }}{%- endif -%}
  {{ return({'binary_classification': 'roc_auc', 'multiclass_classification': 'macro_f1', 'regression': 'mae'}[decl['task']]) }}
{% endmacro %}

{% macro higher_is_better(metric) %}
  {{ return(metric not in ('log_loss', 'brier', 'mae', 'rmse', 'mape')) }}
{% endmacro %}
