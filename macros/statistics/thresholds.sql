{#-
  Default alert thresholds per statistic; a monitor overrides them under
  thresholds.statistics, and per feature under thresholds.features.<feature>.
-#}
{% macro default_thresholds() %}
  {{ return({
      'psi': {'warn': 0.1, 'critical': 0.25},
      'js_distance': {'warn': 0.1, 'critical': 0.2},
      'ks_d': {'warn': 0.1, 'critical': 0.2},
      'wasserstein_norm': {'warn': 0.1, 'critical': 0.25},
      'unseen_share': {'warn': 0.01, 'critical': 0.05},
      'null_rate': {'warn': 0.05, 'critical': 0.2},
      'out_of_range_share': {'warn': 0.02, 'critical': 0.1},
      'volume_ratio': {'warn': 0.5, 'critical': 0.8},
      'correlation_change': {'warn': 0.2, 'critical': 0.4},
      'orphan_labels': {'warn': 0.01, 'critical': 0.05},
      'performance_drop': {'warn': 0.05, 'critical': 0.1},
      'label_coverage': {'warn': 0.0, 'critical': 0.5},
  }) }}
{% endmacro %}


{#- Rows (monitor_name, feature_name or '*', statistic, warn, critical): defaults, then monitor and feature overrides. -#}
{% macro thresholds_relation(monitors) -%}
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as feature_name,
        cast(null as {{ dbt.type_string() }}) as statistic,
        cast(null as {{ driftline.type_double() }}) as threshold_warn,
        cast(null as {{ driftline.type_double() }}) as threshold_critical,
        cast(null as {{ dbt.type_int() }}) as min_window_rows
    where 1 = 0
    {%- set defaults = driftline.default_thresholds() %}
    {%- for monitor in monitors %}
    {%- set configured = monitor.decl['thresholds'] %}
    {%- set by_statistic = configured['statistics'] or {} %}
    {%- for statistic, band in defaults.items() %}
    {%- set override = by_statistic.get(statistic) or {} %}
    union all select {{ driftline.literal(monitor.name) }}, '*', {{ driftline.literal(statistic) }},
        {{ override.get('warn') if override.get('warn') is not none else band['warn'] }},
        {{ override.get('critical') if override.get('critical') is not none else band['critical'] }},
        {{ configured['min_window_rows'] }}
    {%- endfor %}
    {%- for feature, overrides in (configured['features'] or {}).items() %}
    {%- for statistic, band in overrides.items() %}
    {%- set base = by_statistic.get(statistic) or {} %}
    union all select {{ driftline.literal(monitor.name) }}, {{ driftline.literal(feature) }}, {{ driftline.literal(statistic) }},
        {{ band.get('warn') if band.get('warn') is not none else base.get('warn', defaults.get(statistic, {}).get('warn', 'null')) }},
        {{ band.get('critical') if band.get('critical') is not none else base.get('critical', defaults.get(statistic, {}).get('critical', 'null')) }},
        {{ configured['min_window_rows'] }}
    {%- endfor %}
    {%- endfor %}
    {%- endfor %}
{%- endmacro %}
