{#- A value from configuration or data as a SQL string literal, escaped for the engine. -#}
{% macro literal(value) %}{{ return(adapter.dispatch('literal', 'driftline')(value)) }}{% endmacro %}

{% macro default__literal(value) -%}
  {{ return("'" ~ (value | string).replace("'", "''") ~ "'") }}
{%- endmacro %}

{#- Spark and BigQuery read backslashes as escapes inside string literals. -#}
{% macro spark__literal(value) -%}
  {{ return("'" ~ (value | string).replace('\\', '\\\\').replace("'", "\\'") ~ "'") }}
{%- endmacro %}
{% macro databricks__literal(value) -%}{{ return(driftline.spark__literal(value)) }}{%- endmacro %}
{% macro bigquery__literal(value) -%}{{ return(driftline.spark__literal(value)) }}{%- endmacro %}
