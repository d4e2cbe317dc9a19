{#-
  Target drift: the distribution of the labels that have arrived for each window's
  predictions against the labels of the reference windows, as PSI and Jensen-Shannon
  distance (same definitions as feature drift). Classes are the bins of a classifier's
  label; a regression target is binned on the reference labels' deciles. Each
  prediction id counts once, whatever number of model versions scored it.
-#}
{%- set monitors = driftline.get_monitors() | selectattr('label_relation') | list -%}

with

labelled as (
    select * from {{ ref('int_driftline__labelled_predictions') }}
),

reference_windows as (
    select * from {{ ref('int_driftline__references') }}
),

labels as (
    select distinct monitor_name, window_start, segment_name, segment_value, prediction_id, label, label_value
    from labelled
    where label is not null
),

reference_labels as (
    select labels.*, reference_windows.reference_id
    from labels
    inner join reference_windows
        on reference_windows.monitor_name = labels.monitor_name
        and labels.window_start >= reference_windows.reference_start
        and labels.window_start < reference_windows.reference_end
),

regression_values as (
    select monitor_name, reference_id, '__label__' as feature_name, label_value as value
    from reference_labels
    where segment_name = '__all__' and label_value is not null
        and monitor_name in ({% for m in monitors if m.decl['task'] == 'regression' %}{{ driftline.literal(m.name) }}, {% endfor %}'')
),

regression_edges as (
    {{ driftline.reference_percentiles('regression_values', [10, 20, 30, 40, 50, 60, 70, 80, 90]) }}
),

deciles as (
    select distinct monitor_name, edge from regression_edges
    where percentile in (10, 20, 30, 40, 50, 60, 70, 80, 90)
),

binned as (
    select
        labels.monitor_name, labels.window_start, labels.segment_name, labels.segment_value,
        case
            when labels.label_value is null then labels.label
            else cast((select count(*) from deciles where deciles.monitor_name = labels.monitor_name and deciles.edge < labels.label_value) as {{ dbt.type_string() }})
        end as target_bin
    from labels
),

window_counts as (
    select monitor_name, window_start, segment_name, segment_value, target_bin, count(*) as n_rows
    from binned
    group by monitor_name, window_start, segment_name, segment_value, target_bin
),

window_totals as (
    select monitor_name, window_start, segment_name, segment_value, sum(n_rows) as n_cur
    from window_counts
    group by monitor_name, window_start, segment_name, segment_value
),

reference_counts as (
    select window_counts.monitor_name, window_counts.segment_name, window_counts.segment_value,
        window_counts.target_bin, sum(window_counts.n_rows) as n_rows
    from window_counts
    inner join reference_windows
        on reference_windows.monitor_name = window_counts.monitor_name
        and window_counts.window_start >= reference_windows.reference_start
        and window_counts.window_start < reference_windows.reference_end
    group by window_counts.monitor_name, window_counts.segment_name, window_counts.segment_value, window_counts.target_bin
),

reference_totals as (
    select monitor_name, segment_name, segment_value, sum(n_rows) as n_ref
    from reference_counts
    group by monitor_name, segment_name, segment_value
),

bins as (
    select distinct monitor_name, target_bin from window_counts
),

pairs as (
    select
        window_totals.monitor_name, window_totals.window_start, window_totals.segment_name, window_totals.segment_value,
        window_totals.n_cur,
        coalesce(reference_totals.n_ref, 0) as n_ref,
        cast(coalesce(reference_counts.n_rows, 0) as {{ driftline.type_double() }}) / nullif(reference_totals.n_ref, 0) as p_ref,
        cast(coalesce(window_counts.n_rows, 0) as {{ driftline.type_double() }}) / window_totals.n_cur as p_cur
    from window_totals
    inner join bins on bins.monitor_name = window_totals.monitor_name
    left join window_counts
        on window_counts.monitor_name = window_totals.monitor_name and window_counts.window_start = window_totals.window_start
        and window_counts.segment_name = window_totals.segment_name and window_counts.segment_value = window_totals.segment_value
        and window_counts.target_bin = bins.target_bin
    left join reference_counts
        on reference_counts.monitor_name = window_totals.monitor_name
        and reference_counts.segment_name = window_totals.segment_name and reference_counts.segment_value = window_totals.segment_value
        and reference_counts.target_bin = bins.target_bin
    left join reference_totals
        on reference_totals.monitor_name = window_totals.monitor_name
        and reference_totals.segment_name = window_totals.segment_name and reference_totals.segment_value = window_totals.segment_value
),

divergences as (
    {{ driftline.bin_divergences('pairs', ['monitor_name', 'window_start', 'segment_name', 'segment_value']) }}
),

totals as (
    select monitor_name, window_start, segment_name, segment_value, max(n_ref) as n_ref, max(n_cur) as n_cur
    from pairs
    group by monitor_name, window_start, segment_name, segment_value
),

final as (
    select
        totals.monitor_name, totals.window_start, totals.segment_name, totals.segment_value,
        totals.n_ref, totals.n_cur, divergences.psi, divergences.js_distance
    from totals
    inner join divergences
        on divergences.monitor_name = totals.monitor_name and divergences.window_start = totals.window_start
        and divergences.segment_name = totals.segment_name and divergences.segment_value = totals.segment_value
)

select * from final
