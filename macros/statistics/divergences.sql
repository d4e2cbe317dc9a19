{#-
  PSI and Jensen-Shannon distance per group of `relation`, which holds one row per bin
  with the reference share p_ref (NULL when the reference is empty) and the current
  share p_cur. PSI floors empty bins at 1e-4 and renormalises; JS (base 2) uses the raw
  shares. Both are NULL without a reference.
-#}
{% macro bin_divergences(relation, group_by) -%}
    select
        {{ group_by | join(', ') }},
        case when count(p_ref) = count(*) then sum((q_cur - q_ref) * ln(q_cur / q_ref)) end as psi,
        case when count(p_ref) = count(*) then sqrt(greatest(
            0.5 * sum(case when p_ref > 0 then p_ref * ln(2 * p_ref / (p_ref + p_cur)) else 0 end)
            + 0.5 * sum(case when p_cur > 0 then p_cur * ln(2 * p_cur / (p_ref + p_cur)) else 0 end),
            0) / ln(2)) end as js_distance
    from (
        select
            floored.*,
            floored_ref / sum(floored_ref) over (partition by {{ group_by | join(', ') }}) as q_ref,
            floored_cur / sum(floored_cur) over (partition by {{ group_by | join(', ') }}) as q_cur
        from (
            select
                shares.*,
                case when p_ref > 0 then p_ref else 0.0001 end as floored_ref,
                case when p_cur > 0 then p_cur else 0.0001 end as floored_cur
            from {{ relation }} as shares
        ) as floored
    ) as smoothed
    group by {{ group_by | join(', ') }}
{%- endmacro %}
