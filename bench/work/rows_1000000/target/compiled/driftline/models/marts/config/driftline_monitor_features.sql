with

declared as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as integer) as feature_index,
        cast(null as TEXT) as feature_name,
        cast(null as TEXT) as feature_kind
    where 1 = 0
    union all
    select 'bench', 1, 'n01', 'numeric'
    union all
    select 'bench', 2, 'n02', 'numeric'
    union all
    select 'bench', 3, 'n03', 'numeric'
    union all
    select 'bench', 4, 'n04', 'numeric'
    union all
    select 'bench', 5, 'n05', 'numeric'
    union all
    select 'bench', 6, 'n06', 'numeric'
    union all
    select 'bench', 7, 'n07', 'numeric'
    union all
    select 'bench', 8, 'n08', 'numeric'
    union all
    select 'bench', 9, 'n09', 'numeric'
    union all
    select 'bench', 10, 'n10', 'numeric'
    union all
    select 'bench', 11, 'n11', 'numeric'
    union all
    select 'bench', 12, 'n12', 'numeric'
    union all
    select 'bench', 13, 'n13', 'numeric'
    union all
    select 'bench', 14, 'n14', 'numeric'
    union all
    select 'bench', 15, 'n15', 'numeric'
    union all
    select 'bench', 16, 'n16', 'numeric'
    union all
    select 'bench', 17, 'c01', 'categorical'
    union all
    select 'bench', 18, 'c02', 'categorical'
    union all
    select 'bench', 19, 'c03', 'categorical'
    union all
    select 'bench', 20, 'c04', 'categorical'
),

final as (
    select * from declared
)

select * from final