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
    ks_d, wasserstein over the fine-bin atoms: each non-empty fine bin's finite mass
                      placed at that bin's mean, on each side

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

-- KS and Wasserstein-1 over fine-bin atoms (numeric, finite values) ------------------

reference_atoms as (
    select monitor_name, segment_name, segment_value, feature_name, bin_index,
        sum_value / n_finite as position, n_finite
    from reference_profiles
    where feature_kind = 'numeric' and bin_index >= 0 and n_finite > 0
),

current_atoms as (
    select monitor_name, window_start, segment_name, segment_value, feature_name, bin_index,
        sum(sum_value) / sum(n_finite) as position, sum(n_finite) as n_finite
    from current_binned
    where feature_kind = 'numeric' and bin_index >= 0 and n_finite > 0
    group by monitor_name, window_start, segment_name, segment_value, feature_name, bin_index
),

atoms as (
    select keys.monitor_name, keys.window_start, keys.segment_name, keys.segment_value, keys.feature_name,
        reference_atoms.bin_index, reference_atoms.position,
        cast(reference_atoms.n_finite as {{ driftline.type_double() }}) / keys.n_ref_finite as mass_ref,
        cast(0 as {{ driftline.type_double() }}) as mass_cur
    from keys
    inner join reference_atoms
        on reference_atoms.monitor_name = keys.monitor_name
        and reference_atoms.segment_name = keys.segment_name
        and reference_atoms.segment_value = keys.segment_value
        and reference_atoms.feature_name = keys.feature_name
    where keys.feature_kind = 'numeric' and keys.n_cur_finite > 0
    union all
    select keys.monitor_name, keys.window_start, keys.segment_name, keys.segment_value, keys.feature_name,
        current_atoms.bin_index, current_atoms.position,
        cast(0 as {{ driftline.type_double() }}) as mass_ref,
        cast(current_atoms.n_finite as {{ driftline.type_double() }}) / keys.n_cur_finite as mass_cur
    from keys
    inner join current_atoms
        on current_atoms.monitor_name = keys.monitor_name
        and current_atoms.window_start = keys.window_start
        and current_atoms.segment_name = keys.segment_name
        and current_atoms.segment_value = keys.segment_value
        and current_atoms.feature_name = keys.feature_name
    where keys.feature_kind = 'numeric' and keys.n_ref_finite > 0
),

atoms_cumulative as (
    select
        atoms.*,
        -- the default frame (range up to the current row) takes tied positions together;
        -- positions are never NULL, the explicit null order only keeps engines' defaults apart
        sum(mass_ref) over (partition by monitor_name, window_start, segment_name, segment_value, feature_name
            order by position nulls first) as cdf_ref,
        sum(mass_cur) over (partition by monitor_name, window_start, segment_name, segment_value, feature_name
            order by position nulls first) as cdf_cur,
        lead(position) over (partition by monitor_name, window_start, segment_name, segment_value, feature_name
            order by position, mass_ref) as next_position
    from atoms
),

fine_statistics as (
    select monitor_name, window_start, segment_name, segment_value, feature_name,
        max(abs(cdf_ref - cdf_cur)) as ks_d,
        sum(case when next_position is not null then abs(cdf_ref - cdf_cur) * (next_position - position) else 0 end) as wasserstein
    from atoms_cumulative
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
