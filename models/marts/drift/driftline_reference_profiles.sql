{#-
  The reference every drift statistic compares against, per monitor, segment slice and
  profiled column: each bin (numeric fine bins with their edges and PSI bin; categorical
  top-K categories, "__other__", "__unseen__" and "__null__") and its reference count,
  summed from the window profiles of the reference windows, plus the column's summary
  (rows, NULLs, min, max, mean, population standard deviation of its finite values, from the
  profiles' moments rows).
-#}
{%- set references = driftline.current_references() -%}

with

reference_windows as (
    select * from {{ ref('int_driftline__references') }}
),

bins as (
    select * from {{ ref('int_driftline__reference_bins') }}
),

categories as (
    select * from {{ ref('int_driftline__reference_categories') }}
),

window_profiles as (
    select * from {{ ref('driftline_window_profiles') }} as window_profiles
    where {{ driftline.in_references(references, 'window_profiles') }}
),

reference_profiles as (
    select window_profiles.*
    from window_profiles
    inner join reference_windows
        on reference_windows.monitor_name = window_profiles.monitor_name
        and reference_windows.reference_id = window_profiles.reference_id
        and window_profiles.window_start >= reference_windows.reference_start
        and window_profiles.window_start < reference_windows.reference_end
),

labelled_profiles as (
    select
        reference_profiles.*,
        case
            when reference_profiles.feature_kind = 'numeric' then null
            when reference_profiles.bin_index = -1 then '__null__'
            else coalesce(categories.category_bin, '__unseen__')
        end as bin_label
    from reference_profiles
    left join categories
        on categories.monitor_name = reference_profiles.monitor_name
        and categories.reference_id = reference_profiles.reference_id
        and categories.feature_name = reference_profiles.feature_name
        and categories.category = reference_profiles.category
),

counts as (
    select
        monitor_name, reference_id, segment_name, segment_value, feature_name, feature_kind, feature_role,
        case when feature_kind = 'numeric' then bin_index end as bin_index,
        bin_label,
        sum(n_rows) as n_rows,
        sum(n_finite) as n_finite,
        sum(sum_value) as sum_value
    from labelled_profiles
    where feature_kind = 'categorical' or bin_index is not null
    group by monitor_name, reference_id, segment_name, segment_value, feature_name, feature_kind, feature_role,
        case when feature_kind = 'numeric' then bin_index end, bin_label
),

moments as (
    select
        monitor_name, reference_id, segment_name, segment_value, feature_name,
        sum(sum_value) as reference_sum,
        sum(sum_squares) as reference_sum_squares,
        min(min_value) as reference_min,
        max(max_value) as reference_max
    from reference_profiles
    where feature_kind = 'numeric' and bin_index is null
    group by monitor_name, reference_id, segment_name, segment_value, feature_name
),

slices as (
    select distinct monitor_name, reference_id, segment_name, segment_value, feature_name, feature_role
    from counts
),

grid as (
    select
        slices.monitor_name, slices.reference_id, slices.segment_name, slices.segment_value,
        slices.feature_name, slices.feature_role,
        bins.feature_kind, bins.bin_index, bins.bin_label, bins.psi_bin, bins.lower_edge, bins.upper_edge
    from slices
    inner join bins
        on bins.monitor_name = slices.monitor_name
        and bins.reference_id = slices.reference_id
        and bins.feature_name = slices.feature_name
),

grid_keyed as (
    select
        grid.*,
        coalesce(cast(grid.bin_index as {{ dbt.type_string() }}), grid.bin_label) as bin_key
    from grid
),

counts_keyed as (
    select
        counts.*,
        coalesce(cast(counts.bin_index as {{ dbt.type_string() }}), counts.bin_label) as bin_key
    from counts
),

joined as (
    select
        grid_keyed.monitor_name, grid_keyed.reference_id, grid_keyed.segment_name, grid_keyed.segment_value,
        grid_keyed.feature_name, grid_keyed.feature_role, grid_keyed.feature_kind, grid_keyed.bin_index,
        grid_keyed.bin_label, grid_keyed.psi_bin, grid_keyed.lower_edge, grid_keyed.upper_edge,
        coalesce(counts_keyed.n_rows, 0) as n_rows,
        coalesce(counts_keyed.n_finite, 0) as n_finite,
        counts_keyed.sum_value
    from grid_keyed
    left join counts_keyed
        on counts_keyed.monitor_name = grid_keyed.monitor_name
        and counts_keyed.reference_id = grid_keyed.reference_id
        and counts_keyed.segment_name = grid_keyed.segment_name
        and counts_keyed.segment_value = grid_keyed.segment_value
        and counts_keyed.feature_name = grid_keyed.feature_name
        and counts_keyed.bin_key = grid_keyed.bin_key
),

summarised as (
    select
        joined.*,
        sum(n_rows) over (partition by monitor_name, reference_id, segment_name, segment_value, feature_name) as reference_rows,
        sum(case when psi_bin = -1 then n_rows else 0 end)
            over (partition by monitor_name, reference_id, segment_name, segment_value, feature_name) as reference_nulls,
        sum(n_finite) over (partition by monitor_name, reference_id, segment_name, segment_value, feature_name) as reference_finite
    from joined
),

final as (
    select
        summarised.monitor_name,
        summarised.reference_id,
        reference_windows.reference_method,
        reference_windows.reference_start,
        reference_windows.reference_end,
        summarised.segment_name,
        summarised.segment_value,
        summarised.feature_name,
        summarised.feature_kind,
        summarised.feature_role,
        summarised.bin_index,
        summarised.bin_label,
        summarised.psi_bin,
        summarised.lower_edge,
        summarised.upper_edge,
        summarised.n_rows,
        summarised.n_finite,
        summarised.sum_value,
        summarised.reference_rows,
        summarised.reference_nulls,
        summarised.reference_finite,
        moments.reference_min,
        moments.reference_max,
        case when summarised.reference_finite > 0
            then moments.reference_sum / summarised.reference_finite end as reference_mean,
        case when summarised.reference_finite > 0
            then sqrt(greatest(
                moments.reference_sum_squares / summarised.reference_finite
                - (moments.reference_sum / summarised.reference_finite) * (moments.reference_sum / summarised.reference_finite),
                0)) end as reference_stddev
    from summarised
    inner join reference_windows
        on reference_windows.monitor_name = summarised.monitor_name
    left join moments
        on moments.monitor_name = summarised.monitor_name
        and moments.reference_id = summarised.reference_id
        and moments.segment_name = summarised.segment_name
        and moments.segment_value = summarised.segment_value
        and moments.feature_name = summarised.feature_name
)

select * from final
