{#-
  The given integer percentiles of each column of a wide relation, with the definition of
  reference_percentiles: `columns` is a list of {'name': feature name, 'column': column of
  `relation`}; returns (feature_name, percentile, edge), no rows for a column without values.
-#}
{% macro column_percentiles(relation, columns, percentiles) %}
  {{ return(adapter.dispatch('column_percentiles', 'driftline')(relation, columns, percentiles)) }}
{% endmacro %}

{% macro default__column_percentiles(relation, columns, percentiles) %}
    {%- set items = [] %}
    {%- for column in columns %}{% do items.append({'index': loop.index, 'columns': [column['column']]}) %}{% endfor %}
    with column_values as (
        {{ driftline.unpivot(relation, [], items, ['value']) }}
    ),

    column_names as (
        {%- for column in columns %}
        {% if not loop.first %}union all {% endif -%}
        select {{ loop.index }} as feature_index, {{ driftline.literal(column['name']) }} as feature_name
        {%- endfor %}
    ),

    named_values as (
        select
            cast(null as {{ dbt.type_string() }}) as monitor_name,
            cast(null as {{ dbt.type_string() }}) as reference_id,
            column_names.feature_name,
            column_values.value
        from column_values
        inner join column_names on column_names.feature_index = column_values.feature_index
        where column_values.value is not null
    ),

    edges as (
        {{ driftline.reference_percentiles('named_values', percentiles) }}
    )

    select feature_name, percentile, edge from edges
{% endmacro %}

{#- DuckDB: one quantile_disc per column in a single pass over the wide relation, no unpivot. -#}
{% macro duckdb__column_percentiles(relation, columns, percentiles) %}
    with column_edges as (
        select
            {%- for column in columns %}
            quantile_disc({{ column['column'] }}, [{% for p in percentiles %}{{ p / 100 }}{{ ', ' if not loop.last }}{% endfor %}]) as edges_{{ loop.index }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ relation }}
    )
    {%- for column in columns %}
    {% if not loop.first %}union all{% endif %}
    select
        {{ driftline.literal(column['name']) }} as feature_name,
        unnest([{{ percentiles | join(', ') }}]) as percentile,
        unnest(edges_{{ loop.index }}) as edge
    from column_edges
    where edges_{{ loop.index }} is not null
    {%- endfor %}
{% endmacro %}
