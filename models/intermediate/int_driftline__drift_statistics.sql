{{ config(
    materialized='incremental',
    incremental_strategy=driftline.incremental_strategy(),
    unique_key='monitor_name, window_start',
    partition_by=driftline.incremental_partition_by(['monitor_name', 'window_start']),
) }}
{#-
  Every drift statistic of a (monitor, window, segment slice, profiled column) in one
  wide row; driftline_feature_drift turns it into one row per statistic. Kept as a
  table so each statistic is computed once (engines may inline a CTE at every use).

    psi, js_distance  over PSI bins (reference decile intervals or top-K categories,
                      plus other / unseen / NULL)
    ks_d, wasserstein over the fine bins: each fine bin's finite mass spread evenly
                      across it, the out-of-range bins' at their means, on each side

  Incremental like the profiles it reads: per monitor, only the windows the profiles can
  have rewritten (from the last stored window minus the lookback) are recomputed, and all
  of a monitor's windows when that range reaches into its reference period (the reference
  profile may have changed) or when its reference changed.
-#}
{%- set monitors = driftline.get_monitors() -%}
{%- set references = driftline.current_references() -%}
{%- set since = driftline.incremental_since(references) -%}

-- depends_on: {{ ref('int_driftline__references') }}

with

window_profiles as (
    select * from {{ ref('driftline_window_profiles') }} as window_profiles
    where {{ driftline.recomputed_windows(monitors, references, since, 'window_profiles') }}
),

reference_profiles as (
    select * from {{ ref('driftline_reference_profiles') }}
),

bins as (
    select * from {{ ref('int_driftline__reference_bins') }}
),

categories as (
    select * from {{ ref('int_driftline__reference_categories') }}
),

current_binned as (
    select
        window_profiles.monitor_name,
        window_profiles.reference_id,
        window_profiles.window_start,
        window_profiles.window_end,
        window_profiles.segment_name,
        window_profiles.segment_value,
        window_profiles.feature_name,
        window_profiles.feature_kind,
        window_profiles.feature_role,
        case when window_profiles.feature_kind = 'numeric' then window_profiles.bin_index end as bin_index,
        case
            when window_profiles.feature_kind = 'numeric' then null
            when window_profiles.bin_index = -1 then '__null__'
            else coalesce(categories.category_bin, '__unseen__')
        end as bin_label,
        window_profiles.n_rows,
        window_profiles.n_finite,
        window_profiles.sum_value
    from window_profiles
    left join categories
        on categories.monitor_name = window_profiles.monitor_name
        and categories.reference_id = window_profiles.reference_id
        and categories.feature_name = window_profiles.feature_name
        and categories.category = window_profiles.category
),

window_totals as (
    select
        monitor_name, reference_id, window_start, window_end, segment_name, segment_value,
        feature_name, feature_kind, feature_role,
        sum(n_rows) as n_cur,
        sum(n_finite) as n_cur_finite,
        sum(case when bin_label = '__unseen__' then n_rows else 0 end) as n_cur_unseen
    from current_binned
    group by monitor_name, reference_id, window_start, window_end, segment_name, segment_value,
        feature_name, feature_kind, feature_role
),

reference_totals as (
    select
        monitor_name, reference_id, segment_name, segment_value, feature_name,
        max(reference_rows) as n_ref,
        max(reference_finite) as n_ref_finite,
        max(reference_stddev) as reference_stddev
    from reference_profiles
    group by monitor_name, reference_id, segment_name, segment_value, feature_name
),

keys as (
    select
        window_totals.*,
        coalesce(reference_totals.n_ref, 0) as n_ref,
        coalesce(reference_totals.n_ref_finite, 0) as n_ref_finite,
        reference_totals.reference_stddev
    from window_totals
    left join reference_totals
        on reference_totals.monitor_name = window_totals.monitor_name
        and reference_totals.reference_id = window_totals.reference_id
        and reference_totals.segment_name = window_totals.segment_name
        and reference_totals.segment_value = window_totals.segment_value
        and reference_totals.feature_name = window_totals.feature_name
),

-- PSI and JS over PSI bins ---------------------------------------------------------

