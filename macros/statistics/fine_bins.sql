{#-
  Fine bins of a numeric value against its reference edges e_0 < e_1 < ... < e_m
  (the distinct reference percentiles listed by fine_edge_percentiles below):

    -1                     NULL (NaN included)
     0                     x < e_0              below the reference minimum
     1                     x = e_0              the reference minimum
     2 + (k-1)*S + s       e_(k-1) < x <= e_k   interval k split into S equal parts, part s
     2 + m*S               x > e_m              above the reference maximum

  The edges are inlined as literals and the interval is found by a balanced binary
  search of nested CASEs (about four comparisons a value): measured on DuckDB,
  edges read through a join cost several times the time and memory, and the cost of the
  CASE grows with its number of leaves (101 percentile edges x 10 parts cost several
  times the CPU of 17 edges x 64 parts, for about the same number of fine bins).
-#}

{#-
  The reference percentiles whose distinct values are the searched edges: the deciles, with
  the tails refined (1, 2, 5 and 95, 98, 99), since the outer intervals of a skewed column
  are wide and an equal split of, say, [p90, max] of a log-normal puts several percent of
  the mass into one fine bin. 16 intervals x 64 parts = 1,024 fine bins.
-#}
{% macro fine_edge_percentiles() -%}
  {%- set percentiles = var('driftline_fine_edge_percentiles', [0, 1, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99, 100]) -%}
  {%- if percentiles[0] != 0 or percentiles[-1] != 100 -%}
    {{ exceptions.raise_compiler_error("driftline_fine_edge_percentiles must run from 0 to 100, got " ~ percentiles) }}
  {%- endif -%}
  {{ return(percentiles) }}
{%- endmacro %}

{% macro fine_subdivisions() -%}
  {{ return(var('driftline_fine_subdivisions', 64) | int) }}
{%- endmacro %}


{% macro fine_bin_count(edges, subdivisions) -%}
  {{ return(3 + (edges | length - 1) * subdivisions) }}
{%- endmacro %}


{#- Index of the bin above the reference maximum for these edges; -2 (no bin) without edges. -#}
{% macro fine_overflow_bin(edges, subdivisions) -%}
  {{ return(2 + (edges | length - 1) * subdivisions if edges else -2) }}
{%- endmacro %}


{% macro fine_bin(x, edges, subdivisions) -%}
  {%- set m = edges | length - 1 -%}
    case
        when {{ x }} is null then -1
        when {{ x }} < {{ driftline.double_literal(edges[0]) }} then 0
        when {{ x }} <= {{ driftline.double_literal(edges[0]) }} then 1
        when {{ x }} > {{ driftline.double_literal(edges[m]) }} then {{ driftline.fine_overflow_bin(edges, subdivisions) }}
        {%- if m > 0 %}
        else {{ driftline._interval_search(x, edges, subdivisions, 1, m) }}
        {%- endif %}
    end
{%- endmacro %}


{% macro _interval_search(x, edges, subdivisions, lo, hi) -%}
  {%- if lo == hi -%}
    {%- set width = edges[lo] - edges[lo - 1] -%}
    {{ 2 + (lo - 1) * subdivisions }} + least({{ subdivisions - 1 }}, greatest(0, cast(ceil(({{ x }} - {{ driftline.double_literal(edges[lo - 1]) }}) * {{ driftline.double_literal(subdivisions / width) }}) as {{ dbt.type_int() }}) - 1))
  {%- else -%}
    {%- set mid = (lo + hi) // 2 -%}
    case when {{ x }} <= {{ driftline.double_literal(edges[mid]) }} then {{ driftline._interval_search(x, edges, subdivisions, lo, mid) }} else {{ driftline._interval_search(x, edges, subdivisions, mid + 1, hi) }} end
  {%- endif -%}
{%- endmacro %}


{#- Distinct sorted edges of every (monitor, feature), read from the reference edges model. -#}
{% macro reference_edges() %}
  {%- if not execute -%}{{ return({}) }}{%- endif -%}
  {%- set rows = run_query('select monitor_name, feature_name, edge from ' ~ ref('int_driftline__reference_edges') ~ ' where percentile in (' ~ (driftline.fine_edge_percentiles() | join(', ')) ~ ') order by monitor_name, feature_name, percentile') -%}
  {%- set edges = {} -%}
  {%- for row in rows -%}
    {%- set key = row[0] ~ '.' ~ row[1] -%}
    {%- if key not in edges -%}{%- do edges.update({key: []}) -%}{%- endif -%}
    {%- set value = row[2] | float -%}
    {%- if not edges[key] or edges[key][-1] < value -%}{%- do edges[key].append(value) -%}{%- endif -%}
  {%- endfor -%}
  {{ return(edges) }}
{% endmacro %}
