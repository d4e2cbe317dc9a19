
    

    create  table
      "warehouse"."main_driftline"."int_driftline__target_drift__dbt_tmp"
  
    
    as (
      with

labelled as (
    select * from "warehouse"."main_driftline"."int_driftline__labelled_predictions"
),

reference_windows as (
    select * from "warehouse"."main_driftline"."int_driftline__references"
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
        and monitor_name in ('')
),

regression_edges as (
    
    with lists as (
        select
            monitor_name,
            reference_id,
            feature_name,
            quantile_disc(value, [0.0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, 0.18, 0.19, 0.2, 0.21, 0.22, 0.23, 0.24, 0.25, 0.26, 0.27, 0.28, 0.29, 0.3, 0.31, 0.32, 0.33, 0.34, 0.35, 0.36, 0.37, 0.38, 0.39, 0.4, 0.41, 0.42, 0.43, 0.44, 0.45, 0.46, 0.47, 0.48, 0.49, 0.5, 0.51, 0.52, 0.53, 0.54, 0.55, 0.56, 0.57, 0.58, 0.59, 0.6, 0.61, 0.62, 0.63, 0.64, 0.65, 0.66, 0.67, 0.68, 0.69, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76, 0.77, 0.78, 0.79, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0]) as edges
        from regression_values
        group by monitor_name, reference_id, feature_name
    )

    select
        monitor_name,
        reference_id,
        feature_name,
        cast(unnest(range(0, 101)) as integer) as percentile,
        unnest(edges) as edge
    from lists

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
            else cast((select count(*) from deciles where deciles.monitor_name = labels.monitor_name and deciles.edge < labels.label_value) as TEXT)
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
        cast(coalesce(reference_counts.n_rows, 0) as double precision) / nullif(reference_totals.n_ref, 0) as p_ref,
        cast(coalesce(window_counts.n_rows, 0) as double precision) / window_totals.n_cur as p_cur
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

floored as (
    select
        pairs.*,
        case when p_ref > 0 then p_ref else 0.0001 end as floored_ref,
        case when p_cur > 0 then p_cur else 0.0001 end as floored_cur
    from pairs
),

smoothed as (
    select
        floored.*,
        floored_ref / sum(floored_ref) over (partition by monitor_name, window_start, segment_name, segment_value) as q_ref,
        floored_cur / sum(floored_cur) over (partition by monitor_name, window_start, segment_name, segment_value) as q_cur
    from floored
),

final as (
    select
        monitor_name, window_start, segment_name, segment_value,
        max(n_ref) as n_ref,
        max(n_cur) as n_cur,
        case when count(p_ref) = count(*) then sum((q_cur - q_ref) * ln(q_cur / q_ref)) end as psi,
        case when count(p_ref) = count(*) then sqrt(greatest(
            0.5 * sum(case when p_ref > 0 then p_ref * ln(2 * p_ref / (p_ref + p_cur)) else 0 end)
            + 0.5 * sum(case when p_cur > 0 then p_cur * ln(2 * p_cur / (p_ref + p_cur)) else 0 end),
            0) / ln(2)) end as js_distance
    from smoothed
    group by monitor_name, window_start, segment_name, segment_value
)

select * from final
    );
    
  