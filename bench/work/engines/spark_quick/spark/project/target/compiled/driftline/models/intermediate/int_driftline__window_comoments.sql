-- depends_on: bench_driftline.int_driftline__references

with

log_1 as (
    select * from raw.bench_log
),

slices_1 as (
    select '__all__' as segment_name
),

finite_1 as (
    select
        date_trunc('day', cast(log.`event_at` as timestamp)) as window_start,
        slices.segment_name,
        case slices.segment_name
        when '__all__' then '__all__'
    end as segment_value,
        case when (cast(log.`n01` as double) - cast(log.`n01` as double) = 0) then cast(log.`n01` as double) end as f1,
        case when (cast(log.`n02` as double) - cast(log.`n02` as double) = 0) then cast(log.`n02` as double) end as f2,
        case when (cast(log.`n03` as double) - cast(log.`n03` as double) = 0) then cast(log.`n03` as double) end as f3,
        case when (cast(log.`n04` as double) - cast(log.`n04` as double) = 0) then cast(log.`n04` as double) end as f4,
        case when (cast(log.`n05` as double) - cast(log.`n05` as double) = 0) then cast(log.`n05` as double) end as f5,
        case when (cast(log.`n06` as double) - cast(log.`n06` as double) = 0) then cast(log.`n06` as double) end as f6,
        case when (cast(log.`n07` as double) - cast(log.`n07` as double) = 0) then cast(log.`n07` as double) end as f7,
        case when (cast(log.`n08` as double) - cast(log.`n08` as double) = 0) then cast(log.`n08` as double) end as f8
    from log_1 as log
    cross join slices_1 as slices
    where cast(log.`event_at` as timestamp) >= to_timestamp(
            to_unix_timestamp(
                date_add(
                    

    coalesce(date(cast('2026-01-30 00:00:00' as timestamp)), nvl2(date(cast('2026-01-30 00:00:00' as timestamp)), assert_true(date(cast('2026-01-30 00:00:00' as timestamp)) is not null), null))

,
                    cast(-1 * 1 as int)
                )
            ) + 
        to_unix_timestamp(

    coalesce(to_timestamp(cast('2026-01-30 00:00:00' as timestamp)), nvl2(to_timestamp(cast('2026-01-30 00:00:00' as timestamp)), assert_true(to_timestamp(cast('2026-01-30 00:00:00' as timestamp)) is not null), null))

)
        - to_unix_timestamp(

    coalesce(date(cast('2026-01-30 00:00:00' as timestamp)), nvl2(date(cast('2026-01-30 00:00:00' as timestamp)), assert_true(date(cast('2026-01-30 00:00:00' as timestamp)) is not null), null))

)
        )
),flagged_1 as (
    select
        finite_1.*,
        case when f1 is null then 0 else 1 end as ok1,
        case when f2 is null then 0 else 1 end as ok2,
        case when f3 is null then 0 else 1 end as ok3,
        case when f4 is null then 0 else 1 end as ok4,
        case when f5 is null then 0 else 1 end as ok5,
        case when f6 is null then 0 else 1 end as ok6,
        case when f7 is null then 0 else 1 end as ok7,
        case when f8 is null then 0 else 1 end as ok8
    from finite_1
    where window_start is not null
),

