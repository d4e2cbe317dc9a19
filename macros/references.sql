{#-
  The current reference of every monitor, read when a downstream model compiles, so its
  bounds reach the SQL as literals (partition pruning) and its id tags what is built.
-#}
{% macro current_references() %}
  {%- if not execute -%}{{ return({}) }}{%- endif -%}
  {%- set rows = run_query('select monitor_name, reference_id, reference_start, reference_end from ' ~ ref('int_driftline__references')) -%}
  {%- set references = {} -%}
  {%- for row in rows -%}
    {%- do references.update({row[0]: {'reference_id': row[1], 'start': row[2] | string, 'end': row[3] | string}}) -%}
  {%- endfor -%}
  {{ return(references) }}
{% endmacro %}


{#- Rows of `alias` in any monitor's reference windows, with literal bounds (pruning). -#}
{% macro in_references(references, alias) -%}
    (1 = 0
    {%- for monitor_name, reference in references.items() %}
        or ({{ alias }}.monitor_name = {{ driftline.literal(monitor_name) }}
            and {{ alias }}.window_start >= {{ driftline.timestamp_literal(reference['start']) }}
            and {{ alias }}.window_start < {{ driftline.timestamp_literal(reference['end']) }})
    {%- endfor %})
{%- endmacro %}


{#- The reference id of each monitor as a SQL expression over a monitor_name column. -#}
{% macro reference_id_case(references, monitor_column) -%}
    case {{ monitor_column }}
        {%- for name, reference in references.items() %}
        when {{ driftline.literal(name) }} then {{ driftline.literal(reference['reference_id']) }}
        {%- endfor %}
    end
{%- endmacro %}


{#-
  For an incremental model keyed by (monitor_name, window_start) and tagged with
  reference_id: the last stored window of each monitor whose reference is unchanged.
  Monitors missing here (new, or with a new reference) are rebuilt in full.
-#}
{% macro incremental_since(references) %}
  {%- set since = {} -%}
  {%- if is_incremental() and execute -%}
    {%- set state = run_query('select monitor_name, reference_id, max(window_start) from ' ~ this ~ ' group by monitor_name, reference_id') -%}
    {%- for row in state -%}
      {%- set reference = references.get(row[0]) -%}
      {%- if reference is not none and reference['reference_id'] == row[1] -%}
        {%- do since.update({row[0]: row[2] | string}) -%}
      {%- endif -%}
    {%- endfor -%}
  {%- endif -%}
  {{ return(since) }}
{% endmacro %}


{#-
  The windows an incremental model keyed by (monitor_name, window_start) recomputes, as a
  predicate on `alias`: per monitor, from its last stored window (`since`, from
  incremental_since) back by the lookback, and for monitors with labels, when `labels` is
  true, back by their label horizon too (labels, revisions and orphans keep arriving for it);
  all of a monitor's windows when that range reaches into its reference period (the reference
  may have changed) or when the monitor is not in `since` (new, or a new reference); every
  window on a full build (empty `since`). A run recomputes every row of each window it emits.
-#}
{% macro recomputed_windows(monitors, references, since, alias, labels=false) -%}
  {%- if not since -%}
    1 = 1
  {%- else -%}
    (1 = 0
    {%- for monitor in monitors if monitor.name in references %}
    {%- if monitor.name in since %}
    {%- set from_window = dbt.dateadd(monitor.decl['window'], -var('driftline_lookback_windows', 1), driftline.timestamp_literal(since[monitor.name])) %}
    {%- if labels and monitor.label_relation is not none %}
    {%- set from_window = dbt.dateadd('day', -monitor.decl['labels']['horizon_days'], from_window) %}
    {%- endif %}
        or ({{ alias }}.monitor_name = {{ driftline.literal(monitor.name) }}
            and ({{ alias }}.window_start >= {{ from_window }} or {{ from_window }} < {{ driftline.timestamp_literal(references[monitor.name]['end']) }}))
    {%- else %}
        or {{ alias }}.monitor_name = {{ driftline.literal(monitor.name) }}
    {%- endif %}
    {%- endfor %})
  {%- endif -%}
{%- endmacro %}


{#-
  For an incremental model that reads the raw log (keyed by monitor_name and window_start):
  per monitor, the first window to rescan, or none when no window changed. Within the
  lookback (the last stored window minus var('driftline_lookback_windows')), a stored window
  is rescanned only if the log now holds a different number of rows for it (late rows,
  or a window that was still filling up): one count per window over that span of the log
  instead of profiling it again, so a daily run scans the new day and not the lookback.
  Windows after the last stored one are new and always scanned. `window_rows` is a select
  over `this` of (monitor_name, window_start, n_rows) for the '__all__' slice. Monitors
  missing from the result (new, or with a changed reference) are rebuilt in full.
-#}
{% macro rescan_since(monitors, references, window_rows) %}
  {%- set since = driftline.incremental_since(references) -%}
  {%- set rescan = {} -%}
  {%- for monitor in monitors if monitor.name in since -%}
    {%- set resolved = driftline.resolve_columns(monitor) -%}
    {%- set unit = monitor.decl['window'] -%}
    {%- set event_time = driftline.event_time(resolved, monitor.decl) -%}
    {%- set lookback_start = dbt.dateadd(unit, -var('driftline_lookback_windows', 1), driftline.timestamp_literal(since[monitor.name])) -%}
    {%- set query -%}
      with logged as (
          select {{ driftline.window_start(unit, event_time) }} as window_start, count(*) as n_rows
          from {{ monitor.relation }} as log
          where {{ event_time }} >= {{ lookback_start }}
          group by {{ driftline.window_start(unit, event_time) }}
      ),
      stored as (
          select window_start, n_rows from ({{ window_rows }}) as stored_rows
          where monitor_name = {{ driftline.literal(monitor.name) }} and window_start >= {{ lookback_start }}
      )
      select min(logged.window_start)
      from logged
      left join stored on stored.window_start = logged.window_start
      where stored.n_rows is null or stored.n_rows <> logged.n_rows
    {%- endset -%}
    {%- set first = run_query(query).columns[0].values()[0] -%}
    {%- do rescan.update({monitor.name: none if first is none else first | string}) -%}
  {%- endfor -%}
  {{ return(rescan) }}
{% endmacro %}


{#- The event-time predicate of an incremental run, from rescan_since: rows from the first window to rescan. -#}
{% macro rescan_predicate(rescan, monitor, column) -%}
  {%- if monitor.name not in rescan -%}
    1 = 1
  {%- elif rescan[monitor.name] is none -%}
    1 = 0
  {%- else -%}
    {{ column }} >= {{ driftline.timestamp_literal(rescan[monitor.name]) }}
  {%- endif -%}
{%- endmacro %}


{#-
  For a reference model materialised incrementally with one row set per monitor (keyed by
  monitor_name, tagged with reference_id): the monitors whose stored rows belong to an
  older reference, or that have none, and so must be computed. Unchanged references are
  kept as stored: the reference period of the raw log is scanned only when it changes.
-#}
{% macro stale_reference_monitors(monitors, references) %}
  {%- set stored = {} -%}
  {%- if is_incremental() and execute -%}
    {%- set rows = run_query('select distinct monitor_name, reference_id from ' ~ this) -%}
    {%- for row in rows -%}
      {%- do stored.update({row[0]: row[1]}) -%}
    {%- endfor -%}
  {%- endif -%}
  {%- set stale = [] -%}
  {%- for monitor in monitors if monitor.name in references -%}
    {%- if stored.get(monitor.name) != references[monitor.name]['reference_id'] -%}
      {%- do stale.append(monitor) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(stale) }}
{% endmacro %}


{#-
  Rows of a monitor's raw log (alias `log`) whose window lies in its reference: the exact
  window predicate, plus literal bounds on the raw event-time column that imply it (the
  window of t starts at or before t and ends after it), so a time-partitioned or
  time-ordered log is pruned to the reference period.
-#}
{% macro reference_rows_predicate(references, monitor, event_time) -%}
  {%- set reference = references[monitor.name] -%}
  {%- set unit = monitor.decl['window'] -%}
    {{ event_time }} >= {{ driftline.timestamp_literal(reference['start']) }}
    and {{ event_time }} < {{ dbt.dateadd(unit, 1, driftline.timestamp_literal(reference['end'])) }}
    and {{ driftline.window_start(unit, event_time) }} >= {{ driftline.timestamp_literal(reference['start']) }}
    and {{ driftline.window_start(unit, event_time) }} < {{ driftline.timestamp_literal(reference['end']) }}
{%- endmacro %}
