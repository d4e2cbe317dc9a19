{#- Pearson correlation from co-moments (n_pairs, sums, sums of squares, sum of products); NULL without variance. -#}
{% macro pearson(alias) -%}
    case
        when {{ alias }}.n_pairs >= 2
            and {{ alias }}.n_pairs * {{ alias }}.sum_aa - {{ alias }}.sum_a * {{ alias }}.sum_a > 0
            and {{ alias }}.n_pairs * {{ alias }}.sum_bb - {{ alias }}.sum_b * {{ alias }}.sum_b > 0
        then ({{ alias }}.n_pairs * {{ alias }}.sum_ab - {{ alias }}.sum_a * {{ alias }}.sum_b)
            / sqrt(({{ alias }}.n_pairs * {{ alias }}.sum_aa - {{ alias }}.sum_a * {{ alias }}.sum_a)
                * ({{ alias }}.n_pairs * {{ alias }}.sum_bb - {{ alias }}.sum_b * {{ alias }}.sum_b))
    end
{%- endmacro %}
