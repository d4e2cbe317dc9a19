{#- dbt's type_float() is a 4-byte REAL on some engines (DuckDB): statistics need doubles. -#}
{% macro type_double() %}{{ return(adapter.dispatch('type_double', 'driftline')()) }}{% endmacro %}
{% macro default__type_double() %}{{ return('double precision') }}{% endmacro %}
{% macro spark__type_double() %}{{ return('double') }}{% endmacro %}
{% macro databricks__type_double() %}{{ return('double') }}{% endmacro %}
{% macro trino__type_double() %}{{ return('double') }}{% endmacro %}
{% macro bigquery__type_double() %}{{ return('float64') }}{% endmacro %}
