{#- A cast that yields NULL instead of failing (dbt's safe_cast is a plain cast on some adapters). -#}
{% macro safe_cast(expr, type) %}{{ return(adapter.dispatch('safe_cast', 'driftline')(expr, type)) }}{% endmacro %}

{% macro default__safe_cast(expr, type) -%}{{ dbt.safe_cast(expr, type) }}{%- endmacro %}
{% macro duckdb__safe_cast(expr, type) -%}try_cast({{ expr }} as {{ type }}){%- endmacro %}
{% macro spark__safe_cast(expr, type) -%}try_cast({{ expr }} as {{ type }}){%- endmacro %}
{% macro databricks__safe_cast(expr, type) -%}try_cast({{ expr }} as {{ type }}){%- endmacro %}
{% macro trino__safe_cast(expr, type) -%}try_cast({{ expr }} as {{ type }}){%- endmacro %}

{#- Postgres has no try_cast: cast only text that reads as a number. -#}
{% macro postgres__safe_cast(expr, type) -%}
  case when cast({{ expr }} as text) ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$'
    then cast(cast({{ expr }} as text) as {{ type }}) end
{%- endmacro %}
