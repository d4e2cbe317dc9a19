with

edges as (
    select * from "warehouse"."main_driftline"."int_driftline__reference_edges"
),

categories as (
    select * from "warehouse"."main_driftline"."int_driftline__reference_categories"
),

distinct_edges as (
    select distinct monitor_name, reference_id, feature_name, edge from edges
),

indexed_edges as (
    select
        monitor_name,
        reference_id,
        feature_name,
        edge,
        row_number() over (partition by monitor_name, reference_id, feature_name order by edge) - 1 as edge_index,
        count(*) over (partition by monitor_name, reference_id, feature_name) - 1 as n_intervals
    from distinct_edges
),

deciles as (
    select distinct monitor_name, reference_id, feature_name, edge
    from edges
    where percentile in (10, 20, 30, 40, 50, 60, 70, 80, 90)
),

intervals as (
    select
        upper.monitor_name,
        upper.reference_id,
        upper.feature_name,
        upper.edge_index as interval_index,
        lower.edge as lower_edge,
        upper.edge as upper_edge,
        (
            select count(*) from deciles
            where deciles.monitor_name = upper.monitor_name
                and deciles.reference_id = upper.reference_id
                and deciles.feature_name = upper.feature_name
                and deciles.edge <= lower.edge
        ) as psi_bin
    from indexed_edges as upper
    inner join indexed_edges as lower
        on lower.monitor_name = upper.monitor_name
        and lower.reference_id = upper.reference_id
        and lower.feature_name = upper.feature_name
        and lower.edge_index = upper.edge_index - 1
),

parts as (
    select n as part from (select d1.d + 10 * d2.d + 100 * d3.d + 1000 * d4.d as n
    from (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d1
    cross join (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d2
    cross join (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d3
    cross join (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d4) as spine where n < 10
),

interval_bins as (
    select
        intervals.monitor_name,
        intervals.reference_id,
        intervals.feature_name,
        2 + (intervals.interval_index - 1) * 10 + parts.part as bin_index,
        intervals.lower_edge + parts.part * (intervals.upper_edge - intervals.lower_edge) / 10 as lower_edge,
        case
            when parts.part = 9 then intervals.upper_edge
            else intervals.lower_edge + (parts.part + 1) * (intervals.upper_edge - intervals.lower_edge) / 10
        end as upper_edge,
        intervals.psi_bin
    from intervals
    cross join parts
),

extremes as (
    select
        monitor_name,
        reference_id,
        feature_name,
        min(edge) as minimum,
        max(edge) as maximum,
        max(n_intervals) as n_intervals,
        (select count(*) from deciles
         where deciles.monitor_name = indexed_edges.monitor_name
            and deciles.reference_id = indexed_edges.reference_id
            and deciles.feature_name = indexed_edges.feature_name) as n_deciles
    from indexed_edges
    group by monitor_name, reference_id, feature_name
),

outer_bins as (
    select monitor_name, reference_id, feature_name, 0 as bin_index,
        cast(null as double precision) as lower_edge, minimum as upper_edge, 0 as psi_bin
    from extremes
    union all
    select monitor_name, reference_id, feature_name, 1, minimum, minimum, 0
    from extremes
    union all
    select monitor_name, reference_id, feature_name, 2 + n_intervals * 10,
        maximum, cast(null as double precision), n_deciles
    from extremes
),

numeric_bins as (
    select monitor_name, reference_id, feature_name, bin_index, lower_edge, upper_edge, psi_bin from interval_bins
    union all
    select monitor_name, reference_id, feature_name, bin_index, lower_edge, upper_edge, psi_bin from outer_bins
),

categorical_features as (
    select distinct monitor_name, reference_id, feature_name from categories
),

top_categories as (
    select monitor_name, reference_id, feature_name, category_bin as bin_label, category_rank as psi_bin
    from categories
    where category_rank <= 20
),

final as (
    select
        monitor_name, reference_id, feature_name, 'numeric' as feature_kind,
        cast(bin_index as integer) as bin_index,
        cast(null as TEXT) as bin_label,
        cast(psi_bin as integer) as psi_bin,
        cast(lower_edge as double precision) as lower_edge,
        cast(upper_edge as double precision) as upper_edge
    from numeric_bins
    union all
    select monitor_name, reference_id, feature_name, 'numeric', -1, '__null__', -1, null, null
    from extremes
    union all
    select monitor_name, reference_id, feature_name, 'categorical', null, bin_label, cast(psi_bin as integer), null, null
    from top_categories
    union all
    select monitor_name, reference_id, feature_name, 'categorical', null, '__other__', 20 + 1, null, null
    from categorical_features
    union all
    select monitor_name, reference_id, feature_name, 'categorical', null, '__unseen__', 20 + 2, null, null
    from categorical_features
    union all
    select monitor_name, reference_id, feature_name, 'categorical', null, '__null__', -1, null, null
    from categorical_features
)

select * from final