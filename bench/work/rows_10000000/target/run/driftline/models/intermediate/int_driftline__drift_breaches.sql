
    

    create  table
      "warehouse"."main_driftline"."int_driftline__drift_breaches__dbt_tmp"
  
    
    as (
      with

drift as (
    select * from "warehouse"."main_driftline"."driftline_feature_drift"
),

statistics as (
    select * from "warehouse"."main_driftline"."int_driftline__drift_statistics"
),

reference_windows as (
    select * from "warehouse"."main_driftline"."int_driftline__references"
),

settings as (
    select
        cast(null as TEXT) as monitor_name,
        cast(null as double precision) as data_driven_k
    where 1 = 0
    union all
    select 'bench', null
),

in_reference as (
    select
        drift.*,
        case when drift.window_start >= reference_windows.reference_start
            and drift.window_start < reference_windows.reference_end then 1 else 0 end as is_reference_window
    from drift
    inner join reference_windows on reference_windows.monitor_name = drift.monitor_name
),

baseline as (
    select
        monitor_name, segment_name, segment_value, feature_name, statistic,
        count(value) as n_baseline,
        sum(value) as sum_value,
        sum(value * value) as sum_squares
    from in_reference
    where is_reference_window = 1 and value is not null
    group by monitor_name, segment_name, segment_value, feature_name, statistic
),

data_driven as (
    select
        in_reference.*,
        settings.data_driven_k,
        -- leave the window out of its own baseline when it is a reference window
        baseline.n_baseline - case when in_reference.is_reference_window = 1 and in_reference.value is not null then 1 else 0 end as n_loo,
        baseline.sum_value - case when in_reference.is_reference_window = 1 and in_reference.value is not null then in_reference.value else 0 end as sum_loo,
        baseline.sum_squares - case when in_reference.is_reference_window = 1 and in_reference.value is not null then in_reference.value * in_reference.value else 0 end as squares_loo
    from in_reference
    inner join settings on settings.monitor_name = in_reference.monitor_name
    left join baseline
        on baseline.monitor_name = in_reference.monitor_name
        and baseline.segment_name = in_reference.segment_name
        and baseline.segment_value = in_reference.segment_value
        and baseline.feature_name = in_reference.feature_name
        and baseline.statistic = in_reference.statistic
),

effective as (
    select
        data_driven.*,
        case when data_driven_k is not null and n_loo >= 2
            then sum_loo / n_loo + data_driven_k * sqrt(greatest((squares_loo - sum_loo * sum_loo / n_loo) / (n_loo - 1), 0)) end as warn_data_driven,
        case when data_driven_k is not null and n_loo >= 2
            then sum_loo / n_loo + 2 * data_driven_k * sqrt(greatest((squares_loo - sum_loo * sum_loo / n_loo) / (n_loo - 1), 0)) end as critical_data_driven
    from data_driven
),

judged as (
    select
        effective.*,
        case when warn_data_driven > threshold_warn then warn_data_driven else threshold_warn end as effective_warn,
        case when critical_data_driven > threshold_critical then critical_data_driven else threshold_critical end as effective_critical
    from effective
),

ks_tests as (
    select
        statistics.monitor_name, statistics.window_start, statistics.segment_name, statistics.segment_value,
        statistics.feature_name,
        statistics.ks_d,
        -- Kolmogorov's lambda with Stephens' small-sample correction
        (sqrt(cast(statistics.n_ref_finite as double precision) * statistics.n_cur_finite
            / (statistics.n_ref_finite + statistics.n_cur_finite))
         + 0.12 + 0.11 / sqrt(cast(statistics.n_ref_finite as double precision) * statistics.n_cur_finite
            / (statistics.n_ref_finite + statistics.n_cur_finite))) * statistics.ks_d as lambda
    from statistics
    where statistics.feature_kind = 'numeric' and statistics.n_ref_finite > 0 and statistics.n_cur_finite > 0
        and statistics.ks_d is not null
),

terms as (
    select n as k from (select d1.d + 10 * d2.d + 100 * d3.d + 1000 * d4.d as n
    from (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d1
    cross join (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d2
    cross join (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d3
    cross join (select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
     union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d4) as spine where n between 1 and 100
),

ks_adjusted as (
    -- Q(lambda) = 2 sum (-1)^(k-1) exp(-2 k^2 lambda^2); below lambda = 0.3 it is 1 to five
    -- decimals (and the series converges slowly), so p is taken as 1 there
    select
        ks_tests.monitor_name, ks_tests.window_start, ks_tests.segment_name, ks_tests.segment_value, ks_tests.feature_name,
        case when max(ks_tests.lambda) < 0.3 then 1.0
        else least(1.0, greatest(0.0, 2 * sum(
            case when mod(terms.k, 2) = 1 then 1 else -1 end
            * exp(-2 * terms.k * terms.k * ks_tests.lambda * ks_tests.lambda)))) end as p_value
    from ks_tests
    cross join terms
    group by ks_tests.monitor_name, ks_tests.window_start, ks_tests.segment_name, ks_tests.segment_value, ks_tests.feature_name
),

ks_ranked as (
    select
        ks_adjusted.*,
        row_number() over (partition by monitor_name, window_start, segment_name, segment_value order by p_value, feature_name) as p_rank,
        count(*) over (partition by monitor_name, window_start, segment_name, segment_value) as n_tests
    from ks_adjusted
),

ks_bh as (
    select
        ks_ranked.*,
        max(case when p_value <= p_rank * 0.05 / n_tests then p_rank end)
            over (partition by monitor_name, window_start, segment_name, segment_value) as max_rejected_rank
    from ks_ranked
),

breaches as (
    select
        judged.monitor_name, judged.reference_id, judged.window_start, judged.window_end,
        judged.segment_name, judged.segment_value, judged.feature_name, judged.feature_kind, judged.feature_role,
        judged.statistic, judged.value, judged.n_ref, judged.n_cur, judged.status,
        judged.effective_warn as threshold_warn,
        judged.effective_critical as threshold_critical,
        ks_bh.p_value,
        case when judged.statistic <> 'ks_d' then null
            when ks_bh.p_rank <= ks_bh.max_rejected_rank then true else false end as fdr_rejected,
        case
            when judged.status in ('insufficient_data', 'undefined', 'no_reference') then null
            when judged.statistic = 'ks_d' and not (ks_bh.p_rank <= coalesce(ks_bh.max_rejected_rank, 0)) then null
            when judged.value >= judged.effective_critical then 'critical'
            when judged.value >= judged.effective_warn then 'warn'
        end as severity
    from judged
    left join ks_bh
        on judged.statistic = 'ks_d'
        and ks_bh.monitor_name = judged.monitor_name
        and ks_bh.window_start = judged.window_start
        and ks_bh.segment_name = judged.segment_name
        and ks_bh.segment_value = judged.segment_value
        and ks_bh.feature_name = judged.feature_name
),

window_index as (
    select monitor_name, window_start, dense_rank() over (partition by monitor_name order by window_start) as window_number
    from (select distinct monitor_name, window_start from drift) as windows
),

islands as (
    select
        breaches.*,
        window_index.window_number
            - row_number() over (partition by breaches.monitor_name, breaches.segment_name, breaches.segment_value,
                breaches.feature_name, breaches.statistic order by breaches.window_start) as island
    from breaches
    inner join window_index
        on window_index.monitor_name = breaches.monitor_name and window_index.window_start = breaches.window_start
    where breaches.severity is not null
),

final as (
    select
        islands.*,
        row_number() over (partition by monitor_name, segment_name, segment_value, feature_name, statistic, island
            order by window_start) as consecutive_windows
    from islands
)

select * from final
    );
    
  