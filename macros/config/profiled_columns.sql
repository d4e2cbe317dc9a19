{#-
  What driftline profiles for a monitor, in a fixed order: the declared features,
  then the model's output (`__score__`, `__prediction__`) so output drift uses the
  same bins and statistics as feature drift.
-#}
{% macro profiled_columns(decl) %}
  {%- set columns = [] -%}
  {%- for feature in decl['features'] -%}
    {%- do columns.append({'index': loop.index, 'name': feature['name'], 'kind': feature['kind'], 'role': 'feature', 'column': feature['name']}) -%}
  {%- endfor -%}
  {%- if decl['score_column'] is not none -%}
    {%- do columns.append({'index': columns | length + 1, 'name': '__score__', 'kind': 'numeric', 'role': 'score', 'column': decl['score_column']}) -%}
  {%- endif -%}
  {%- do columns.append({
      'index': columns | length + 1,
      'name': '__prediction__',
      'kind': 'numeric' if decl['task'] == 'regression' else 'categorical',
      'role': 'prediction',
      'column': decl['prediction_column']}) -%}
  {{ return(columns) }}
{% endmacro %}
