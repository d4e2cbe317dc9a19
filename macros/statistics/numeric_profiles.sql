{#-
  The numeric part of a window profile: from `relation` (the group keys, then one column
  n<index> per profiled numeric column, NaN already read as NULL), rows of

    group keys..., feature_index, bin_index, n_rows, n_finite, sum_value, sum_squares, min_value, max_value

  at two grains:
    - one row per non-empty fine bin (macros/statistics/fine_bins.sql): its counts, and on the
      two out-of-range bins (0: below the reference minimum, the top: above its maximum) the sum
      of their finite values, which places their Wasserstein-1 atoms; the moment columns are
      NULL on every other bin;
    - one moments row per column (bin_index NULL, counts 0 so that counts still sum over rows):
      sum, sum of squares, minimum and maximum of the column's finite values.

  `columns` is a list of {'index': feature_index, 'edges': the column's distinct sorted fine-edge
  values (empty when the reference has no finite value)}.
-#}
{% macro numeric_profiles(relation, group_keys, columns, subdivisions) %}
  {{ return(adapter.dispatch('numeric_profiles', 'driftline')(relation, group_keys, columns, subdivisions)) }}
{% endmacro %}


{#-
  Portable: each value's fine bin by the nested-CASE search, unpivoted and aggregated on one
  integer key per (column, fine bin), feature_index * stride + bin_index + 1, decoded after the
  aggregate (one narrow key hashes faster than several); the moments row is the roll-up of the
  bins' moments.
-#}
{% macro default__numeric_profiles(relation, group_keys, columns, subdivisions) %}
  {%- set stride = driftline.fine_bin_count(driftline.fine_edge_percentiles(), subdivisions) + 1 -%}
    with binned as (
        select
            {%- for key in group_keys %}
            {{ key }},
            {%- endfor %}
            {%- for column in columns %}
            {%- set n = 'n' ~ column['index'] %}
            {{ column['index'] * stride + 1 }} + {% if column['edges'] -%}
            {{ driftline.fine_bin(n, column['edges'], subdivisions) }}
            {%- else -%}
            case when {{ n }} is null then -1 else 0 end
            {%- endif %} as k{{ column['index'] }},
            case when {{ driftline.is_finite(n) }} then {{ n }} end as v{{ column['index'] }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ relation }}
    ),

    long_values as (
        {%- set items = [] %}
        {%- for column in columns %}{% do items.append({'index': column['index'], 'columns': ['k' ~ column['index'], 'v' ~ column['index']]}) %}{% endfor %}
        {{ driftline.unpivot('binned', group_keys, items, ['bin_key', 'finite_value'], index_column=none) }}
    ),

    aggregates as (
        select
            {%- for key in group_keys %}
            {{ key }},
            {%- endfor %}
            bin_key,
            count(*) as n_rows,
            count(finite_value) as n_finite,
            sum(finite_value) as sum_value,
            sum(finite_value * finite_value) as sum_squares,
            min(finite_value) as min_value,
            max(finite_value) as max_value
        from long_values
        group by {% for key in group_keys %}{{ key }}, {% endfor %}bin_key
    ),

    decoded as (
        select
            aggregates.*,
            cast(floor(bin_key / {{ stride }}) as {{ dbt.type_int() }}) as feature_index,
            cast(bin_key - {{ stride }} * floor(bin_key / {{ stride }}) - 1 as {{ dbt.type_int() }}) as bin_index
        from aggregates
    ),

    overflow_bins as (
        {%- for column in columns %}
        {% if not loop.first %}union all {% endif -%}
        select {{ column['index'] }} as feature_index, {{ driftline.fine_overflow_bin(column['edges'], subdivisions) }} as overflow_bin
        {%- endfor %}
    ),

    bin_rows as (
        select
            {%- for key in group_keys %}
            decoded.{{ key }},
            {%- endfor %}
            decoded.feature_index,
            decoded.bin_index,
            decoded.n_rows,
            decoded.n_finite,
            case when decoded.bin_index = 0 or decoded.bin_index = overflow_bins.overflow_bin then decoded.sum_value end as sum_value,
            cast(null as {{ driftline.type_double() }}) as sum_squares,
            cast(null as {{ driftline.type_double() }}) as min_value,
            cast(null as {{ driftline.type_double() }}) as max_value
        from decoded
        inner join overflow_bins on overflow_bins.feature_index = decoded.feature_index
    ),

    moment_rows as (
        select
            {%- for key in group_keys %}
            {{ key }},
            {%- endfor %}
            feature_index,
            cast(null as {{ dbt.type_int() }}) as bin_index,
            cast(0 as {{ dbt.type_bigint() }}) as n_rows,
            cast(0 as {{ dbt.type_bigint() }}) as n_finite,
            sum(sum_value) as sum_value,
            sum(sum_squares) as sum_squares,
            min(min_value) as min_value,
            max(max_value) as max_value
        from decoded
        group by {% for key in group_keys %}{{ key }}, {% endfor %}feature_index
    )

    select * from bin_rows
    union all
    select * from moment_rows
{% endmacro %}


{#-
  DuckDB: one histogram(value, boundaries) aggregate per column over the wide relation, grouped
  by the keys alone. Its binary search over the fine-bin boundaries runs inside the aggregate,
  where the nested CASE costs DuckDB a vector split per level; on 10M rows x 17 columns the
  profile takes well under half the time. The boundaries are the fine-bin edges as
  int_driftline__reference_bins computes them (lower + part * width / subdivisions), after the
  value just below the minimum (bin 0 holds x < minimum, bin 1 x = minimum); a value above the
  last boundary lands in the histogram's overflow entry, the top bin. Tail sums add x - minimum
  over the values below the minimum (x - maximum above the maximum) under a CASE, which DuckDB
  evaluates on those rows alone: half the time of sum(least(x - minimum, 0)) over every row.
-#}
{% macro duckdb__numeric_profiles(relation, group_keys, columns, subdivisions) %}
  {%- set bins_of = {} -%}
  {%- for column in columns if column['edges'] -%}
    {%- do bins_of.update({column['index']: driftline._histogram_bins(column['edges'], subdivisions)}) -%}
  {%- endfor %}
    with finite_values as (
        select
            *
            {%- for column in columns %},
            case when isfinite(n{{ column['index'] }}) then n{{ column['index'] }} end as v{{ column['index'] }}
            {%- endfor %}
        from {{ relation }}
    ),

    {#- materialized: the per-column branches below each read it -#}
    wide as materialized (
        select
            {%- for key in group_keys %}
            {{ key }},
            {%- endfor %}
            count(*) as n_group
            {%- for column in columns %}
            {%- set i = column['index'] %}
            {%- set edges = column['edges'] %},
            count(n{{ i }}) as n_values_{{ i }},
            count(v{{ i }}) as n_finite_{{ i }},
            sum(v{{ i }}) as sum_{{ i }},
            sum(v{{ i }} * v{{ i }}) as squares_{{ i }},
            min(v{{ i }}) as min_{{ i }},
            max(v{{ i }}) as max_{{ i }}
            {%- if edges %},
            histogram(n{{ i }}, {{ driftline._histogram_boundaries(edges, subdivisions) }}) as histogram_{{ i }},
            count_if(n{{ i }} = cast('-inf' as double)) as n_below_infinite_{{ i }},
            coalesce(sum(case when v{{ i }} < {{ driftline.double_literal(edges[0]) }} then v{{ i }} - {{ driftline.double_literal(edges[0]) }} end), 0) as below_excess_{{ i }},
            coalesce(sum(case when v{{ i }} > {{ driftline.double_literal(edges[-1]) }} then v{{ i }} - {{ driftline.double_literal(edges[-1]) }} end), 0) as above_excess_{{ i }}
            {%- endif %}
            {%- endfor %}
        from finite_values
        group by {% for key in group_keys %}{{ key }}{{ ', ' if not loop.last }}{% endfor %}
    ),

    {%- for column in columns %}
    {%- set i = column['index'] %}
    {%- set edges = column['edges'] %}
    {%- set overflow_bin = driftline.fine_overflow_bin(edges, subdivisions) %}

    bins_{{ i }} as (
        {%- if edges %}
        {%- set bins = bins_of[i] %}
        select
            {%- for key in group_keys %}
            {{ key }},
            {%- endfor %}
            n_below_infinite_{{ i }} as n_below_infinite,
            n_values_{{ i }} - n_finite_{{ i }} - n_below_infinite_{{ i }} as n_above_infinite,
            below_excess_{{ i }} as below_excess,
            above_excess_{{ i }} as above_excess,
            {%- if bins | length == overflow_bin %}
            unnest(range({{ overflow_bin + 1 }})) as bin_index,
            {%- else %}
            unnest([{{ bins | join(', ') }}, {{ overflow_bin }}]) as bin_index,
            {%- endif %}
            unnest(map_values(histogram_{{ i }})) as n_rows
        from wide
        {%- else %}
        {#- no reference edges: every non-NULL value is in bin 0 -#}
        select
            {%- for key in group_keys %}
            {{ key }},
            {%- endfor %}
            n_values_{{ i }} - n_finite_{{ i }} as n_below_infinite,
            0 as n_above_infinite,
            sum_{{ i }} as below_excess,
            0 as above_excess,
            0 as bin_index,
            n_values_{{ i }} as n_rows
        from wide
        {%- endif %}
    ),

    rows_{{ i }} as (
        select
            {%- for key in group_keys %}
            {{ key }},
            {%- endfor %}
            {{ i }} as feature_index,
            bin_index,
            cast(n_rows as bigint) as n_rows,
            cast(n_rows as bigint) - case when bin_index = 0 then n_below_infinite when bin_index = {{ overflow_bin }} then n_above_infinite else 0 end as n_finite,
            case
                {%- if edges %}
                when bin_index = 0 then {{ driftline.double_literal(edges[0]) }} * (n_rows - n_below_infinite) + below_excess
                when bin_index = {{ overflow_bin }} then {{ driftline.double_literal(edges[-1]) }} * (n_rows - n_above_infinite) + above_excess
                {%- else %}
                when bin_index = 0 then below_excess
                {%- endif %}
            end as sum_value,
            cast(null as double) as sum_squares,
            cast(null as double) as min_value,
            cast(null as double) as max_value
        from bins_{{ i }}
        where n_rows > 0
        union all
        select
            {%- for key in group_keys %}
            {{ key }},
            {%- endfor %}
            {{ i }}, null, 0, 0, sum_{{ i }}, squares_{{ i }}, min_{{ i }}, max_{{ i }}
        from wide
        union all
        select
            {%- for key in group_keys %}
            {{ key }},
            {%- endfor %}
            {{ i }}, -1, n_group - n_values_{{ i }}, 0, null, null, null, null
        from wide
        where n_group > n_values_{{ i }}
    ),
    {%- endfor %}

    final as (
        {%- for column in columns %}
        {% if not loop.first %}union all {% endif -%}
        select * from rows_{{ column['index'] }}
        {%- endfor %}
    )

    select * from final
{% endmacro %}


{#-
  Boundaries of the fine bins for DuckDB's histogram(): the value just below the minimum, the
  minimum, then each interval's inner part edges and its upper edge, as
  int_driftline__reference_bins computes them (lower + part * width / subdivisions). DuckDB
  computes a wide interval's parts itself, in a list comprehension it folds to a constant: a
  Jinja loop over 17 x 1,024 parts took most of a second of every compilation. Only an
  interval too narrow for distinct parts in floating point is spelled out, its repeated
  boundaries left out (histogram() would merge them; their bins stay empty).
-#}
{% macro _histogram_boundaries(edges, subdivisions) -%}
    flatten([
        [nextafter({{ driftline.double_literal(edges[0]) }}, cast('-inf' as double)), {{ driftline.double_literal(edges[0]) }}]
        {%- for k in range(1, edges | length) %}
        {%- set lower = driftline.double_literal(edges[k - 1]) %}
        {%- set upper = driftline.double_literal(edges[k]) %},
        {%- if driftline._parts_are_distinct(edges[k - 1], edges[k], subdivisions) %}
        [case when part = {{ subdivisions }} then {{ upper }} else {{ lower }} + part * ({{ upper }} - {{ lower }}) / {{ subdivisions }} end for part in range(1, {{ subdivisions + 1 }})]
        {%- else %}
        [{% for boundary in driftline._narrow_interval_boundaries(edges[k - 1], edges[k], subdivisions) %}{{ driftline.double_literal(boundary['value']) }}{{ ', ' if not loop.last }}{% endfor %}]
        {%- endif %}
        {%- endfor %}
    ])
{%- endmacro %}


{#- The fine bin each entry of _histogram_boundaries counts, in order. -#}
{% macro _histogram_bins(edges, subdivisions) %}
  {%- set bins = [0, 1] -%}
  {%- for k in range(1, edges | length) -%}
    {%- set first_bin = 2 + (k - 1) * subdivisions -%}
    {%- if driftline._parts_are_distinct(edges[k - 1], edges[k], subdivisions) -%}
      {%- do bins.extend(range(first_bin, first_bin + subdivisions)) -%}
    {%- else -%}
      {%- for boundary in driftline._narrow_interval_boundaries(edges[k - 1], edges[k], subdivisions) -%}
        {%- do bins.append(first_bin + boundary['part'] - 1) -%}
      {%- endfor -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(bins) }}
{% endmacro %}


{#-
  Whether an interval's parts are wide enough that rounding cannot merge or reorder their
  boundaries: a part spans more than 1e-12 of the edges' magnitude, against rounding errors of
  about 1e-16 of it.
-#}
{% macro _parts_are_distinct(lower, upper, subdivisions) %}
  {{ return((upper - lower) / subdivisions > 1e-12 * ([lower | abs, upper | abs] | max)) }}
{% endmacro %}


{#- The distinct increasing part boundaries of a narrow interval, each with its part number. -#}
{% macro _narrow_interval_boundaries(lower, upper, subdivisions) %}
  {%- set boundaries = [] -%}
  {%- set state = {'last': lower} -%}
  {%- for part in range(1, subdivisions + 1) -%}
    {%- set boundary = upper if part == subdivisions else lower + part * (upper - lower) / subdivisions -%}
    {%- if boundary > state['last'] and boundary <= upper -%}
      {%- do boundaries.append({'value': boundary, 'part': part}) -%}
      {%- do state.update({'last': boundary}) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(boundaries) }}
{% endmacro %}
