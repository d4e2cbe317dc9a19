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


{#-
  The slice columns of a relation grouped by `slice_keys`: the keys themselves, or, for a
  monitor without segments (keys left out of the grouping), the one '__all__' slice.
-#}
{% macro slice_columns(slice_keys) -%}
    {%- if slice_keys -%}
    {{ slice_keys | join(', ') }}
    {%- else -%}
    {{ driftline.literal('__all__') }} as segment_name, {{ driftline.literal('__all__') }} as segment_value
    {%- endif -%}
{%- endmacro %}
