{{ config(
    materialized='incremental',
    incremental_strategy=driftline.incremental_strategy(),
    unique_key='monitor_name, window_start',
    partition_by=driftline.incremental_partition_by(['monitor_name', 'window_start']),
) }}
{#-
  Pairwise co-moments of the declared numeric features per monitor, window and segment
  slice, over the rows where both values are finite: n, sums, sums of squares and the
  sum of products. Mergeable like the profiles, so the reference's correlations are sums
  of these too. Read from the log in two wide scans per monitor (see below). Incremental like the
  profiles (driftline.rescan_since): n_window_rows, the window's rows in the slice, is what
  a later run compares with the log to find windows that got late rows.
-#}
{%- set monitors = driftline.get_monitors() -%}
{%- set references = driftline.current_references() -%}
{%- set window_rows -%}
    select monitor_name, window_start, max(n_window_rows) as n_rows
    from {{ this }}
    where segment_name = {{ driftline.literal('__all__') }}
    group by monitor_name, window_start
{%- endset -%}
{%- set rescan = driftline.rescan_since(monitors, references, window_rows) -%}

-- depends_on: {{ ref('int_driftline__references') }}

with

{% for monitor in monitors if monitor.name in references -%}
{%- set resolved = driftline.resolve_columns(monitor) -%}
{%- set numeric = monitor.decl['features'] | selectattr('kind', 'equalto', 'numeric') | list -%}
{%- set event_time = driftline.event_time(resolved, monitor.decl) -%}
{%- set slice_keys = ['segment_name', 'segment_value'] if monitor.decl['segments'] else [] -%}
{%- set group_keys = ['window_start'] + slice_keys -%}
{%- set m = loop.index -%}
{%- set pairs = [] -%}
{%- for a in numeric %}{% set i = loop.index %}{% for b in numeric %}{% if loop.index > i %}
{%- set j = loop.index %}
{%- do pairs.append({'index': pairs | length + 1, 'i': i, 'j': j, 'a': a['name'], 'b': b['name'],
    'columns': ['n_' ~ i ~ '_' ~ j, 'sa_' ~ i ~ '_' ~ j, 'sb_' ~ i ~ '_' ~ j, 'saa_' ~ i ~ '_' ~ j, 'sbb_' ~ i ~ '_' ~ j, 'sab_' ~ i ~ '_' ~ j]}) %}
{%- endif %}{% endfor %}{% endfor -%}
slices_{{ m }} as (
    {{ driftline.segment_slices(monitor.decl['segments']) }}
),

{#-
  Two aggregates, each with its own import of the log (a CTE read twice is materialized):
  the products per window, where sum(f_i * f_j) skips the rows with either value missing by
  itself; and the per-feature counts, sums and squares per pattern of finite features, from
  which each pair's sums over its both-finite rows follow (a pattern's sums serve every pair:
  16 sums and squares a row instead of 5 per pair; the bench's 3% NULLs in 16 features make
  about 1,500 patterns a window). One aggregate keyed by pattern holding the 120 products too
  took 4.3 s against 3.8 s at 10M rows.
-#}
{%- if pairs %}
{%- for part in ['products', 'patterns'] %}
{{ part }}_log_{{ m }} as (
    select * from {{ monitor.relation }}
),

{{ part }}_finite_{{ m }} as (
    select
        {{ driftline.window_start(monitor.decl['window'], event_time) }} as window_start,
        slices.segment_name,
        {{ driftline.segment_value(monitor.decl['segments'], resolved, 'log', 'slices') }} as segment_value
        {%- for feature in numeric %}
        {%- set value = driftline.feature_value(resolved, feature['name'], 'numeric') %},
        case when {{ driftline.is_finite(value) }} then {{ value }} end as f{{ loop.index }}
        {%- endfor %}
    from {{ part }}_log_{{ m }} as log
    cross join slices_{{ m }} as slices
    where {{ event_time }} is not null
        and {{ driftline.rescan_predicate(rescan, monitor, event_time) }}
),
{% endfor %}

products_{{ m }} as (
    select
        {{ group_keys | join(', ') }},
        count(*) as n_window_rows
        {%- for pair in pairs %},
        sum(f{{ pair['i'] }} * f{{ pair['j'] }}) as sab_{{ pair['i'] }}_{{ pair['j'] }}
        {%- endfor %}
    from products_finite_{{ m }}
    group by {{ group_keys | join(', ') }}
),

patterns_{{ m }} as (
    select
        {{ group_keys | join(', ') }},
        {%- for feature in numeric %}
        case when f{{ loop.index }} is null then 0 else 1 end as ok{{ loop.index }},
        {%- endfor %}
        count(*) as n_rows
        {%- for feature in numeric %},
        sum(f{{ loop.index }}) as s{{ loop.index }},
        sum(f{{ loop.index }} * f{{ loop.index }}) as q{{ loop.index }}
        {%- endfor %}
    from patterns_finite_{{ m }}
    group by {{ group_keys | join(', ') }}{% for feature in numeric %}, case when f{{ loop.index }} is null then 0 else 1 end{% endfor %}
),

pattern_sums_{{ m }} as (
    select
        {{ group_keys | join(', ') }}
        {%- for pair in pairs %}
        {%- set i, j = pair['i'], pair['j'] %}
        {%- set both = 'ok' ~ i ~ ' = 1 and ok' ~ j ~ ' = 1' %},
        cast(sum(case when {{ both }} then n_rows else 0 end) as {{ dbt.type_bigint() }}) as n_{{ i }}_{{ j }},
        sum(case when {{ both }} then s{{ i }} end) as sa_{{ i }}_{{ j }},
        sum(case when {{ both }} then s{{ j }} end) as sb_{{ i }}_{{ j }},
        sum(case when {{ both }} then q{{ i }} end) as saa_{{ i }}_{{ j }},
        sum(case when {{ both }} then q{{ j }} end) as sbb_{{ i }}_{{ j }}
        {%- endfor %}
    from patterns_{{ m }}
    group by {{ group_keys | join(', ') }}
),

aggregated_{{ m }} as (
    select
        products.window_start,
        {{ driftline.slice_columns(['products.segment_name', 'products.segment_value'] if slice_keys else []) }},
        cast(products.n_window_rows as {{ dbt.type_bigint() }}) as n_window_rows
        {%- for pair in pairs %}
        {%- for column in pair['columns'] %},
        {{ 'products' if loop.last else 'pattern_sums' }}.{{ column }}
        {%- endfor %}
        {%- endfor %}
    from products_{{ m }} as products
    inner join pattern_sums_{{ m }} as pattern_sums
        on {% for key in group_keys %}{{ 'and ' if not loop.first }}pattern_sums.{{ key }} = products.{{ key }}{{ ' ' }}{% endfor %}
),
{%- endif %}

{#-
  The pairs as rows: one unpivot of the wide aggregate (a union of one select per pair would
  reference it once per pair, and engines that inline CTEs, Spark among them, planned and
  computed the aggregate 120 times for 16 features and ran out of memory).
-#}
{%- if pairs %}
pairs_{{ m }} as (
    {%- for pair in pairs %}
    {% if not loop.first %}union all {% endif -%}
    select {{ pair['index'] }} as pair_index, {{ driftline.literal(pair['a']) }} as feature_a, {{ driftline.literal(pair['b']) }} as feature_b
    {%- endfor %}
),

pair_sums_{{ m }} as (
    {{ driftline.unpivot('aggregated_' ~ m, ['window_start', 'segment_name', 'segment_value', 'n_window_rows'], pairs, ['n_pairs', 'sum_a', 'sum_b', 'sum_aa', 'sum_bb', 'sum_ab'], index_column='pair_index') }}
),
{%- endif %}

comoments_{{ m }} as (
    {%- if pairs %}
    select
        {{ driftline.literal(monitor.name) }} as monitor_name,
        {{ driftline.literal(references[monitor.name]['reference_id']) }} as reference_id,
        pair_sums.window_start,
        pair_sums.segment_name,
        pair_sums.segment_value,
        pairs.feature_a,
        pairs.feature_b,
        pair_sums.n_window_rows,
        pair_sums.n_pairs,
        pair_sums.sum_a,
        pair_sums.sum_b,
        pair_sums.sum_aa,
        pair_sums.sum_bb,
        pair_sums.sum_ab
    from pair_sums_{{ m }} as pair_sums
    inner join pairs_{{ m }} as pairs on pairs.pair_index = pair_sums.pair_index
    {%- endif %}
    {%- if numeric | length < 2 %}
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name, cast(null as {{ dbt.type_string() }}) as reference_id,
        cast(null as {{ dbt.type_timestamp() }}) as window_start, cast(null as {{ dbt.type_string() }}) as segment_name,
        cast(null as {{ dbt.type_string() }}) as segment_value, cast(null as {{ dbt.type_string() }}) as feature_a,
        cast(null as {{ dbt.type_string() }}) as feature_b, cast(null as {{ dbt.type_bigint() }}) as n_window_rows,
        cast(null as {{ dbt.type_bigint() }}) as n_pairs,
        cast(null as {{ driftline.type_double() }}) as sum_a, cast(null as {{ driftline.type_double() }}) as sum_b,
        cast(null as {{ driftline.type_double() }}) as sum_aa, cast(null as {{ driftline.type_double() }}) as sum_bb,
        cast(null as {{ driftline.type_double() }}) as sum_ab
    where 1 = 0
    {%- endif %}
),

{% endfor -%}

typed_empty as (
    select
        cast(null as {{ dbt.type_string() }}) as monitor_name,
        cast(null as {{ dbt.type_string() }}) as reference_id,
        cast(null as {{ dbt.type_timestamp() }}) as window_start,
        cast(null as {{ dbt.type_string() }}) as segment_name,
        cast(null as {{ dbt.type_string() }}) as segment_value,
        cast(null as {{ dbt.type_string() }}) as feature_a,
        cast(null as {{ dbt.type_string() }}) as feature_b,
        cast(null as {{ dbt.type_bigint() }}) as n_window_rows,
        cast(null as {{ dbt.type_bigint() }}) as n_pairs,
        cast(null as {{ driftline.type_double() }}) as sum_a,
        cast(null as {{ driftline.type_double() }}) as sum_b,
        cast(null as {{ driftline.type_double() }}) as sum_aa,
        cast(null as {{ driftline.type_double() }}) as sum_bb,
        cast(null as {{ driftline.type_double() }}) as sum_ab
    where 1 = 0
),

final as (
    select * from typed_empty
    {%- for monitor in monitors if monitor.name in references %}
    union all
    select * from comoments_{{ loop.index }}
    {%- endfor %}
)

select * from final
