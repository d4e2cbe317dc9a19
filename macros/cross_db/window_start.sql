{#- Start of the day/hour/week/month window an event falls in; weeks start on Monday everywhere. -#}
{% macro window_start(unit, expr) %}{{ return(adapter.dispatch('window_start', 'driftline')(unit, expr)) }}{% endmacro %}

{% macro default__window_start(unit, expr) -%}
  {{ dbt.date_trunc(unit, expr) }}
{%- endmacro %}

{% macro bigquery__window_start(unit, expr) -%}
  timestamp_trunc(cast({{ expr }} as timestamp), {{ 'isoweek' if unit == 'week' else unit }})
{%- endmacro %}