patterns_1 as (
    select
        window_start,
        segment_name,
        segment_value,
        ok1,
        ok2,
        ok3,
        ok4,
        ok5,
        ok6,
        ok7,
        ok8,
        count(*) as n_rows,
        sum(f1) as s1,
        sum(f1 * f1) as q1,
        sum(f1 * f2) as p_1_2,
        sum(f1 * f3) as p_1_3,
        sum(f1 * f4) as p_1_4,
        sum(f1 * f5) as p_1_5,
        sum(f1 * f6) as p_1_6,
        sum(f1 * f7) as p_1_7,
        sum(f1 * f8) as p_1_8,
        sum(f2) as s2,
        sum(f2 * f2) as q2,
        sum(f2 * f3) as p_2_3,
        sum(f2 * f4) as p_2_4,
        sum(f2 * f5) as p_2_5,
        sum(f2 * f6) as p_2_6,
        sum(f2 * f7) as p_2_7,
        sum(f2 * f8) as p_2_8,
        sum(f3) as s3,
        sum(f3 * f3) as q3,
        sum(f3 * f4) as p_3_4,
        sum(f3 * f5) as p_3_5,
        sum(f3 * f6) as p_3_6,
        sum(f3 * f7) as p_3_7,
        sum(f3 * f8) as p_3_8,
        sum(f4) as s4,
        sum(f4 * f4) as q4,
        sum(f4 * f5) as p_4_5,
        sum(f4 * f6) as p_4_6,
        sum(f4 * f7) as p_4_7,
        sum(f4 * f8) as p_4_8,
        sum(f5) as s5,
        sum(f5 * f5) as q5,
        sum(f5 * f6) as p_5_6,
        sum(f5 * f7) as p_5_7,
        sum(f5 * f8) as p_5_8,
        sum(f6) as s6,
        sum(f6 * f6) as q6,
        sum(f6 * f7) as p_6_7,
        sum(f6 * f8) as p_6_8,
        sum(f7) as s7,
        sum(f7 * f7) as q7,
        sum(f7 * f8) as p_7_8,
        sum(f8) as s8,
        sum(f8 * f8) as q8
    from flagged_1
    group by window_start, segment_name, segment_value, ok1, ok2, ok3, ok4, ok5, ok6, ok7, ok8
),

