{#- Test-only: validate a batch of declarations with the dbt half of the contract and log the results as JSON. -#}
{% macro driftline_test_declarations(cases) %}
  {%- set results = [] -%}
  {%- for case in cases -%}
    {%- set normalized, errors = driftline.declaration_errors(case) -%}
    {%- do results.append({'errors': errors, 'normalized': normalized if not errors else none}) -%}
  {%- endfor -%}
  {%- do log('DRIFTLINE_TEST_RESULT ' ~ tojson(results), info=true) -%}
{% endmacro %}
