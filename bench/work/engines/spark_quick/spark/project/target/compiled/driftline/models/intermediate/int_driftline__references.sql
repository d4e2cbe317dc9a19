with

predictions as (
    select * from bench_driftline.stg_driftline__predictions
),

windows as (
    select monitor_name, window_start, count(*) as n_rows
    from predictions
    where segment_name = '__all__' and window_start is not null
    group by monitor_name, window_start
),

ranked_windows as (
    select
        monitor_name,
        window_start,
        row_number() over (partition by monitor_name order by window_start) as window_rank
    from windows
),

champions as (
    select
        monitor_name,
        concat('champion:', model_version) as reference_id,
        training_start as reference_start,
        training_end as reference_end
    from (select
        cast(null as string) as monitor_name,
        cast(null as string) as model_version,
        cast(null as timestamp) as created_at,
        cast(null as timestamp) as training_start,
        cast(null as timestamp) as training_end
    where 1 = 0) as champions
),

first_windows_1 as (
    select
        monitor_name,
        concat('first_windows:15:', cast(cast(min(window_start) as date) as string)) as reference_id,
        min(window_start) as reference_start,
        to_timestamp(
            to_unix_timestamp(
                date_add(
                    

    coalesce(date(max(window_start)), nvl2(date(max(window_start)), assert_true(date(max(window_start)) is not null), null))

,
                    cast(1 * 1 as int)
                )
            ) + 
        to_unix_timestamp(

    coalesce(to_timestamp(max(window_start)), nvl2(to_timestamp(max(window_start)), assert_true(to_timestamp(max(window_start)) is not null), null))

)
        - to_unix_timestamp(

    coalesce(date(max(window_start)), nvl2(date(max(window_start)), assert_true(date(max(window_start)) is not null), null))

)
        ) as reference_end
    from ranked_windows
    where monitor_name = 'bench' and window_rank <= 15
    group by monitor_name
),

reference_1 as (
    select monitor_name, reference_id, 'first_windows' as reference_method, reference_start, reference_end
    from first_windows_1
),

references_union as (
    select
        cast(null as string) as monitor_name,
        cast(null as string) as reference_id,
        cast(null as string) as reference_method,
        cast(null as timestamp) as reference_start,
        cast(null as timestamp) as reference_end
    where 1 = 0
    union all
    select * from reference_1
),final as (
    select
        references_union.monitor_name,
        references_union.reference_id,
        references_union.reference_method,
        references_union.reference_start,
        references_union.reference_end,
        count(windows.window_start) as n_reference_windows
    from references_union
    left join windows
        on windows.monitor_name = references_union.monitor_name
        and windows.window_start >= references_union.reference_start
        and windows.window_start < references_union.reference_end
    group by
        references_union.monitor_name,
        references_union.reference_id,
        references_union.reference_method,
        references_union.reference_start,
        references_union.reference_end
)

select * from final