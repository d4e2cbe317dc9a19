{#-
  The category dictionary of every categorical profiled column in the reference: each
  category's count and rank. The top var('driftline_top_k_categories', 20) keep their
  own bin; the rest share "other"; values never seen in the reference are "unseen".
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
        feature_values.value_categorical as category
    from feature_values
    where feature_values.segment_name = '__all__'
        and feature_values.feature_kind = 'categorical'
        and feature_values.value_categorical is not null
        and (
            1 = 0
            {%- for monitor in monitors %}
            or ({{ driftline.in_reference(references, monitor.name, 'feature_values') }})
            {%- endfor %}
        )
),

counted as (
    select monitor_name, reference_id, feature_name, category, count(*) as n_reference
    from reference_values
    group by monitor_name, reference_id, feature_name, category
),

ranked as (
    select
        counted.*,
        row_number() over (
            partition by monitor_name, reference_id, feature_name
            order by n_reference desc, category
        ) as category_rank
    from counted
),

final as (
    select
        monitor_name,
        reference_id,
        feature_name,
        category,
        n_reference,
        category_rank,
        case when category_rank <= {{ var('driftline_top_k_categories', 20) }} then category else '__other__' end as category_bin
    from ranked
)

select * from final
