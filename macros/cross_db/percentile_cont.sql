{#- Interpolated percentile of expr within a group (0 <= p <= 1). -#}
{% macro percentile_cont(expr, p) %}{{ return(adapter.dispatch('percentile_cont', 'driftline')(expr, p)) }}{% endmacro %}

{% macro default__percentile_cont(expr, p) -%}
  percentile_cont({{ p }}) within group (order by {{ expr }})
{%- endmacro %}
{% macro duckdb__percentile_cont(expr, p) -%}quantile_cont({{ expr }}, {{ p }}){%- endmacro %}
{% macro spark__percentile_cont(expr, p) -%}percentile({{ expr }}, {{ p }}){%- endmacro %}
{% macro databricks__percentile_cont(expr, p) -%}percentile({{ expr }}, {{ p }}){%- endmacro %}
{% macro trino__percentile_cont(expr, p) -%}approx_percentile({{ expr }}, {{ p }}){%- endmacro %}
