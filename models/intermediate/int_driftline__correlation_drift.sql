{{ config(
    materialized='incremental',
    incremental_strategy=driftline.incremental_strategy(),
    unique_key='monitor_name, window_start',
    partition_by=driftline.incremental_partition_by(['monitor_name', 'window_start']),
) }}
{#-
  Change in the Pearson correlation of every pair of declared numeric features, per
  window and segment slice, against the same pair in the reference (pair-complete finite
  rows on both sides): |r_window - r_reference|. Incremental over the same windows as
  int_driftline__drift_statistics.
-#}
{%- set monitors = driftline.get_monitors() -%}
{%- set references = driftline.current_references() -%}
{%- set since = driftline.incremental_since(references) -%}

with

comoments as (
    select * from {{ ref('int_driftline__window_comoments') }} as comoments
    where {{ driftline.recomputed_windows(monitors, references, since, 'comoments') }}
),

reference_window_comoments as (
    select * from {{ ref('int_driftline__window_comoments') }} as comoments
    where {{ driftline.in_references(references, 'comoments') }}
),

reference_windows as (
    select * from {{ ref('int_driftline__references') }}
),

reference_comoments as (
    select
        comoments.monitor_name, comoments.segment_name, comoments.segment_value,
        comoments.feature_a, comoments.feature_b,
        sum(n_pairs) as n_pairs, sum(sum_a) as sum_a, sum(sum_b) as sum_b,
        sum(sum_aa) as sum_aa, sum(sum_bb) as sum_bb, sum(sum_ab) as sum_ab
    from reference_window_comoments as comoments
    inner join reference_windows
        on reference_windows.monitor_name = comoments.monitor_name
        and reference_windows.reference_id = comoments.reference_id
    group by comoments.monitor_name, comoments.segment_name, comoments.segment_value,
        comoments.feature_a, comoments.feature_b
),

correlations as (
    select
        comoments.monitor_name, comoments.reference_id, comoments.window_start,
        comoments.segment_name, comoments.segment_value, comoments.feature_a, comoments.feature_b,
        comoments.n_pairs as n_cur,
        coalesce(reference_comoments.n_pairs, 0) as n_ref,
        {{ driftline.pearson('comoments') }} as r_cur,
        {{ driftline.pearson('reference_comoments') }} as r_ref
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
