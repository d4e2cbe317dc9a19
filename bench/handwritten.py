"""The hand-written references of bench/drift_bench.py: what you would write by hand in DuckDB.

`same_metrics` computes, for every day and column, the metrics driftline computes, the way a
DuckDB user would write them without driftline: one scan of the reference days (deciles, min,
max, standard deviation, category counts, the 120 reference correlations with `corr`), then
one scan of the log per family (numeric bins, categorical counts, daily `corr`s), and the
statistics from the small count tables:

- numeric columns: PSI and Jensen-Shannon distance over the reference deciles plus a NULL bin
  (PSI with the 1e-4 floor and renormalisation, as driftline); KS and Wasserstein-1 / sigma_ref
  from a 100-bin equal-width histogram between the reference min and max plus two tail bins;
  null rate; share outside [reference min, reference max];
- categorical columns: PSI and JS over the reference's top-20 categories, 'other', NULL and
  'unseen'; unseen share; null rate;
- the day's row count over the mean reference day's;
- |corr(day) - corr(reference)| for every pair of numeric features.

`new_day_metrics` is the same computation for the log's last day alone, timed without the reference
it starts from: what a daily job written by hand would spend on a new day.

`psi_ks_only` is the earlier, smaller reference: PSI and KS alone (no JS, W1, data quality or
correlations), kept to compare with earlier runs.
"""

from __future__ import annotations

import time

HIST_BINS = 100  # equal-width KS/W1 histogram over [reference min, reference max], plus two tail bins
EPSILON = 0.0001
TOP_K = 20


def _decile_bin(column: str, deciles: list[float]) -> str:
    whens = " ".join(f"when {column} <= {d!r} then {k}" for k, d in enumerate(deciles))
    return f"case when {column} is null then -1 {whens} else {len(deciles)} end"


def _hist_bin(column: str, low: float, high: float) -> str:
    scale = HIST_BINS / (high - low) if high > low else 0.0
    return (
        f"case when {column} is null then null when {column} < {low!r} then 0 when {column} > {high!r} then {HIST_BINS + 1} "
        f"else least({HIST_BINS - 1}, cast(floor(({column} - {low!r}) * {scale!r}) as integer)) + 1 end"
    )


def _names(columns: list[str]) -> str:
    return "[" + ", ".join(f"'{c}'" for c in columns) + "]"


def _reference_end(table: str, reference_days: int) -> str:
    """SQL for the end of the reference: the first `reference_days` days of the log."""
    return f"(select date_trunc('day', min(event_at)) + interval {reference_days} day from {table})"


