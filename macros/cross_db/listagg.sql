{#-
  String aggregation in a set order: `driftline.listagg(measure, delimiter, order_by)` joins
  `measure` with `delimiter` ordered by the expression `order_by` (ascending, NULLs first).
  The default is dbt's listagg with an ORDER BY clause. dbt-spark's listagg drops the order
  (collect_list order is not defined, so the strings would differ from run to run); on Spark
  the pairs are collected, sorted by the order key and joined; no rows give NULL, as listagg
  does, instead of array_join's empty string (so does a lone empty-string item).
-#}
{% macro listagg(measure, delimiter_text, order_by) %}{{ return(adapter.dispatch('listagg', 'driftline')(measure, delimiter_text, order_by)) }}{% endmacro %}

{% macro default__listagg(measure, delimiter_text, order_by) -%}
    {{ dbt.listagg(measure, delimiter_text, 'order by ' ~ order_by ~ ' nulls first') }}
{%- endmacro %}

{% macro spark__listagg(measure, delimiter_text, order_by) -%}
    nullif(array_join(transform(sort_array(collect_list(struct({{ order_by }} as k, {{ measure }} as v)), true), e -> e.v), {{ delimiter_text }}), '')
{%- endmacro %}
