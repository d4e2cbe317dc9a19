{#-
  The given integer percentiles of each column of a wide relation, with the definition of
  reference_percentiles: `columns` is a list of {'name': feature name, 'column': column of
  `relation`}; returns (feature_name, percentile, edge), no rows for a column without values.
  With `sample_every` k > 1 (from percentile_sample_every), the inner percentiles are those of
  the rows whose `row_key` hashes to 0 modulo k; percentiles 0 and 100 stay the exact minimum
  and maximum.
-#}
{% macro column_percentiles(relation, columns, percentiles, sample_every=1) %}
  {{ return(adapter.dispatch('column_percentiles', 'driftline')(relation, columns, percentiles, sample_every)) }}
{% endmacro %}


{#-
  1 (every row) on engines whose percentile query sorts, and so spills to disk, whatever the
  reference's size (the default body below).
-#}
{% macro percentile_sample_every(relation, predicate, n_columns) %}
  {{ return(adapter.dispatch('percentile_sample_every', 'driftline')(relation, predicate, n_columns)) }}
{% endmacro %}

{% macro default__percentile_sample_every(relation, predicate, n_columns) %}
  {{ return(1) }}
{% endmacro %}

{#-
  DuckDB's quantile_disc holds every value of its column in memory (about 10 bytes a value,
  measured) and cannot spill: a 30M-row log's 14-day reference (238M values) needed more than a
  1.5 GB memory_limit and the build failed. The reference's values are counted when the model
  compiles; when they exceed var('driftline_exact_percentile_values') (default: as many as 60%
  of memory_limit holds at 10 bytes each), the inner percentiles come from every k-th row by
  hash of its id, k the smallest that fits.
-#}
{% macro duckdb__percentile_sample_every(relation, predicate, n_columns) %}
  {%- if not execute or n_columns == 0 -%}{{ return(1) }}{%- endif -%}
  {%- set budget = var('driftline_exact_percentile_values', none) -%}
  {%- if budget is none -%}
    {%- set limit = run_query("select current_setting('memory_limit')").columns[0].values()[0] -%}
    {%- set budget = (driftline.size_in_bytes(limit) * 0.6 / 10) | int -%}
  {%- endif -%}
  {%- set query -%}
    select count(*) from {{ relation }} as log where {{ predicate }}
  {%- endset -%}
  {%- set n_values = run_query(query).columns[0].values()[0] * n_columns -%}
  {{ return([1, ((n_values + budget - 1) / budget) | int] | max) }}
{% endmacro %}

{#- Bytes in a DuckDB size setting such as '1.3 GiB' or '953.6 MiB'. -#}
{% macro size_in_bytes(setting) %}
  {%- set units = {'bytes': 1, 'KiB': 1024, 'MiB': 1024 ** 2, 'GiB': 1024 ** 3, 'TiB': 1024 ** 4,
                   'KB': 1000, 'MB': 1000 ** 2, 'GB': 1000 ** 3, 'TB': 1000 ** 4} -%}
  {%- set parts = setting.split(' ') -%}
  {%- if parts | length != 2 or parts[1] not in units -%}
    {%- do exceptions.raise_compiler_error("driftline: cannot read DuckDB's memory_limit '" ~ setting ~ "'; set var('driftline_exact_percentile_values') instead") -%}
  {%- endif -%}
  {{ return(parts[0] | float * units[parts[1]]) }}
{% endmacro %}

{% macro default__column_percentiles(relation, columns, percentiles, sample_every) %}
  {%- if sample_every != 1 -%}
    {%- do exceptions.raise_compiler_error('driftline: default__column_percentiles sorts every value and takes no sample (sample_every ' ~ sample_every ~ ')') -%}
  {%- endif %}
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

{#-
  DuckDB: one quantile_disc per column, no unpivot; with a sample, exact minimum and maximum
  beside the sample's inner percentiles. quantile_disc does its selection when the aggregate
  finalises, on one thread per aggregate: the columns are dealt round-robin into one aggregate
  per DuckDB thread, which DuckDB runs side by side (17 columns of a 4.7M-row reference, 2
  threads: 3.7 s in one aggregate, 2.2 s in two).
-#}
{% macro duckdb__column_percentiles(relation, columns, percentiles, sample_every) %}
  {%- set inner = percentiles | reject('equalto', 0) | reject('equalto', 100) | list %}
  {%- if sample_every != 1 and percentiles != [0] + inner + [100] -%}
    {%- do exceptions.raise_compiler_error('driftline: a sampled column_percentiles needs percentiles 0 and 100 around the others, got ' ~ percentiles) -%}
  {%- endif %}
  {%- set n_groups = [[driftline.duckdb_threads(), columns | length] | min, 1] | max %}
  {%- set groups = [] %}
  {%- for group in range(n_groups) %}{% do groups.append([]) %}{% endfor %}
  {%- for column in columns %}{% do groups[loop.index0 % n_groups].append(column) %}{% endfor %}
    with
    {%- for group in groups %}
    column_edges_{{ loop.index0 }} as (
        select
            {%- for column in group %}
            {%- if sample_every == 1 %}
            quantile_disc({{ column['column'] }}, [{% for p in percentiles %}{{ p / 100 }}{{ ', ' if not loop.last }}{% endfor %}]) as {{ column['column'] }}{{ ',' if not loop.last }}
            {%- else %}
            case when count({{ column['column'] }}) > 0 then list_concat(
                [min({{ column['column'] }})],
                quantile_disc(case when hash(row_key) % {{ sample_every }} = 0 then {{ column['column'] }} end, [{% for p in inner %}{{ p / 100 }}{{ ', ' if not loop.last }}{% endfor %}]),
                [max({{ column['column'] }})]
            ) end as {{ column['column'] }}{{ ',' if not loop.last }}
            {%- endif %}
            {%- endfor %}
        from {{ relation }}
    ){{ ',' if not loop.last }}
    {%- endfor %}
    {%- for column in columns %}
    {% if not loop.first %}union all{% endif %}
    select
        {{ driftline.literal(column['name']) }} as feature_name,
        unnest([{{ percentiles | join(', ') }}]) as percentile,
        unnest({{ column['column'] }}) as edge
    from column_edges_{{ loop.index0 % n_groups }}
    where {{ column['column'] }} is not null
    {%- endfor %}
{% endmacro %}

{#- The size of DuckDB's thread pool (1 when not executing, as at parse time). -#}
{% macro duckdb_threads() %}
  {%- if not execute -%}{{ return(1) }}{%- endif -%}
  {{ return(run_query("select current_setting('threads')").columns[0].values()[0] | int) }}
{% endmacro %}