def _sample_every(con, table: str, reference_end: str, numeric: list[str]) -> int:
    """quantile_disc keeps every value in memory and cannot spill: above what 60% of memory_limit holds
    (about 10 bytes a value), take the deciles from every k-th row by hash of its id, as driftline does."""
    limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    number, unit = limit.split(" ")
    units = {"bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}
    budget = int(float(number) * units[unit] * 0.6 / 10)
    rows = con.execute(f"select count(*) from {table} where event_at < {reference_end}").fetchone()[0]
    return max(1, -(-rows * len(numeric) // budget))


def _reference(con, table: str, reference_end: str, numeric: list[str], pairs: list[tuple[str, str]]) -> dict:
    """One scan of the reference days: deciles, min, max, population sd per numeric column, and the pairs' corr."""
    every = _sample_every(con, table, reference_end, numeric)
    sampled = (lambda c: c) if every == 1 else (lambda c: f"case when hash(event_id) % {every} = 0 then {c} end")
    aggregates = [f"quantile_disc({sampled(c)}, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]), min({c}), max({c}), stddev_pop({c})"
                  for c in numeric]
    aggregates += [f"corr({a}, {b})" for a, b in pairs]
    row = con.execute(f"select {', '.join(aggregates)} from {table} where event_at < {reference_end}").fetchone()
    columns = {c: {"deciles": sorted(set(row[4 * k])), "low": row[4 * k + 1], "high": row[4 * k + 2], "sd": row[4 * k + 3]}
               for k, c in enumerate(numeric)}
    offset = 4 * len(numeric)
    return {"columns": columns, "corr": {pair: row[offset + k] for k, pair in enumerate(pairs)}}


def _collect(con, name: str, select: str) -> None:
    """Create temp table `name` from `select`, or add the rows to it when an earlier scan created it."""
    exists = con.execute("select count(*) from duckdb_tables() where temporary and table_name = ?", [name]).fetchone()[0]
    con.execute(f"insert into {name} {select}" if exists else f"create temp table {name} as {select}")


def _numeric_counts(con, table: str, numeric: list[str], reference: dict, with_excess: bool, where: str = "true") -> None:
    """One scan of the log rows matching `where`: every numeric value's decile and histogram bins counted per day
    (and its excess beyond the reference range summed)."""
    cols = reference["columns"]
    decile_bins = [_decile_bin(c, cols[c]["deciles"]) for c in numeric]
    hist_bins = [_hist_bin(c, cols[c]["low"], cols[c]["high"]) for c in numeric]
    # how far beyond the reference range a value lies: the Wasserstein-1 of the tails
    excess = [f"greatest({cols[c]['low']!r} - {c}, 0) + greatest({c} - {cols[c]['high']!r}, 0)" for c in numeric]
    excess_sum = ", sum(excess) as excess" if with_excess else ""
    excess_list = f", unnest([{', '.join(excess)}]) as excess" if with_excess else ""
    _collect(con, "numeric_counts", f"""
        select day, feature, decile_bin, hist_bin, count(*) as n{excess_sum}
        from (
            select date_trunc('day', event_at) as day,
                unnest({_names(numeric)}) as feature,
                unnest([{", ".join(decile_bins)}]) as decile_bin,
                unnest([{", ".join(hist_bins)}]) as hist_bin{excess_list}
            from {table}
            where {where}
        )
        group by all
    """)


def _categorical_counts(con, table: str, categorical: list[str], where: str = "true") -> None:
    _collect(con, "categorical_counts", f"""
        select day, feature, category, count(*) as n
        from (
            select date_trunc('day', event_at) as day,
                unnest({_names(categorical)}) as feature,
                unnest([{", ".join(f"cast({c} as varchar)" for c in categorical)}]) as category
            from {table}
            where {where}
        )
        group by all
    """)


def _daily_corr(con, table: str, pairs: list[tuple[str, str]], where: str = "true") -> None:
    corr = ", ".join(f"corr({a}, {b}) as \"{a}:{b}\"" for a, b in pairs)
    _collect(con, "daily_corr", f"select date_trunc('day', event_at) as day, {corr} from {table} where {where} group by all")


# PSI (floored and renormalised) and JS distance (base 2) per (day, feature) from `shares`
# (day, feature, bin, p_ref, p_cur), the reference and current shares of every bin
_PSI_JS = f"""
    floored as (
        select day, feature, p_ref, p_cur,
            case when p_ref > 0 then p_ref else {EPSILON} end as f_ref,
            case when p_cur > 0 then p_cur else {EPSILON} end as f_cur
        from shares
    ),
    smoothed as (
        select day, feature, p_ref, p_cur,
            f_ref / sum(f_ref) over (partition by day, feature) as q_ref,
            f_cur / sum(f_cur) over (partition by day, feature) as q_cur
        from floored
    ),
    divergences as (
        select day, feature,
            sum((q_cur - q_ref) * ln(q_cur / q_ref)) as psi,
            sqrt(greatest(0.5 * sum(case when p_ref > 0 then p_ref * log2(2 * p_ref / (p_ref + p_cur)) else 0 end)
                 + 0.5 * sum(case when p_cur > 0 then p_cur * log2(2 * p_cur / (p_ref + p_cur)) else 0 end), 0)) as js_distance
        from smoothed
        group by all
    )
"""


def _shares(name: str, counts: str) -> str:
    """CTEs ending in `{name}_shares` (day, feature, bin, p_ref, p_cur): the reference's and each day's
    share of every bin of `counts` (day, feature, bin, n), bins empty on a side included."""
    return f"""
        {name}_reference_bins as (select feature, bin, sum(n) as n from {counts}, bounds where day < reference_end group by all),
        {name}_shares as (
            select grid.day, grid.feature, grid.bin,
                coalesce(r.n, 0) / sum(coalesce(r.n, 0)) over (partition by grid.day, grid.feature) as p_ref,
                coalesce(c.n, 0) / sum(coalesce(c.n, 0)) over (partition by grid.day, grid.feature) as p_cur
            from (select days.day, bins.feature, bins.bin from days cross join (select distinct feature, bin from {counts}) as bins) as grid
            left join {name}_reference_bins as r on r.feature = grid.feature and r.bin = grid.bin
            left join {counts} as c on c.day = grid.day and c.feature = grid.feature and c.bin = grid.bin
        )"""


# the reference's and each day's CDF at the upper edge of every non-empty histogram bin
_CDFS = f"""
    hist as (select day, feature, hist_bin, sum(n) as n from numeric_counts where hist_bin is not null group by all),
    hist_reference as (select feature, hist_bin, sum(n) as n from hist, bounds where day < reference_end group by all),
    hist_pairs as (
        select days.day, hb.feature, hb.hist_bin, coalesce(r.n, 0) as n_ref, coalesce(h.n, 0) as n_cur
        from days cross join (select distinct feature, hist_bin from hist) as hb
        left join hist_reference as r on r.feature = hb.feature and r.hist_bin = hb.hist_bin
        left join hist as h on h.day = days.day and h.feature = hb.feature and h.hist_bin = hb.hist_bin
    ),
    cdfs as (
        select day, feature, hist_bin,
            sum(n_ref) over w / sum(n_ref) over (partition by day, feature) as cdf_ref,
            sum(n_cur) over w / sum(n_cur) over (partition by day, feature) as cdf_cur,
            least(lead(hist_bin) over w, {HIST_BINS}) as next_bin
        from hist_pairs
        window w as (partition by day, feature order by hist_bin)
    )
"""


def same_metrics(con, table: str, reference_days: int, numeric: list[str], numeric_features: list[str],
                 categorical: list[str]):
    """Every metric driftline computes, per day and column (long format: day, feature, statistic, value)."""
    reference, pairs = _reference_state(con, table, reference_days, numeric, numeric_features)
    _scan_log(con, table, numeric, categorical, reference, pairs)
    return _statistics(con, reference_days, numeric)


def new_day_metrics(con, table: str, reference_days: int, numeric: list[str], numeric_features: list[str],
                    categorical: list[str]):
    """The metrics of the log's last day alone, as a daily job that keeps the reference's counts would compute
    them: (the day's rows of same_metrics, seconds). The reference and its counts are built first, untimed;
    the seconds cover the scan of the new day's rows (a literal bound on event time, as driftline's
    incremental build uses) and the statistics from the count tables."""
    reference, pairs = _reference_state(con, table, reference_days, numeric, numeric_features)
    reference_end = _reference_end(table, reference_days)
    _scan_log(con, table, numeric, categorical, reference, pairs, where=f"event_at < {reference_end}")
    since = con.execute(f"select date_trunc('day', max(event_at)) from {table}").fetchone()[0]
    started = time.perf_counter()
    _scan_log(con, table, numeric, categorical, reference, pairs, where=f"event_at >= timestamp '{since}'")
    metrics = _statistics(con, reference_days, numeric, since=f"timestamp '{since}'")
    return metrics, time.perf_counter() - started


def _reference_state(con, table: str, reference_days: int, numeric: list[str], numeric_features: list[str]):
    """The reference scan, and its values and correlations as temp tables for the statistics."""
    reference_end = _reference_end(table, reference_days)
    pairs = [(a, b) for i, a in enumerate(numeric_features) for b in numeric_features[i + 1:]]
    reference = _reference(con, table, reference_end, numeric, pairs)
    con.execute("create temp table reference_values as select * from (values "
                + ", ".join(f"('{c}', {v['low']!r}, {v['high']!r}, {v['sd']!r})" for c, v in reference["columns"].items())
                + ") as t(feature, low, high, sd)")
    con.execute("create temp table reference_corr as select * from (values "
                + ", ".join(f"('{a}:{b}', {v!r})" for (a, b), v in reference["corr"].items())
                + ") as t(pair, r_ref)")
    return reference, pairs


def _scan_log(con, table: str, numeric: list[str], categorical: list[str], reference: dict,
              pairs: list[tuple[str, str]], where: str = "true") -> None:
    """The per-day count tables of the log rows matching `where`: numeric bins, categories, correlations."""
    _numeric_counts(con, table, numeric, reference, with_excess=True, where=where)
    _categorical_counts(con, table, categorical, where=where)
    _daily_corr(con, table, pairs, where=where)


def _statistics(con, reference_days: int, numeric: list[str], since: str | None = None):
    """The metrics per day and column from the count tables (of the days from `since` on, when given)."""
    return con.execute(f"""
        with bounds as (select min(day) + interval {reference_days} day as reference_end from numeric_counts),
        days as (select distinct day from numeric_counts),

        -- numeric: deciles + NULL bin
        decile_counts as (select day, feature, decile_bin as bin, sum(n) as n from numeric_counts group by all),
        {_shares('decile', 'decile_counts')},

        -- categorical: the reference's top-K, 'other', NULL, 'unseen'
        category_reference as (
            select feature, category, sum(n) as n from categorical_counts, bounds
            where day < reference_end and category is not null group by all
        ),
        top_categories as (
            select feature, category from (
                select feature, category, row_number() over (partition by feature order by n desc, category) as rank
                from category_reference
            ) where rank <= {TOP_K}
        ),
        category_bins as (
            select counts.day, counts.feature,
                case when counts.category is null then '__null__'
                     when top.category is not null then counts.category
                     when seen.category is not null then '__other__'
                     else '__unseen__' end as bin,
                sum(counts.n) as n
            from categorical_counts as counts
            left join top_categories as top on top.feature = counts.feature and top.category = counts.category
            left join category_reference as seen on seen.feature = counts.feature and seen.category = counts.category
            group by all
        ),
        {_shares('category', 'category_bins')},

        shares as (select * from decile_shares union all select * from category_shares),
        {_PSI_JS},

        -- numeric: KS and W1 / sd over the histogram (bin width between reference min and max)
        {_CDFS},
        -- W1: |F_ref - F_cur| after each bin holds up to the next non-empty bin (bin k ends at
        -- min + k * width); beyond the reference's min and max, where the reference has no mass,
        -- W1 is the current values' excess
        tails as (
            select day, feature, sum(excess) / sum(n) as w1_tails
            from numeric_counts where hist_bin is not null group by all
        ),
        distances as (
            select cdfs.day, cdfs.feature,
                max(abs(cdf_ref - cdf_cur)) as ks_d,
                (sum(case when hist_bin < {HIST_BINS} then abs(cdf_ref - cdf_cur) * (next_bin - hist_bin) else 0 end)
                    * max((rv.high - rv.low) / {HIST_BINS}) + max(tails.w1_tails)) / max(rv.sd) as wasserstein_norm
            from cdfs
            inner join reference_values as rv on rv.feature = cdfs.feature
            inner join tails on tails.day = cdfs.day and tails.feature = cdfs.feature
            group by all
        ),

        -- data quality
        day_rows as (select day, sum(n) as n from numeric_counts where feature = '{numeric[0]}' group by all),
        numeric_quality as (
            select day, feature,
                sum(case when decile_bin = -1 then n else 0 end) / sum(n) as null_rate,
                sum(case when hist_bin in (0, {HIST_BINS + 1}) then n else 0 end) / nullif(sum(case when hist_bin is not null then n end), 0)
                    as out_of_range_share
            from numeric_counts group by all
        ),
        category_quality as (
            select day, feature,
                sum(case when bin = '__null__' then n else 0 end) / sum(n) as null_rate,
                sum(case when bin = '__unseen__' then n else 0 end) / sum(n) as unseen_share
            from category_bins group by all
        ),
        volume as (
            select day, '__rows__' as feature,
                n / (select avg(n) from day_rows, bounds where day < reference_end) as volume_ratio
            from day_rows
        ),

        -- correlations
        correlation_change as (
            select daily.day, reference_corr.pair as feature, abs(daily.r_cur - reference_corr.r_ref) as correlation_change
            from (unpivot daily_corr on columns(* exclude (day)) into name pair value r_cur) as daily
            inner join reference_corr on reference_corr.pair = daily.pair
        ),

        long as (
            unpivot divergences on psi, js_distance into name statistic value value
            union all by name
            unpivot distances on ks_d, wasserstein_norm into name statistic value value
            union all by name
            unpivot numeric_quality on null_rate, out_of_range_share into name statistic value value
            union all by name
            unpivot category_quality on null_rate, unseen_share into name statistic value value
            union all by name
            unpivot volume on volume_ratio into name statistic value value
            union all by name
            unpivot correlation_change on correlation_change into name statistic value value
        )
        select day, feature, statistic, value from long
        {f"where day >= {since}" if since else ""}
        order by all
    """).df()


def psi_ks_only(con, table: str, reference_days: int, numeric: list[str], categorical: list[str]):
    """The earlier reference: PSI over deciles / raw categories and a histogram KS per day and column."""
    reference_end = _reference_end(table, reference_days)
    reference = _reference(con, table, reference_end, numeric, [])
    _numeric_counts(con, table, numeric, reference, with_excess=False)
    _categorical_counts(con, table, categorical)
    return con.execute(f"""
        with bounds as (select min(day) + interval {reference_days} day as reference_end from numeric_counts),
        days as (select distinct day from numeric_counts),
        counts as (
            select day, feature, cast(decile_bin as varchar) as bin, sum(n) as n from numeric_counts group by all
            union all
            select day, feature, coalesce(category, '__null__'), n from categorical_counts
        ),
        {_shares('all', 'counts')},
        shares as (select * from all_shares),
        {_PSI_JS},
        {_CDFS},
        ks as (select day, feature, max(abs(cdf_ref - cdf_cur)) as ks_d from cdfs group by all)
        select divergences.day, divergences.feature, divergences.psi, ks.ks_d
        from divergences left join ks using (day, feature)
        order by all
    """).df()
