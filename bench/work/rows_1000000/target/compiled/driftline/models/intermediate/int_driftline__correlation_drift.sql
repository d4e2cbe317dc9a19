with

comoments as (
    select * from "warehouse"."main_driftline"."int_driftline__window_comoments"
),

reference_windows as (
    select * from "warehouse"."main_driftline"."int_driftline__references"
),

reference_comoments as (
    select
        comoments.monitor_name, comoments.segment_name, comoments.segment_value,
        comoments.feature_a, comoments.feature_b,
        sum(n_pairs) as n_pairs, sum(sum_a) as sum_a, sum(sum_b) as sum_b,
        sum(sum_aa) as sum_aa, sum(sum_bb) as sum_bb, sum(sum_ab) as sum_ab
    from comoments
    inner join reference_windows
        on reference_windows.monitor_name = comoments.monitor_name
        and reference_windows.reference_id = comoments.reference_id
        and comoments.window_start >= reference_windows.reference_start
        and comoments.window_start < reference_windows.reference_end
    group by comoments.monitor_name, comoments.segment_name, comoments.segment_value,
        comoments.feature_a, comoments.feature_b
),

correlations as (
    select
        comoments.monitor_name, comoments.reference_id, comoments.window_start,
        comoments.segment_name, comoments.segment_value, comoments.feature_a, comoments.feature_b,
        comoments.n_pairs as n_cur,
        coalesce(reference_comoments.n_pairs, 0) as n_ref,
        case
        when comoments.n_pairs >= 2
            and comoments.n_pairs * comoments.sum_aa - comoments.sum_a * comoments.sum_a > 0
            and comoments.n_pairs * comoments.sum_bb - comoments.sum_b * comoments.sum_b > 0
        then (comoments.n_pairs * comoments.sum_ab - comoments.sum_a * comoments.sum_b)
            / sqrt((comoments.n_pairs * comoments.sum_aa - comoments.sum_a * comoments.sum_a)
                * (comoments.n_pairs * comoments.sum_bb - comoments.sum_b * comoments.sum_b))
    end as r_cur,
        case
        when reference_comoments.n_pairs >= 2
            and reference_comoments.n_pairs * reference_comoments.sum_aa - reference_comoments.sum_a * reference_comoments.sum_a > 0
            and reference_comoments.n_pairs * reference_comoments.sum_bb - reference_comoments.sum_b * reference_comoments.sum_b > 0
        then (reference_comoments.n_pairs * reference_comoments.sum_ab - reference_comoments.sum_a * reference_comoments.sum_b)
            / sqrt((reference_comoments.n_pairs * reference_comoments.sum_aa - reference_comoments.sum_a * reference_comoments.sum_a)
                * (reference_comoments.n_pairs * reference_comoments.sum_bb - reference_comoments.sum_b * reference_comoments.sum_b))
    end as r_ref
    from comoments
    left join reference_comoments
        on reference_comoments.monitor_name = comoments.monitor_name
        and reference_comoments.segment_name = comoments.segment_name
        and reference_comoments.segment_value = comoments.segment_value
        and reference_comoments.feature_a = comoments.feature_a
        and reference_comoments.feature_b = comoments.feature_b
),

final as (
    select
        correlations.*,
        abs(r_cur - r_ref) as correlation_change
    from correlations
)

select * from final