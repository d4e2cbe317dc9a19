{#- The slices every metric is reported for: '__all__' plus one per declared segment column. -#}
{% macro segment_slices(segments) -%}
    select {{ driftline.literal('__all__') }} as segment_name
    {%- for segment in segments %}
    union all
    select {{ driftline.literal(segment) }} as segment_name
    {%- endfor %}
{%- endmacro %}


{#- The row's value for its slice; NULL segment values get their own '(null)' slice. -#}
{% macro segment_value(segments, resolved, log_alias, slices_alias) -%}
    case {{ slices_alias }}.segment_name
        when {{ driftline.literal('__all__') }} then {{ driftline.literal('__all__') }}
        {%- for segment in segments %}
        when {{ driftline.literal(segment) }} then coalesce(cast({{ log_alias }}.{{ driftline.col(resolved, 'log', segment) }} as {{ dbt.type_string() }}), {{ driftline.literal('(null)') }})
        {%- endfor %}
    end
{%- endmacro %}
