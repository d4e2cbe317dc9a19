{#-
  Unpivot a wide relation into one row per (kept columns, item): `items` is a list of
  {'index': n, 'columns': [...]} and `names` the output names of those columns, so item n
  yields a row with feature_index = n (the column `index_column`; none leaves it out) and
  names[k] = columns[k]. The log is read once; the fan-out happens per row in memory.
-#}
{% macro unpivot(relation, keep, items, names, index_column='feature_index') %}
  {{ return(adapter.dispatch('unpivot', 'driftline')(relation, keep, items, names, index_column)) }}
{% endmacro %}

{% macro default__unpivot(relation, keep, items, names, index_column) -%}
    select
        {%- for column in keep %}
        wide.{{ column }},
        {%- endfor %}
        {%- if index_column %}
        items.feature_index as {{ index_column }},
        {%- endif %}
        {%- for name in names %}{% set position = loop.index0 %}
        case items.feature_index
            {%- for item in items %}
            when {{ item['index'] }} then wide.{{ item['columns'][position] }}
            {%- endfor %}
        end as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }} as wide
    cross join (
        {%- for item in items %}
        {% if not loop.first %}union all {% endif %}select {{ item['index'] }} as feature_index
        {%- endfor %}
    ) as items
{%- endmacro %}

{#- DuckDB zips parallel list unnests: no per-row CASE. -#}
{% macro duckdb__unpivot(relation, keep, items, names, index_column) -%}
    select
        {%- for column in keep %}
        {{ column }},
        {%- endfor %}
        {%- if index_column %}
        unnest([{% for item in items %}{{ item['index'] }}{{ ', ' if not loop.last }}{% endfor %}]) as {{ index_column }},
        {%- endif %}
        {%- for name in names %}{% set position = loop.index0 %}
        unnest([{% for item in items %}{{ item['columns'][position] }}{{ ', ' if not loop.last }}{% endfor %}]) as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
{%- endmacro %}

{#-
  Postgres: a lateral VALUES list. `offset 0` keeps the planner from inlining the relation's
  expressions (the fine-bin CASE searches) into the VALUES rows: a VALUES scan builds its
  expressions afresh for every outer row, which cost milliseconds a row (100 s instead of 5 s
  for drift_data's 20,000 rows); behind the fence the rows carry plain column references.
-#}
{% macro postgres__unpivot(relation, keep, items, names, index_column) -%}
    select
        {%- for column in keep %}
        wide.{{ column }},
        {%- endfor %}
        {%- if index_column %}
        items.feature_index as {{ index_column }},
        {%- endif %}
        {%- for name in names %}
        items.{{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (select * from {{ relation }} offset 0) as wide
    cross join lateral (values
        {%- for item in items %}
        ({{ item['index'] }}{% for column in item['columns'] %}, wide.{{ column }}{% endfor %}){{ ',' if not loop.last }}
        {%- endfor %}
    ) as items (feature_index{% for name in names %}, {{ name }}{% endfor %})
{%- endmacro %}