aggregated_1 as (
    select
        window_start,
        segment_name,
        segment_value,
        cast(sum(case when ok1 = 1 and ok2 = 1 then n_rows else 0 end) as bigint) as n_1_2,
        sum(case when ok1 = 1 and ok2 = 1 then s1 end) as sa_1_2,
        sum(case when ok1 = 1 and ok2 = 1 then s2 end) as sb_1_2,
        sum(case when ok1 = 1 and ok2 = 1 then q1 end) as saa_1_2,
        sum(case when ok1 = 1 and ok2 = 1 then q2 end) as sbb_1_2,
        sum(p_1_2) as sab_1_2,
        cast(sum(case when ok1 = 1 and ok3 = 1 then n_rows else 0 end) as bigint) as n_1_3,
        sum(case when ok1 = 1 and ok3 = 1 then s1 end) as sa_1_3,
        sum(case when ok1 = 1 and ok3 = 1 then s3 end) as sb_1_3,
        sum(case when ok1 = 1 and ok3 = 1 then q1 end) as saa_1_3,
        sum(case when ok1 = 1 and ok3 = 1 then q3 end) as sbb_1_3,
        sum(p_1_3) as sab_1_3,
        cast(sum(case when ok1 = 1 and ok4 = 1 then n_rows else 0 end) as bigint) as n_1_4,
        sum(case when ok1 = 1 and ok4 = 1 then s1 end) as sa_1_4,
        sum(case when ok1 = 1 and ok4 = 1 then s4 end) as sb_1_4,
        sum(case when ok1 = 1 and ok4 = 1 then q1 end) as saa_1_4,
        sum(case when ok1 = 1 and ok4 = 1 then q4 end) as sbb_1_4,
        sum(p_1_4) as sab_1_4,
        cast(sum(case when ok1 = 1 and ok5 = 1 then n_rows else 0 end) as bigint) as n_1_5,
        sum(case when ok1 = 1 and ok5 = 1 then s1 end) as sa_1_5,
        sum(case when ok1 = 1 and ok5 = 1 then s5 end) as sb_1_5,
        sum(case when ok1 = 1 and ok5 = 1 then q1 end) as saa_1_5,
        sum(case when ok1 = 1 and ok5 = 1 then q5 end) as sbb_1_5,
        sum(p_1_5) as sab_1_5,
        cast(sum(case when ok1 = 1 and ok6 = 1 then n_rows else 0 end) as bigint) as n_1_6,
        sum(case when ok1 = 1 and ok6 = 1 then s1 end) as sa_1_6,
        sum(case when ok1 = 1 and ok6 = 1 then s6 end) as sb_1_6,
        sum(case when ok1 = 1 and ok6 = 1 then q1 end) as saa_1_6,
        sum(case when ok1 = 1 and ok6 = 1 then q6 end) as sbb_1_6,
        sum(p_1_6) as sab_1_6,
        cast(sum(case when ok1 = 1 and ok7 = 1 then n_rows else 0 end) as bigint) as n_1_7,
        sum(case when ok1 = 1 and ok7 = 1 then s1 end) as sa_1_7,
        sum(case when ok1 = 1 and ok7 = 1 then s7 end) as sb_1_7,
        sum(case when ok1 = 1 and ok7 = 1 then q1 end) as saa_1_7,
        sum(case when ok1 = 1 and ok7 = 1 then q7 end) as sbb_1_7,
        sum(p_1_7) as sab_1_7,
        cast(sum(case when ok1 = 1 and ok8 = 1 then n_rows else 0 end) as bigint) as n_1_8,
        sum(case when ok1 = 1 and ok8 = 1 then s1 end) as sa_1_8,
        sum(case when ok1 = 1 and ok8 = 1 then s8 end) as sb_1_8,
        sum(case when ok1 = 1 and ok8 = 1 then q1 end) as saa_1_8,
        sum(case when ok1 = 1 and ok8 = 1 then q8 end) as sbb_1_8,
        sum(p_1_8) as sab_1_8,
        cast(sum(case when ok2 = 1 and ok3 = 1 then n_rows else 0 end) as bigint) as n_2_3,
        sum(case when ok2 = 1 and ok3 = 1 then s2 end) as sa_2_3,
        sum(case when ok2 = 1 and ok3 = 1 then s3 end) as sb_2_3,
        sum(case when ok2 = 1 and ok3 = 1 then q2 end) as saa_2_3,
        sum(case when ok2 = 1 and ok3 = 1 then q3 end) as sbb_2_3,
        sum(p_2_3) as sab_2_3,
        cast(sum(case when ok2 = 1 and ok4 = 1 then n_rows else 0 end) as bigint) as n_2_4,
        sum(case when ok2 = 1 and ok4 = 1 then s2 end) as sa_2_4,
        sum(case when ok2 = 1 and ok4 = 1 then s4 end) as sb_2_4,
        sum(case when ok2 = 1 and ok4 = 1 then q2 end) as saa_2_4,
        sum(case when ok2 = 1 and ok4 = 1 then q4 end) as sbb_2_4,
        sum(p_2_4) as sab_2_4,
        cast(sum(case when ok2 = 1 and ok5 = 1 then n_rows else 0 end) as bigint) as n_2_5,
        sum(case when ok2 = 1 and ok5 = 1 then s2 end) as sa_2_5,
        sum(case when ok2 = 1 and ok5 = 1 then s5 end) as sb_2_5,
        sum(case when ok2 = 1 and ok5 = 1 then q2 end) as saa_2_5,
        sum(case when ok2 = 1 and ok5 = 1 then q5 end) as sbb_2_5,
        sum(p_2_5) as sab_2_5,
        cast(sum(case when ok2 = 1 and ok6 = 1 then n_rows else 0 end) as bigint) as n_2_6,
        sum(case when ok2 = 1 and ok6 = 1 then s2 end) as sa_2_6,
        sum(case when ok2 = 1 and ok6 = 1 then s6 end) as sb_2_6,
        sum(case when ok2 = 1 and ok6 = 1 then q2 end) as saa_2_6,
        sum(case when ok2 = 1 and ok6 = 1 then q6 end) as sbb_2_6,
        sum(p_2_6) as sab_2_6,
        cast(sum(case when ok2 = 1 and ok7 = 1 then n_rows else 0 end) as bigint) as n_2_7,
        sum(case when ok2 = 1 and ok7 = 1 then s2 end) as sa_2_7,
        sum(case when ok2 = 1 and ok7 = 1 then s7 end) as sb_2_7,
        sum(case when ok2 = 1 and ok7 = 1 then q2 end) as saa_2_7,
        sum(case when ok2 = 1 and ok7 = 1 then q7 end) as sbb_2_7,
        sum(p_2_7) as sab_2_7,
        cast(sum(case when ok2 = 1 and ok8 = 1 then n_rows else 0 end) as bigint) as n_2_8,
        sum(case when ok2 = 1 and ok8 = 1 then s2 end) as sa_2_8,
        sum(case when ok2 = 1 and ok8 = 1 then s8 end) as sb_2_8,
        sum(case when ok2 = 1 and ok8 = 1 then q2 end) as saa_2_8,
        sum(case when ok2 = 1 and ok8 = 1 then q8 end) as sbb_2_8,
        sum(p_2_8) as sab_2_8,
        cast(sum(case when ok3 = 1 and ok4 = 1 then n_rows else 0 end) as bigint) as n_3_4,
        sum(case when ok3 = 1 and ok4 = 1 then s3 end) as sa_3_4,
        sum(case when ok3 = 1 and ok4 = 1 then s4 end) as sb_3_4,
        sum(case when ok3 = 1 and ok4 = 1 then q3 end) as saa_3_4,
        sum(case when ok3 = 1 and ok4 = 1 then q4 end) as sbb_3_4,
        sum(p_3_4) as sab_3_4,
        cast(sum(case when ok3 = 1 and ok5 = 1 then n_rows else 0 end) as bigint) as n_3_5,
        sum(case when ok3 = 1 and ok5 = 1 then s3 end) as sa_3_5,
        sum(case when ok3 = 1 and ok5 = 1 then s5 end) as sb_3_5,
        sum(case when ok3 = 1 and ok5 = 1 then q3 end) as saa_3_5,
        sum(case when ok3 = 1 and ok5 = 1 then q5 end) as sbb_3_5,
        sum(p_3_5) as sab_3_5,
        cast(sum(case when ok3 = 1 and ok6 = 1 then n_rows else 0 end) as bigint) as n_3_6,
        sum(case when ok3 = 1 and ok6 = 1 then s3 end) as sa_3_6,
        sum(case when ok3 = 1 and ok6 = 1 then s6 end) as sb_3_6,
        sum(case when ok3 = 1 and ok6 = 1 then q3 end) as saa_3_6,
        sum(case when ok3 = 1 and ok6 = 1 then q6 end) as sbb_3_6,
        sum(p_3_6) as sab_3_6,
        cast(sum(case when ok3 = 1 and ok7 = 1 then n_rows else 0 end) as bigint) as n_3_7,
        sum(case when ok3 = 1 and ok7 = 1 then s3 end) as sa_3_7,
        sum(case when ok3 = 1 and ok7 = 1 then s7 end) as sb_3_7,
        sum(case when ok3 = 1 and ok7 = 1 then q3 end) as saa_3_7,
        sum(case when ok3 = 1 and ok7 = 1 then q7 end) as sbb_3_7,
        sum(p_3_7) as sab_3_7,
        cast(sum(case when ok3 = 1 and ok8 = 1 then n_rows else 0 end) as bigint) as n_3_8,
        sum(case when ok3 = 1 and ok8 = 1 then s3 end) as sa_3_8,
        sum(case when ok3 = 1 and ok8 = 1 then s8 end) as sb_3_8,
        sum(case when ok3 = 1 and ok8 = 1 then q3 end) as saa_3_8,
        sum(case when ok3 = 1 and ok8 = 1 then q8 end) as sbb_3_8,
        sum(p_3_8) as sab_3_8,
        cast(sum(case when ok4 = 1 and ok5 = 1 then n_rows else 0 end) as bigint) as n_4_5,
        sum(case when ok4 = 1 and ok5 = 1 then s4 end) as sa_4_5,
        sum(case when ok4 = 1 and ok5 = 1 then s5 end) as sb_4_5,
        sum(case when ok4 = 1 and ok5 = 1 then q4 end) as saa_4_5,
        sum(case when ok4 = 1 and ok5 = 1 then q5 end) as sbb_4_5,
        sum(p_4_5) as sab_4_5,
        cast(sum(case when ok4 = 1 and ok6 = 1 then n_rows else 0 end) as bigint) as n_4_6,
        sum(case when ok4 = 1 and ok6 = 1 then s4 end) as sa_4_6,
        sum(case when ok4 = 1 and ok6 = 1 then s6 end) as sb_4_6,
        sum(case when ok4 = 1 and ok6 = 1 then q4 end) as saa_4_6,
        sum(case when ok4 = 1 and ok6 = 1 then q6 end) as sbb_4_6,
        sum(p_4_6) as sab_4_6,
        cast(sum(case when ok4 = 1 and ok7 = 1 then n_rows else 0 end) as bigint) as n_4_7,
        sum(case when ok4 = 1 and ok7 = 1 then s4 end) as sa_4_7,
        sum(case when ok4 = 1 and ok7 = 1 then s7 end) as sb_4_7,
        sum(case when ok4 = 1 and ok7 = 1 then q4 end) as saa_4_7,
        sum(case when ok4 = 1 and ok7 = 1 then q7 end) as sbb_4_7,
        sum(p_4_7) as sab_4_7,
        cast(sum(case when ok4 = 1 and ok8 = 1 then n_rows else 0 end) as bigint) as n_4_8,
        sum(case when ok4 = 1 and ok8 = 1 then s4 end) as sa_4_8,
        sum(case when ok4 = 1 and ok8 = 1 then s8 end) as sb_4_8,
        sum(case when ok4 = 1 and ok8 = 1 then q4 end) as saa_4_8,
        sum(case when ok4 = 1 and ok8 = 1 then q8 end) as sbb_4_8,
        sum(p_4_8) as sab_4_8,
        cast(sum(case when ok5 = 1 and ok6 = 1 then n_rows else 0 end) as bigint) as n_5_6,
        sum(case when ok5 = 1 and ok6 = 1 then s5 end) as sa_5_6,
        sum(case when ok5 = 1 and ok6 = 1 then s6 end) as sb_5_6,
        sum(case when ok5 = 1 and ok6 = 1 then q5 end) as saa_5_6,
        sum(case when ok5 = 1 and ok6 = 1 then q6 end) as sbb_5_6,
        sum(p_5_6) as sab_5_6,
        cast(sum(case when ok5 = 1 and ok7 = 1 then n_rows else 0 end) as bigint) as n_5_7,
        sum(case when ok5 = 1 and ok7 = 1 then s5 end) as sa_5_7,
        sum(case when ok5 = 1 and ok7 = 1 then s7 end) as sb_5_7,
        sum(case when ok5 = 1 and ok7 = 1 then q5 end) as saa_5_7,
        sum(case when ok5 = 1 and ok7 = 1 then q7 end) as sbb_5_7,
        sum(p_5_7) as sab_5_7,
        cast(sum(case when ok5 = 1 and ok8 = 1 then n_rows else 0 end) as bigint) as n_5_8,
        sum(case when ok5 = 1 and ok8 = 1 then s5 end) as sa_5_8,
        sum(case when ok5 = 1 and ok8 = 1 then s8 end) as sb_5_8,
        sum(case when ok5 = 1 and ok8 = 1 then q5 end) as saa_5_8,
        sum(case when ok5 = 1 and ok8 = 1 then q8 end) as sbb_5_8,
        sum(p_5_8) as sab_5_8,
        cast(sum(case when ok6 = 1 and ok7 = 1 then n_rows else 0 end) as bigint) as n_6_7,
        sum(case when ok6 = 1 and ok7 = 1 then s6 end) as sa_6_7,
        sum(case when ok6 = 1 and ok7 = 1 then s7 end) as sb_6_7,
        sum(case when ok6 = 1 and ok7 = 1 then q6 end) as saa_6_7,
        sum(case when ok6 = 1 and ok7 = 1 then q7 end) as sbb_6_7,
        sum(p_6_7) as sab_6_7,
        cast(sum(case when ok6 = 1 and ok8 = 1 then n_rows else 0 end) as bigint) as n_6_8,
        sum(case when ok6 = 1 and ok8 = 1 then s6 end) as sa_6_8,
        sum(case when ok6 = 1 and ok8 = 1 then s8 end) as sb_6_8,
        sum(case when ok6 = 1 and ok8 = 1 then q6 end) as saa_6_8,
        sum(case when ok6 = 1 and ok8 = 1 then q8 end) as sbb_6_8,
        sum(p_6_8) as sab_6_8,
        cast(sum(case when ok7 = 1 and ok8 = 1 then n_rows else 0 end) as bigint) as n_7_8,
        sum(case when ok7 = 1 and ok8 = 1 then s7 end) as sa_7_8,
        sum(case when ok7 = 1 and ok8 = 1 then s8 end) as sb_7_8,
        sum(case when ok7 = 1 and ok8 = 1 then q7 end) as saa_7_8,
        sum(case when ok7 = 1 and ok8 = 1 then q8 end) as sbb_7_8,
        sum(p_7_8) as sab_7_8
    from patterns_1
    group by window_start, segment_name, segment_value
),