current_psi_bins as (
    select
        current_binned.monitor_name, current_binned.window_start, current_binned.segment_name,
        current_binned.segment_value, current_binned.feature_name, bins.psi_bin,
        sum(current_binned.n_rows) as n_rows
    from current_binned
    inner join bins
        on bins.monitor_name = current_binned.monitor_name
        and bins.reference_id = current_binned.reference_id
        and bins.feature_name = current_binned.feature_name
        and bins.bin_index = current_binned.bin_index
    where current_binned.feature_kind = 'numeric'
    group by current_binned.monitor_name, current_binned.window_start, current_binned.segment_name,
        current_binned.segment_value, current_binned.feature_name, bins.psi_bin
    union all
    select
        current_binned.monitor_name, current_binned.window_start, current_binned.segment_name,
        current_binned.segment_value, current_binned.feature_name, bins.psi_bin,
        sum(current_binned.n_rows) as n_rows
    from current_binned
    inner join bins
        on bins.monitor_name = current_binned.monitor_name
        and bins.reference_id = current_binned.reference_id
        and bins.feature_name = current_binned.feature_name
        and bins.bin_label = current_binned.bin_label
    where current_binned.feature_kind = 'categorical'
    group by current_binned.monitor_name, current_binned.window_start, current_binned.segment_name,
        current_binned.segment_value, current_binned.feature_name, bins.psi_bin
),

reference_psi_bins as (
    select monitor_name, segment_name, segment_value, feature_name, psi_bin, sum(n_rows) as n_rows
    from reference_profiles
    group by monitor_name, segment_name, segment_value, feature_name, psi_bin
),

psi_grid as (
    select distinct monitor_name, reference_id, feature_name, psi_bin from bins
),

psi_pairs as (
    select
        keys.monitor_name, keys.window_start, keys.segment_name, keys.segment_value, keys.feature_name,
        psi_grid.psi_bin,
        cast(coalesce(reference_psi_bins.n_rows, 0) as {{ driftline.type_double() }}) / nullif(keys.n_ref, 0) as p_ref,
        cast(coalesce(current_psi_bins.n_rows, 0) as {{ driftline.type_double() }}) / keys.n_cur as p_cur
    from keys
    inner join psi_grid
        on psi_grid.monitor_name = keys.monitor_name
        and psi_grid.reference_id = keys.reference_id
        and psi_grid.feature_name = keys.feature_name
    left join reference_psi_bins
        on reference_psi_bins.monitor_name = keys.monitor_name
        and reference_psi_bins.segment_name = keys.segment_name
        and reference_psi_bins.segment_value = keys.segment_value
        and reference_psi_bins.feature_name = keys.feature_name
        and reference_psi_bins.psi_bin = psi_grid.psi_bin
    left join current_psi_bins
        on current_psi_bins.monitor_name = keys.monitor_name
        and current_psi_bins.window_start = keys.window_start
        and current_psi_bins.segment_name = keys.segment_name
        and current_psi_bins.segment_value = keys.segment_value
        and current_psi_bins.feature_name = keys.feature_name
        and current_psi_bins.psi_bin = psi_grid.psi_bin
),

psi_statistics as (
    {{ driftline.bin_divergences('psi_pairs', ['monitor_name', 'window_start', 'segment_name', 'segment_value', 'feature_name']) }}
),

