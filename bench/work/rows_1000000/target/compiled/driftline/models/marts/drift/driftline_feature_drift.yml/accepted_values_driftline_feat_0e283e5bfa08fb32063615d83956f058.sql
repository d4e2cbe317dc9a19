
    
    

with all_values as (

    select
        statistic as value_field,
        count(*) as n_records

    from "warehouse"."main_driftline"."driftline_feature_drift"
    group by statistic

)

select *
from all_values
where value_field not in (
    'psi','js_distance','ks_d','wasserstein_norm','unseen_share','correlation_change'
)


