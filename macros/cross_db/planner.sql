{#-
  Planner seams, run as hooks around every driftline table (dbt_project.yml). Engines that
  need nothing get empty hooks, which dbt skips.

  prepare_session (pre-hook), Postgres, with `set local` so the settings end with the model's
  own transaction:
  - jit off: Postgres JIT-compiles any query above jit_above_cost, and the fine-bin search
    (macros/statistics/fine_bins.sql) inlines about a thousand comparisons per feature: LLVM
    spent minutes compiling an expression the executor evaluates in a second.
  - nested loops off: the planner has no statistics for CTEs and multiplies the selectivities
    of driftline's five- and six-column join keys down to an estimate of one row, then joins
    thousands of rows by nested loops (minutes); hash and merge joins take seconds. Joins with
    no equality key still get a nested loop.

  refresh_statistics (post-hook): a fresh `create table as` has no planner statistics on
  Postgres until autovacuum reaches it; without row counts the planner estimates one row
  for the multi-key joins downstream and picks nested loops (minutes instead of a second).
-#}
{% macro prepare_session() %}{{ return(adapter.dispatch('prepare_session', 'driftline')()) }}{% endmacro %}
{% macro default__prepare_session() %}{{ return('') }}{% endmacro %}
{% macro postgres__prepare_session() %}{{ return('set local jit = off; set local enable_nestloop = off') }}{% endmacro %}

{% macro refresh_statistics(relation) %}{{ return(adapter.dispatch('refresh_statistics', 'driftline')(relation)) }}{% endmacro %}
{% macro default__refresh_statistics(relation) %}{{ return('') }}{% endmacro %}
{% macro postgres__refresh_statistics(relation) %}
  {%- if config.get('materialized') in ('view', 'ephemeral') -%}{{ return('') }}{%- endif -%}
  {{ return('analyze ' ~ relation) }}
{% endmacro %}
