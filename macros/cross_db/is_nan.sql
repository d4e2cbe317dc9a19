{#- IEEE NaN test. Engines disagree on NaN = NaN, so `x <> x` is only the fallback. -#}
{% macro is_nan(expr) %}{{ return(adapter.dispatch('is_nan', 'driftline')(expr)) }}{% endmacro %}

{% macro default__is_nan(expr) -%}({{ expr }} <> {{ expr }}){%- endmacro %}
{% macro duckdb__is_nan(expr) -%}isnan({{ expr }}){%- endmacro %}
{% macro postgres__is_nan(expr) -%}({{ expr }} = cast('NaN' as double precision)){%- endmacro %}
{% macro snowflake__is_nan(expr) -%}({{ expr }} = cast('NaN' as double)){%- endmacro %}
{% macro spark__is_nan(expr) -%}isnan({{ expr }}){%- endmacro %}
{% macro databricks__is_nan(expr) -%}isnan({{ expr }}){%- endmacro %}
{% macro bigquery__is_nan(expr) -%}is_nan({{ expr }}){%- endmacro %}
{% macro trino__is_nan(expr) -%}is_nan({{ expr }}){%- endmacro %}


{#- Finite (not NULL, NaN or +/-inf). inf - inf and NaN - NaN are NaN, which equals nothing. -#}
{% macro is_finite(expr) %}{{ return(adapter.dispatch('is_finite', 'driftline')(expr)) }}{% endmacro %}

{% macro default__is_finite(expr) -%}({{ expr }} - {{ expr }} = 0){%- endmacro %}
{% macro duckdb__is_finite(expr) -%}isfinite({{ expr }}){%- endmacro %}