{#
  Each side's finite mass as pieces: a fine bin inside the reference range spreads its mass
  evenly over [lower_edge, upper_edge] (the minimum's bin is the point [e_0, e_0]); an
  out-of-range bin is an atom at its mean. Sorted by position, the gap F_ref - F_cur moves
  linearly across a piece and stays put between pieces, so KS D is the largest |gap| at a
  piece's end and Wasserstein-1 the integral of |gap|: exact for these piecewise-linear CDFs.
#}
-- KS and Wasserstein-1 over fine bins (numeric, finite values) ----------------------

reference_bins as (
    select monitor_name, segment_name, segment_value, feature_name, n_finite, sum_value, lower_edge, upper_edge
    from reference_profiles
    where feature_kind = 'numeric' and bin_index >= 0 and n_finite > 0
),

current_bins as (
    select current_binned.monitor_name, current_binned.window_start, current_binned.segment_name,
        current_binned.segment_value, current_binned.feature_name, bins.lower_edge, bins.upper_edge,
        sum(current_binned.n_finite) as n_finite, sum(current_binned.sum_value) as sum_value
    from current_binned
    inner join bins
        on bins.monitor_name = current_binned.monitor_name
        and bins.reference_id = current_binned.reference_id
        and bins.feature_name = current_binned.feature_name
        and bins.bin_index = current_binned.bin_index
    where current_binned.feature_kind = 'numeric' and current_binned.bin_index >= 0 and current_binned.n_finite > 0
    group by current_binned.monitor_name, current_binned.window_start, current_binned.segment_name,
        current_binned.segment_value, current_binned.feature_name, bins.lower_edge, bins.upper_edge
),

side_bins as (
    select keys.monitor_name, keys.window_start, keys.segment_name, keys.segment_value, keys.feature_name,
        reference_bins.lower_edge, reference_bins.upper_edge, reference_bins.sum_value / reference_bins.n_finite as mean_value,
        cast(reference_bins.n_finite as {{ driftline.type_double() }}) / keys.n_ref_finite as mass_ref,
        cast(0 as {{ driftline.type_double() }}) as mass_cur
    from keys
    inner join reference_bins
        on reference_bins.monitor_name = keys.monitor_name
        and reference_bins.segment_name = keys.segment_name
        and reference_bins.segment_value = keys.segment_value
        and reference_bins.feature_name = keys.feature_name
    where keys.feature_kind = 'numeric' and keys.n_cur_finite > 0
    union all
    select keys.monitor_name, keys.window_start, keys.segment_name, keys.segment_value, keys.feature_name,
        current_bins.lower_edge, current_bins.upper_edge, current_bins.sum_value / current_bins.n_finite as mean_value,
        cast(0 as {{ driftline.type_double() }}) as mass_ref,
        cast(current_bins.n_finite as {{ driftline.type_double() }}) / keys.n_cur_finite as mass_cur
    from keys
    inner join current_bins
        on current_bins.monitor_name = keys.monitor_name
        and current_bins.window_start = keys.window_start
        and current_bins.segment_name = keys.segment_name
        and current_bins.segment_value = keys.segment_value
        and current_bins.feature_name = keys.feature_name
    where keys.feature_kind = 'numeric' and keys.n_ref_finite > 0
),

pieces as (
    -- an out-of-range bin has one open edge: an atom at its mean
    select monitor_name, window_start, segment_name, segment_value, feature_name, mass_ref, mass_cur,
        case when lower_edge is null or upper_edge is null then mean_value else lower_edge end as piece_start,
        case when lower_edge is null or upper_edge is null then mean_value else upper_edge end as piece_end
    from side_bins
),

merged_pieces as (
    select monitor_name, window_start, segment_name, segment_value, feature_name, piece_start, piece_end,
        sum(mass_ref) - sum(mass_cur) as step
    from pieces
    group by monitor_name, window_start, segment_name, segment_value, feature_name, piece_start, piece_end
),

gaps as (
    -- positions are never NULL: the explicit null order only keeps engines' defaults apart
    select
        merged_pieces.*,
        sum(step) over (partition by monitor_name, window_start, segment_name, segment_value, feature_name
            order by piece_start nulls first, piece_end nulls first rows between unbounded preceding and current row) as gap_after,
        lead(piece_start) over (partition by monitor_name, window_start, segment_name, segment_value, feature_name
            order by piece_start nulls first, piece_end nulls first) as next_start
    from merged_pieces
),

gap_areas as (
    select
        gaps.*,
        gap_after - step as gap_before,
        -- the area under |gap| across the piece: a trapezoid, or two triangles when the gap changes sign
        case
            when (gap_after - step) * gap_after >= 0 then (abs(gap_after - step) + abs(gap_after)) / 2
            else ((gap_after - step) * (gap_after - step) + gap_after * gap_after) / (2 * (abs(gap_after - step) + abs(gap_after)))
        end * (piece_end - piece_start)
        + case when next_start is not null then abs(gap_after) * (next_start - piece_end) else 0 end as area
    from gaps
),

fine_statistics as (
    select monitor_name, window_start, segment_name, segment_value, feature_name,
        max(abs(gap_after)) as ks_d,
        sum(area) as wasserstein
    from gap_areas
    group by monitor_name, window_start, segment_name, segment_value, feature_name
),

final as (
    select
        keys.*,
        psi_statistics.psi,
        psi_statistics.js_distance,
        fine_statistics.ks_d,
        fine_statistics.wasserstein,
        case when keys.feature_kind = 'categorical'
            then cast(keys.n_cur_unseen as {{ driftline.type_double() }}) / keys.n_cur end as unseen_share
    from keys
    left join psi_statistics
        on psi_statistics.monitor_name = keys.monitor_name and psi_statistics.window_start = keys.window_start
        and psi_statistics.segment_name = keys.segment_name and psi_statistics.segment_value = keys.segment_value
        and psi_statistics.feature_name = keys.feature_name
    left join fine_statistics
        on fine_statistics.monitor_name = keys.monitor_name and fine_statistics.window_start = keys.window_start
        and fine_statistics.segment_name = keys.segment_name and fine_statistics.segment_value = keys.segment_value
        and fine_statistics.feature_name = keys.feature_name
)

select * from final
