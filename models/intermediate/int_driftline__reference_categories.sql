{{ config(
    materialized='incremental',
    incremental_strategy=driftline.incremental_strategy(),
    unique_key='monitor_name',
    partition_by=driftline.incremental_partition_by(['monitor_name']),
) }}
{#-
  The category dictionary of every categorical profiled column in the reference: each
  category's count and rank. The top var('driftline_top_k_categories', 20) keep their
  own bin; the rest share "other"; values never seen in the reference are "unseen".

  Read straight from the raw log, one scan of the reference period per monitor (literal
  bounds on the event-time column), categorical columns only. Incremental by monitor: a
  monitor is recomputed only when its reference_id differs from the stored one.
-#}
{%- set monitors = driftline.get_monitors() -%}
{%- set references = driftline.current_references() -%}
{%- set stale = driftline.stale_reference_monitors(monitors, references) -%}

-- depends_on: {{ ref('int_driftline__references') }}

with

{% for monitor in stale -%}
{%- set resolved = driftline.resolve_columns(monitor) -%}
{%- set event_time = driftline.event_time(resolved, monitor.decl) -%}
{%- set categorical = driftline.profiled_columns(monitor.decl) | selectattr('kind', 'equalto', 'categorical') | list -%}
{%- if categorical %}
features_{{ loop.index }} as (
    {%- for column in categorical %}
    {% if not loop.first %}union all {% endif -%}
    select {{ column['index'] }} as feature_index, {{ driftline.literal(column['name']) }} as feature_name
    {%- endfor %}
),

wide_{{ loop.index }} as (
    select
        {%- for column in categorical %}
        {{ driftline.feature_value(resolved, column['column'], 'categorical') }} as c{{ column['index'] }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ monitor.relation }} as log
    where {{ driftline.reference_rows_predicate(references, monitor, event_time) }}
),

long_{{ loop.index }} as (
    {%- set items = [] %}
    {%- for column in categorical %}{% do items.append({'index': column['index'], 'columns': ['c' ~ column['index']]}) %}{% endfor %}
    {{ driftline.unpivot('wide_' ~ loop.index, [], items, ['category']) }}
),

counted_{{ loop.index }} as (
    select feature_index, category, count(*) as n_reference
    from long_{{ loop.index }}
    where category is not null
    group by feature_index, category
),
{%- endif %}
{% endfor %}

counted as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as reference_id,
        cast(null as {{ dbt.type_string() }}) as feature_name,
        cast(null as {{ dbt.type_string() }}) as category,
        cast(null as {{ dbt.type_bigint() }}) as n_reference
    where 1 = 0
    {%- for monitor in stale %}
    {%- if driftline.profiled_columns(monitor.decl) | selectattr('kind', 'equalto', 'categorical') | list %}
    union all
    select
        {{ driftline.literal(monitor.name) }} as monitor_name,
        {{ driftline.literal(references[monitor.name]['reference_id']) }} as reference_id,
        features.feature_name,
        counted.category,
        counted.n_reference
    from counted_{{ loop.index }} as counted
    inner join features_{{ loop.index }} as features on features.feature_index = counted.feature_index
    {%- endif %}
    {%- endfor %}
),

ranked as (
    select
        counted.*,
        row_number() over (
            partition by monitor_name, reference_id, feature_name
            order by n_reference desc, category
        ) as category_rank
    from counted
),

final as (
    select
        monitor_name,
        reference_id,
        feature_name,
        category,
        n_reference,
        category_rank,
        case when category_rank <= {{ var('driftline_top_k_categories', 20) }} then category else '__other__' end as category_bin
    from ranked
)

select * from final
