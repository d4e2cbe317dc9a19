{#-
  Test-only: route driftline's DuckDB overrides to their portable default__ bodies, so a
  DuckDB build exercises (and a sqlglot transpile checks) the SQL other engines get.
  is_nan keeps DuckDB's body: DuckDB treats NaN = NaN as true, which is why it is a seam.
-#}
{% macro duckdb__reference_percentiles(relation, percentiles) %}{{ return(driftline.default__reference_percentiles(relation, percentiles)) }}{% endmacro %}
{% macro duckdb__unpivot(relation, keep, items, names, index_column) %}{{ return(driftline.default__unpivot(relation, keep, items, names, index_column)) }}{% endmacro %}
{% macro duckdb__is_finite(expr) %}{{ return(driftline.default__is_finite(expr)) }}{% endmacro %}
{% macro duckdb__safe_cast(expr, type) %}{{ return(driftline.default__safe_cast(expr, type)) }}{% endmacro %}
{% macro duckdb__column_percentiles(relation, columns, percentiles, sample_every) %}{{ return(driftline.default__column_percentiles(relation, columns, percentiles, sample_every)) }}{% endmacro %}
{% macro duckdb__percentile_sample_every(relation, predicate, n_columns) %}{{ return(driftline.default__percentile_sample_every(relation, predicate, n_columns)) }}{% endmacro %}
{% macro duckdb__numeric_profiles(relation, group_keys, columns, subdivisions) %}{{ return(driftline.default__numeric_profiles(relation, group_keys, columns, subdivisions)) }}{% endmacro %}
