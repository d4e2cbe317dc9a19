{#-
  One reference per monitor: the window range every drift statistic compares against.
  `champion` uses the current champion's training window from the runner's registry and
  falls back to the first N windows until a champion exists; `date_range` and
  `first_windows` are taken from the declaration.
-#}
{%- set monitors = driftline.get_monitors() -%}

with

predictions as (
    select * from {{ ref('stg_driftline__predictions') }}
),

windows as (
    select monitor_name, window_start, count(*) as n_rows
    from predictions
    where segment_name = '__all__' and window_start is not null
    group by monitor_name, window_start
),

ranked_windows as (
    select
        monitor_name,
        window_start,
        row_number() over (partition by monitor_name order by window_start) as window_rank
    from windows
),

champions as (
    select
        monitor_name,
        {{ dbt.concat(["'champion:'", 'model_version']) }} as reference_id,
        training_start as reference_start,
        training_end as reference_end
    from ({{ driftline.current_champions() }}) as champions
),

{% for monitor in monitors -%}
{%- set reference = monitor.decl['reference'] -%}
{%- set unit = monitor.decl['window'] -%}
first_windows_{{ loop.index }} as (
    select
        monitor_name,
        {{ dbt.concat(["'first_windows:" ~ reference['windows'] ~ ":'", "cast(cast(min(window_start) as date) as " ~ dbt.type_string() ~ ")"]) }} as reference_id,
        min(window_start) as reference_start,
        {{ dbt.dateadd(unit, 1, 'max(window_start)') }} as reference_end
    from ranked_windows
    where monitor_name = {{ driftline.literal(monitor.name) }} and window_rank <= {{ reference['windows'] }}
    group by monitor_name
),

reference_{{ loop.index }} as (
    {% if reference['method'] == 'date_range' -%}
    select
        {{ driftline.literal(monitor.name) }} as monitor_name,
        {{ driftline.literal('date_range:' ~ reference['start'] ~ '..' ~ reference['end']) }} as reference_id,
        'date_range' as reference_method,
        {{ driftline.timestamp_literal(reference['start']) }} as reference_start,
        {{ driftline.timestamp_literal(reference['end']) }} as reference_end
    {%- elif reference['method'] == 'champion' -%}
    select
        {{ driftline.literal(monitor.name) }} as monitor_name,
        coalesce(champions.reference_id, first_windows.reference_id) as reference_id,
        case when champions.reference_id is not null then 'champion' else 'first_windows' end as reference_method,
        coalesce(champions.reference_start, first_windows.reference_start) as reference_start,
        coalesce(champions.reference_end, first_windows.reference_end) as reference_end
    from first_windows_{{ loop.index }} as first_windows
    full outer join (select * from champions where monitor_name = {{ driftline.literal(monitor.name) }}) as champions
        on champions.monitor_name = first_windows.monitor_name
    {%- else -%}
    select monitor_name, reference_id, 'first_windows' as reference_method, reference_start, reference_end
    from first_windows_{{ loop.index }}
    {%- endif %}
),

{% endfor -%}

references_union as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as reference_id,
        cast(null as {{ dbt.type_string() }}) as reference_method,
        cast(null as {{ dbt.type_timestamp() }}) as reference_start,
        cast(null as {{ dbt.type_timestamp() }}) as reference_end
    where 1 = 0
    {%- for monitor in monitors %}
    union all
    select * from reference_{{ loop.index }}
    {%- endfor %}
),

{#- a join, not a correlated subquery: Spark 4's optimizer fails on that one over the union -#}
final as (
    select
        references_union.monitor_name,
        references_union.reference_id,
        references_union.reference_method,
        references_union.reference_start,
        references_union.reference_end,
        count(windows.window_start) as n_reference_windows
    from references_union
    left join windows
        on windows.monitor_name = references_union.monitor_name
        and windows.window_start >= references_union.reference_start
        and windows.window_start < references_union.reference_end
    group by
        references_union.monitor_name,
        references_union.reference_id,
        references_union.reference_method,
        references_union.reference_start,
        references_union.reference_end
)

select * from final