comoments_1 as (
    
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n01' as feature_a,
        'n02' as feature_b,
        n_1_2 as n_pairs,
        sa_1_2 as sum_a,
        sb_1_2 as sum_b,
        saa_1_2 as sum_aa,
        sbb_1_2 as sum_bb,
        sab_1_2 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n01' as feature_a,
        'n03' as feature_b,
        n_1_3 as n_pairs,
        sa_1_3 as sum_a,
        sb_1_3 as sum_b,
        saa_1_3 as sum_aa,
        sbb_1_3 as sum_bb,
        sab_1_3 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n01' as feature_a,
        'n04' as feature_b,
        n_1_4 as n_pairs,
        sa_1_4 as sum_a,
        sb_1_4 as sum_b,
        saa_1_4 as sum_aa,
        sbb_1_4 as sum_bb,
        sab_1_4 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n01' as feature_a,
        'n05' as feature_b,
        n_1_5 as n_pairs,
        sa_1_5 as sum_a,
        sb_1_5 as sum_b,
        saa_1_5 as sum_aa,
        sbb_1_5 as sum_bb,
        sab_1_5 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n01' as feature_a,
        'n06' as feature_b,
        n_1_6 as n_pairs,
        sa_1_6 as sum_a,
        sb_1_6 as sum_b,
        saa_1_6 as sum_aa,
        sbb_1_6 as sum_bb,
        sab_1_6 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n01' as feature_a,
        'n07' as feature_b,
        n_1_7 as n_pairs,
        sa_1_7 as sum_a,
        sb_1_7 as sum_b,
        saa_1_7 as sum_aa,
        sbb_1_7 as sum_bb,
        sab_1_7 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n01' as feature_a,
        'n08' as feature_b,
        n_1_8 as n_pairs,
        sa_1_8 as sum_a,
        sb_1_8 as sum_b,
        saa_1_8 as sum_aa,
        sbb_1_8 as sum_bb,
        sab_1_8 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n02' as feature_a,
        'n03' as feature_b,
        n_2_3 as n_pairs,
        sa_2_3 as sum_a,
        sb_2_3 as sum_b,
        saa_2_3 as sum_aa,
        sbb_2_3 as sum_bb,
        sab_2_3 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n02' as feature_a,
        'n04' as feature_b,
        n_2_4 as n_pairs,
        sa_2_4 as sum_a,
        sb_2_4 as sum_b,
        saa_2_4 as sum_aa,
        sbb_2_4 as sum_bb,
        sab_2_4 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n02' as feature_a,
        'n05' as feature_b,
        n_2_5 as n_pairs,
        sa_2_5 as sum_a,
        sb_2_5 as sum_b,
        saa_2_5 as sum_aa,
        sbb_2_5 as sum_bb,
        sab_2_5 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n02' as feature_a,
        'n06' as feature_b,
        n_2_6 as n_pairs,
        sa_2_6 as sum_a,
        sb_2_6 as sum_b,
        saa_2_6 as sum_aa,
        sbb_2_6 as sum_bb,
        sab_2_6 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n02' as feature_a,
        'n07' as feature_b,
        n_2_7 as n_pairs,
        sa_2_7 as sum_a,
        sb_2_7 as sum_b,
        saa_2_7 as sum_aa,
        sbb_2_7 as sum_bb,
        sab_2_7 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n02' as feature_a,
        'n08' as feature_b,
        n_2_8 as n_pairs,
        sa_2_8 as sum_a,
        sb_2_8 as sum_b,
        saa_2_8 as sum_aa,
        sbb_2_8 as sum_bb,
        sab_2_8 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n03' as feature_a,
        'n04' as feature_b,
        n_3_4 as n_pairs,
        sa_3_4 as sum_a,
        sb_3_4 as sum_b,
        saa_3_4 as sum_aa,
        sbb_3_4 as sum_bb,
        sab_3_4 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n03' as feature_a,
        'n05' as feature_b,
        n_3_5 as n_pairs,
        sa_3_5 as sum_a,
        sb_3_5 as sum_b,
        saa_3_5 as sum_aa,
        sbb_3_5 as sum_bb,
        sab_3_5 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n03' as feature_a,
        'n06' as feature_b,
        n_3_6 as n_pairs,
        sa_3_6 as sum_a,
        sb_3_6 as sum_b,
        saa_3_6 as sum_aa,
        sbb_3_6 as sum_bb,
        sab_3_6 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n03' as feature_a,
        'n07' as feature_b,
        n_3_7 as n_pairs,
        sa_3_7 as sum_a,
        sb_3_7 as sum_b,
        saa_3_7 as sum_aa,
        sbb_3_7 as sum_bb,
        sab_3_7 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n03' as feature_a,
        'n08' as feature_b,
        n_3_8 as n_pairs,
        sa_3_8 as sum_a,
        sb_3_8 as sum_b,
        saa_3_8 as sum_aa,
        sbb_3_8 as sum_bb,
        sab_3_8 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n04' as feature_a,
        'n05' as feature_b,
        n_4_5 as n_pairs,
        sa_4_5 as sum_a,
        sb_4_5 as sum_b,
        saa_4_5 as sum_aa,
        sbb_4_5 as sum_bb,
        sab_4_5 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n04' as feature_a,
        'n06' as feature_b,
        n_4_6 as n_pairs,
        sa_4_6 as sum_a,
        sb_4_6 as sum_b,
        saa_4_6 as sum_aa,
        sbb_4_6 as sum_bb,
        sab_4_6 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n04' as feature_a,
        'n07' as feature_b,
        n_4_7 as n_pairs,
        sa_4_7 as sum_a,
        sb_4_7 as sum_b,
        saa_4_7 as sum_aa,
        sbb_4_7 as sum_bb,
        sab_4_7 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n04' as feature_a,
        'n08' as feature_b,
        n_4_8 as n_pairs,
        sa_4_8 as sum_a,
        sb_4_8 as sum_b,
        saa_4_8 as sum_aa,
        sbb_4_8 as sum_bb,
        sab_4_8 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n05' as feature_a,
        'n06' as feature_b,
        n_5_6 as n_pairs,
        sa_5_6 as sum_a,
        sb_5_6 as sum_b,
        saa_5_6 as sum_aa,
        sbb_5_6 as sum_bb,
        sab_5_6 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n05' as feature_a,
        'n07' as feature_b,
        n_5_7 as n_pairs,
        sa_5_7 as sum_a,
        sb_5_7 as sum_b,
        saa_5_7 as sum_aa,
        sbb_5_7 as sum_bb,
        sab_5_7 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n05' as feature_a,
        'n08' as feature_b,
        n_5_8 as n_pairs,
        sa_5_8 as sum_a,
        sb_5_8 as sum_b,
        saa_5_8 as sum_aa,
        sbb_5_8 as sum_bb,
        sab_5_8 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n06' as feature_a,
        'n07' as feature_b,
        n_6_7 as n_pairs,
        sa_6_7 as sum_a,
        sb_6_7 as sum_b,
        saa_6_7 as sum_aa,
        sbb_6_7 as sum_bb,
        sab_6_7 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n06' as feature_a,
        'n08' as feature_b,
        n_6_8 as n_pairs,
        sa_6_8 as sum_a,
        sb_6_8 as sum_b,
        saa_6_8 as sum_aa,
        sbb_6_8 as sum_bb,
        sab_6_8 as sum_ab
    from aggregated_1
    union all
    select
        'bench' as monitor_name,
        'first_windows:15:2026-01-01' as reference_id,
        window_start,
        segment_name,
        segment_value,
        'n07' as feature_a,
        'n08' as feature_b,
        n_7_8 as n_pairs,
        sa_7_8 as sum_a,
        sb_7_8 as sum_b,
        saa_7_8 as sum_aa,
        sbb_7_8 as sum_bb,
        sab_7_8 as sum_ab
    from aggregated_1
),

typed_empty as (
    select
        cast(null as string) as monitor_name,
        cast(null as string) as reference_id,
        cast(null as timestamp) as window_start,
        cast(null as string) as segment_name,
        cast(null as string) as segment_value,
        cast(null as string) as feature_a,
        cast(null as string) as feature_b,
        cast(null as bigint) as n_pairs,
        cast(null as double) as sum_a,
        cast(null as double) as sum_b,
        cast(null as double) as sum_aa,
        cast(null as double) as sum_bb,
        cast(null as double) as sum_ab
    where 1 = 0
),

final as (
    select * from typed_empty
    union all
    select * from comoments_1
)

select * from final