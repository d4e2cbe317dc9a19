{#-
  Bin edges of every numeric profiled column, from the finite values of the reference
  (whole log, not per segment, so every slice is binned alike): percentile 0 (minimum),
  1..99, and 100 (maximum). Deciles (10, 20, ..., 90) bound the PSI/JS bins; all of
  them, subdivided, are the fine bins KS and Wasserstein-1 are computed from.
-#}
{%- set monitors = driftline.get_monitors() -%}
{%- set references = driftline.current_references() -%}

-- depends_on: {{ ref('int_driftline__references') }}

with

feature_values as (
    select * from {{ ref('stg_driftline__feature_values') }}
),

reference_values as (
    select
        feature_values.monitor_name,
        {{ driftline.reference_id_case(references, 'feature_values.monitor_name') }} as reference_id,
        feature_values.feature_name,
        feature_values.value_numeric as value
    from feature_values
    where feature_values.segment_name = '__all__'
        and feature_values.feature_kind = 'numeric'
        and {{ driftline.is_finite('feature_values.value_numeric') }}
        and (
            1 = 0
            {%- for monitor in monitors %}
            or ({{ driftline.in_reference(references, monitor.name, 'feature_values') }})
            {%- endfor %}
        )
),

percentiles as (
    {{ driftline.reference_percentiles('reference_values') }}
),

final as (
    select
        monitor_name,
        reference_id,
        feature_name,
        cast(percentile as {{ dbt.type_int() }}) as percentile,
        cast(edge as {{ driftline.type_double() }}) as edge
    from percentiles
)

select * from final
