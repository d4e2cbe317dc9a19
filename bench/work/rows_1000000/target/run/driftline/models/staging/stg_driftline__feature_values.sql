
  
  create view "warehouse"."main_driftline"."stg_driftline__feature_values__dbt_tmp" as (
    with

log_1 as (
    select * from "warehouse"."raw"."bench_log"
),
features_1 as (
    select 1 as feature_index, 'n01' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 2 as feature_index, 'n02' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 3 as feature_index, 'n03' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 4 as feature_index, 'n04' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 5 as feature_index, 'n05' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 6 as feature_index, 'n06' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 7 as feature_index, 'n07' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 8 as feature_index, 'n08' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 9 as feature_index, 'n09' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 10 as feature_index, 'n10' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 11 as feature_index, 'n11' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 12 as feature_index, 'n12' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 13 as feature_index, 'n13' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 14 as feature_index, 'n14' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 15 as feature_index, 'n15' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 16 as feature_index, 'n16' as feature_name, 'numeric' as feature_kind, 'feature' as feature_role
    union all select 17 as feature_index, 'c01' as feature_name, 'categorical' as feature_kind, 'feature' as feature_role
    union all select 18 as feature_index, 'c02' as feature_name, 'categorical' as feature_kind, 'feature' as feature_role
    union all select 19 as feature_index, 'c03' as feature_name, 'categorical' as feature_kind, 'feature' as feature_role
    union all select 20 as feature_index, 'c04' as feature_name, 'categorical' as feature_kind, 'feature' as feature_role
    union all select 21 as feature_index, '__score__' as feature_name, 'numeric' as feature_kind, 'score' as feature_role
    union all select 22 as feature_index, '__prediction__' as feature_name, 'categorical' as feature_kind, 'prediction' as feature_role
),

slices_1 as (
    select '__all__' as segment_name
),

unpivoted_1 as (
    select
        'bench' as monitor_name,
        cast(log."event_id" as TEXT) as prediction_id,
        cast(log."event_at" as timestamp) as event_at,
        date_trunc('day', cast(log."event_at" as timestamp)) as window_start,
        slices.segment_name,
        case slices.segment_name
        when '__all__' then '__all__'
    end as segment_value,
        features.feature_index,
        features.feature_name,
        features.feature_kind,
        features.feature_role,
        case features.feature_index
            when 1 then case when isnan(cast(log."n01" as double precision)) then null else cast(log."n01" as double precision) end
            when 2 then case when isnan(cast(log."n02" as double precision)) then null else cast(log."n02" as double precision) end
            when 3 then case when isnan(cast(log."n03" as double precision)) then null else cast(log."n03" as double precision) end
            when 4 then case when isnan(cast(log."n04" as double precision)) then null else cast(log."n04" as double precision) end
            when 5 then case when isnan(cast(log."n05" as double precision)) then null else cast(log."n05" as double precision) end
            when 6 then case when isnan(cast(log."n06" as double precision)) then null else cast(log."n06" as double precision) end
            when 7 then case when isnan(cast(log."n07" as double precision)) then null else cast(log."n07" as double precision) end
            when 8 then case when isnan(cast(log."n08" as double precision)) then null else cast(log."n08" as double precision) end
            when 9 then case when isnan(cast(log."n09" as double precision)) then null else cast(log."n09" as double precision) end
            when 10 then case when isnan(cast(log."n10" as double precision)) then null else cast(log."n10" as double precision) end
            when 11 then case when isnan(cast(log."n11" as double precision)) then null else cast(log."n11" as double precision) end
            when 12 then case when isnan(cast(log."n12" as double precision)) then null else cast(log."n12" as double precision) end
            when 13 then case when isnan(cast(log."n13" as double precision)) then null else cast(log."n13" as double precision) end
            when 14 then case when isnan(cast(log."n14" as double precision)) then null else cast(log."n14" as double precision) end
            when 15 then case when isnan(cast(log."n15" as double precision)) then null else cast(log."n15" as double precision) end
            when 16 then case when isnan(cast(log."n16" as double precision)) then null else cast(log."n16" as double precision) end
            when 21 then case when isnan(cast(log."score" as double precision)) then null else cast(log."score" as double precision) end
        end as value_numeric,
        case features.feature_index
            when 17 then cast(log."c01" as TEXT)
            when 18 then cast(log."c02" as TEXT)
            when 19 then cast(log."c03" as TEXT)
            when 20 then cast(log."c04" as TEXT)
            when 22 then cast(log."predicted_label" as TEXT)
        end as value_categorical
    from log_1 as log
    cross join slices_1 as slices
    cross join features_1 as features
),

typed_empty as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as TEXT) as prediction_id,
        cast(null as timestamp) as event_at,
        cast(null as timestamp) as window_start,
        cast(null as TEXT) as segment_name,
        cast(null as TEXT) as segment_value,
        cast(null as integer) as feature_index,
        cast(null as TEXT) as feature_name,
        cast(null as TEXT) as feature_kind,
        cast(null as TEXT) as feature_role,
        cast(null as double precision) as value_numeric,
        cast(null as TEXT) as value_categorical
    where 1 = 0
),

final as (
    select * from typed_empty
    union all
    select * from unpivoted_1
    
)

select * from final
  );
