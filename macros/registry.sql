{#-
  The runner keeps its registry in the warehouse, next to driftline's models (or in
  var('driftline_registry_schema')). dbt only reads it; before a first retrain the
  tables do not exist and every monitor falls back to its configured reference.
-#}
{% macro registry_relation(identifier) %}
  {%- if not execute -%}{{ return(none) }}{%- endif -%}
  {%- set schema = var('driftline_registry_schema', this.schema) -%}
  {{ return(adapter.get_relation(database=this.database, schema=schema, identifier=identifier)) }}
{% endmacro %}
