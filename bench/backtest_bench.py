#!/usr/bin/env python
"""driftline backtest benchmark: 10 years of daily windows, about 20k labelled rows.

    python bench/backtest_bench.py [--years 10] [--rows-per-day 6] [--naive-steps 15]

1. generates the loan-default scenario over `years` x 365 daily windows (rows_per_day a day:
   6 gives 21,900 predictions; shift at 55 % of the period, broken feed at 27 %, labels 1-30
   days late with revisions) and writes a dbt project for it in bench/scratch/backtest/
   (no segments; retraining declared with the scenario's recipe);
2. runs `dbt build` (timed, not part of the backtest: the tables exist in production anyway);
3. runs the backtest in this process: load (one extraction) + replay of every policy crossed
   with the strategies + baselines + decay analysis, and prints wall and CPU time;
4. measures the naive reference on a slice: at each of `naive-steps` step times it re-extracts
   all labelled rows known at that moment with the runner's SQL, reads the raw rows of the
   reference span and the latest window, and computes PSI deciles from the raw values (what a
   backtest without stored profiles and without the one-time extraction has to do at every
   step). The per-step time is multiplied by steps x policies x strategies and printed as an
   EXTRAPOLATION, next to the ratio against the measured in-memory backtest.

Everything runs on whatever cores the machine has; the goal is "a few minutes on 2 cores".
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "python"))

from driftline import backtest as bt  # noqa: E402
from driftline import demo, scenario  # noqa: E402
from driftline.project import DbtProject  # noqa: E402
from driftline.retrain import Runner, extract  # noqa: E402

POLICIES = ["never", "periodic:30", "periodic:90", "periodic:365", "drift", "performance", "hybrid:180"]
STRATEGIES = ["representative"]  # tiny windows raise many data-quality incidents: fixed would be blocked


def declaration() -> dict:
    d = demo.monitor_declaration()
    d["segments"] = []
    d["reference"] = {"method": "first_windows", "windows": 60}
    d["thresholds"] = {"min_window_rows": 5, "performance_floor": 0.7}
    d["labels"]["horizon_days"] = 30
    d["retraining"] = {"estimator": "driftline.scenario:pipeline", "window_days": 180, "holdout_windows": 14,
                       "min_new_labelled_rows": 500, "cooldown_days": 30}
    return d


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def naive_step(runner: Runner, monitor, now: pd.Timestamp, start: pd.Timestamp, reference: tuple) -> None:
    """One step of a backtest that rescans the warehouse: labels known now, raw reference and window rows, PSI."""
    features = [f.name for f in monitor.features if f.kind == "numeric"]
    with runner.connect() as warehouse:
        extract(warehouse, monitor, start, now, now)  # everything labelled so far, as known now
        columns = ", ".join(f'"{c}"' for c in features)
        raw = f'select {columns} from "raw"."loan_predictions" where "scored_at" >= ? and "scored_at" < ?'
        ref = warehouse.query(raw, [reference[0].to_pydatetime(), reference[1].to_pydatetime()])
        cur = warehouse.query(raw, [(now - pd.Timedelta(days=1)).to_pydatetime(), now.to_pydatetime()])
    for name in features:
        r, c = ref[name].dropna().to_numpy(float), cur[name].dropna().to_numpy(float)
        if len(r) == 0 or len(c) == 0:
            continue
        edges = np.unique(np.quantile(r, np.arange(0.1, 1.0, 0.1), method="inverted_cdf"))
        p = np.bincount(np.searchsorted(edges, r, side="left"), minlength=len(edges) + 1) / len(r)
        q = np.bincount(np.searchsorted(edges, c, side="left"), minlength=len(edges) + 1) / len(c)
        p, q = np.where(p > 0, p, 1e-4), np.where(q > 0, q, 1e-4)
        float(((q / q.sum() - p / p.sum()) * np.log((q / q.sum()) / (p / p.sum()))).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--rows-per-day", type=int, default=6)
    parser.add_argument("--naive-steps", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="reuse bench/scratch/backtest if it was built before")
    args = parser.parse_args()

    days = 365 * args.years
    work = BENCH / "scratch" / "backtest"
    config = scenario.ScenarioConfig(days=days, rows_per_day=args.rows_per_day, shift_day=int(days * 0.55),
                                     broken_feed_start=int(days * 0.27), broken_feed_days=4)
    built = args.keep and (work / "target" / "manifest.json").exists()
    if not built:
        shutil.rmtree(work, ignore_errors=True)
        project = demo.write_project(work, declaration(), threads=2)
        generated = scenario.generate(config)
        scenario.write_duckdb(generated, work / "warehouse.duckdb")
        print(f"scenario: {days} daily windows, {len(generated.predictions):,} predictions, "
              f"{len(generated.labels):,} label rows (revisions and orphans included)")
        project.deps()
        started = time.perf_counter()
        project.build()
        print(f"dbt build (not part of the backtest): {time.perf_counter() - started:.1f} s")
    project = DbtProject(work, work)
    runner = Runner(project, echo=lambda _: None)
    monitor = runner.monitor("loan_default")

    print(f"backtest: {len(POLICIES)} policies x {len(STRATEGIES)} strategies + 2 baselines + decay, "
          f"{os.cpu_count()} cores visible")
    wall, cpu0 = time.perf_counter(), cpu()
    with runner.connect() as warehouse:
        history = bt.load_history(warehouse, runner.manifest(), monitor)
    load_seconds = time.perf_counter() - wall
    result = bt.run(history, bt.BacktestConfig(policies=POLICIES, strategies=STRATEGIES), echo=print)
    backtest_wall, backtest_cpu = time.perf_counter() - wall, cpu() - cpu0
    labelled = int(np.sum(~pd.isna(history.final_label)))
    print("\n".join(result.lines()))
    steps = history.n_windows - history.window_index(result.first_window)
    training = float(result.summary["training_seconds"].sum())
    print(f"\nMEASURED  backtest: {backtest_wall:.1f} s wall, {backtest_cpu:.1f} s CPU "
          f"({history.n_windows} windows, {steps} replayed steps, {labelled:,} labelled rows; "
          f"load {load_seconds:.1f} s, training inside compare-and-promote {training:.1f} s)")

    # the naive reference, on a slice
    start = history.windows[0]
    picks = np.linspace(history.window_index(result.first_window), history.n_windows - 1, args.naive_steps).astype(int)
    reference = (history.windows[0], history.windows[60])
    started = time.perf_counter()
    for w in picks:
        naive_step(runner, monitor, history.windows[w], start, reference)
    per_step = (time.perf_counter() - started) / len(picks)
    replays = len(POLICIES) * len(STRATEGIES)
    naive_total = per_step * steps * replays
    print(f"MEASURED  naive rescan: {per_step * 1000:.0f} ms per step (mean of {len(picks)} steps spread over the history)")
    print(f"EXTRAPOLATED naive rescan of the whole replay: {per_step:.3f} s x {steps} steps x {replays} replays = "
          f"{naive_total / 60:.1f} min, before any training; ratio naive / in-memory backtest = "
          f"{naive_total / backtest_wall:.1f}x (the backtest's time includes its training)")


if __name__ == "__main__":
    main()
