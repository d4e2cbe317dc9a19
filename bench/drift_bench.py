#!/usr/bin/env python
"""driftline benchmark: full and incremental `dbt build` against a hand-written DuckDB pass and Evidently.

    python bench/drift_bench.py [--rows 1000000 10000000] [--skip-evidently]

For each size N the script

  1. writes a dbt project (bench/scratch/rows_N/) that installs driftline from this checkout and
     declares one monitor on `raw.bench_log`;
  2. generates the prediction log with DuckDB SQL straight into the warehouse file: N rows over
     30 daily windows, 16 numeric and 4 categorical features, a score and a predicted label,
     ~3% NULLs per feature, drift injected from day 20 on (see generator_sql());
  3. runs a full `dbt build` in a subprocess (wall time, peak RSS of the dbt process);
  4. runs the hand-written reference SQL (bench/handwritten.py: the same metrics, and the smaller
     PSI+KS-only query of earlier runs) in subprocesses on the same 30 days;
  5. exports the same 30 days to parquet for Evidently;
  6. appends day 31 (N/30 more rows) and runs an incremental `dbt build` in a subprocess, then the two
     floors of a daily build: `dbt build` of an empty project, and the hand-written query on day 31
     alone from a stored reference (also cross-checked against the incremental build's day 31);
  6b. runs Evidently's DataDriftPreset on the parquet in its own virtual environment
     (bench/.venv-evidently, created on first use) in a subprocess;
  7. cross-checks every driftline statistic against the hand-written one, prints the table and appends it,
     with the per-model breakdown from target/run_results.json, to bench/results.md.

Peak memory is ru_maxrss of the measured child, read with os.wait4 (the child and everything it
waited for), so each step is measured on its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "scratch"
EVIDENTLY_VENV = BENCH / ".venv-evidently"
EVIDENTLY_REQUIREMENTS = ["evidently==0.7.*", "pandas<3", "pyarrow"]

DAYS = 30
REFERENCE_DAYS = 14
DRIFT_DAY = 20
START = "2026-01-01"
TABLE = "raw.bench_log"

NUMERIC = [f"n{i:02d}" for i in range(1, 17)]
CATEGORICAL = [f"c{i:02d}" for i in range(1, 5)]
# What every engine profiles: the 20 features plus the model output (driftline adds the score
# as a numeric and the predicted label as a categorical column of its own).
PROFILED_NUMERIC = NUMERIC + ["score"]
PROFILED_CATEGORICAL = CATEGORICAL + ["predicted_label"]


# --------------------------------------------------------------------------------------------
# data generation (DuckDB SQL, hash-seeded, deterministic whatever the thread count)
# --------------------------------------------------------------------------------------------

def _stream(k: int, seed: int) -> str:
    """A 64-bit hash of (row, stream, seed mod 8). DuckDB's multi-argument hash(a, b) combines the two
    hashes weakly (streams correlate at ~0.6), so one BIGINT carrying all three is hashed."""
    return f"hash(i * 64 + {k} + {seed % 8} * 1152921504606846976)"


def _u(k: int, seed: int) -> str:
    """A uniform in (0, 1) from stream k."""
    return f"(({_stream(k, seed)} >> 11)::double + 0.5) / 9007199254740992.0"


def generator_sql(first_row: int, last_row: int, total_rows: int, seed: int) -> str:
    """SELECT producing rows first_row .. last_row - 1 of a log whose first 30 days hold total_rows rows.

    Row i lies at START + i * (30 days / total_rows): time-ordered, total_rows / 30 rows a day;
    rows past total_rows fall on day 31 (index 30) and later.
    """
    per_row_us = DAYS * 86400 * 1_000_000 / total_rows
    normals = []
    for pair in range(6):  # Box-Muller: two normals from each pair of uniforms
        a, b = _u(2 * pair, seed), _u(2 * pair + 1, seed)
        normals.append(f"sqrt(-2 * ln({a})) * cos(2 * pi() * {b}) as z{2 * pair + 1}")
        normals.append(f"sqrt(-2 * ln({a})) * sin(2 * pi() * {b}) as z{2 * pair + 2}")
    uniforms = [f"{_u(20 + k, seed)} as u{k}" for k in range(11)]
    # NULL masks: 5-bit slices of one hash, a slice equal to 0 means NULL (1/32, ~3%)
    columns = NUMERIC + CATEGORICAL
    nulled = ",\n        ".join(
        f"case when (nullbits >> {3 * j}) & 31 = 0 then null else {name} end as {name}" for j, name in enumerate(columns)
    )
    return f"""
with base as (
    select
        i,
        cast(i * 30 // {total_rows} as integer) as d,
        timestamp '{START}' + to_microseconds(cast(i * {per_row_us!r} as bigint)) as event_at,
        {_stream(63, seed)} as nullbits,
        {", ".join(normals)},
        {", ".join(uniforms)}
    from range({first_row}, {last_row}) as t(i)
),

clean as (
    select
        i, d, event_at, nullbits,
        -- numeric features; drift: n01 sudden mean shift (day 20), n02 gradual slide,
        -- n03 variance up (day 24), n05 income-like down (day 20), n07 skew (day 22),
        -- n11 mixture weight (day 25); the rest are stable
        z1 + case when d >= {DRIFT_DAY} then 0.5 else 0 end as n01,
        z2 + 0.02 * d as n02,
        z3 * case when d >= 24 then 1.5 else 1 end as n03,
        10 + 2 * z4 as n04,
        exp(10 + 0.6 * z5 - case when d >= {DRIFT_DAY} then 0.15 else 0 end) as n05,
        100 * u0 as n06,
        floor(10 * pow(u1, case when d >= 22 then 0.8 else 1 end)) as n07,
        -3 * ln(u2) as n08,
        round(50 + 10 * z6, 1) as n09,
        u3 * u3 as n10,
        case when u4 < case when d >= 25 then 0.5 else 0.3 end then -2 + 0.5 * z7 else 1.5 + 0.7 * z7 end as n11,
        5 + z8 as n12,
        case when u5 < 0.9 then 0 else (u5 - 0.9) * 1000 end as n13,
        1000 + 100 * z9 as n14,
        0.001 * z10 as n15,
        z11 * z12 as n16,
        -- categorical features; drift: c01 mix moves (day 20), c03 gains an unseen value (day 26)
        case
            when d < {DRIFT_DAY} then case when u6 < 0.40 then 'a' when u6 < 0.65 then 'b' when u6 < 0.80 then 'c' when u6 < 0.92 then 'd' else 'e' end
            else case when u6 < 0.25 then 'a' when u6 < 0.50 then 'b' when u6 < 0.70 then 'c' when u6 < 0.85 then 'd' else 'e' end
        end as c01,
        'r' || lpad(cast(floor(12 * u7) as integer)::varchar, 2, '0') as c02,
        case when d >= 26 and u9 < 0.05 then 'k_new' else 'k' || lpad(cast(floor(40 * pow(u8, 2.5)) as integer)::varchar, 2, '0') end as c03,
        case when u10 < 1.0 / 3 then 'x' when u10 < 2.0 / 3 then 'y' else 'z' end as c04,
        1 / (1 + exp(-(-0.5 + 0.8 * z1 + 0.4 * z2 - 0.3 * z5 + case when d >= {DRIFT_DAY} then 0.4 else 0 end))) as score
    from base
)

select
    i as event_id,
    event_at,
    {nulled},
    score,
    cast(score > 0.5 as integer) as predicted_label
from clean
"""


def declaration(features: list[str] | None = None, reference_days: int = REFERENCE_DAYS) -> dict:
    """The bench monitor: every generated feature (or `features`, in that order), daily windows."""
    features = features if features is not None else NUMERIC + CATEGORICAL
    return {
        "monitor": "bench",
        "id_column": "event_id",
        "event_time_column": "event_at",
        "task": "binary_classification",
        "prediction_column": "predicted_label",
        "score_column": "score",
        "features": [{"name": n, "kind": "categorical" if n in CATEGORICAL else "numeric"} for n in features],
        "window": "day",
        "reference": {"method": "first_windows", "windows": reference_days},
    }


def duckdb_settings(args, project: Path) -> dict:
    # No temp_directory here: DuckDB spills to <database>.tmp beside the file by default, and
    # dbt-duckdb re-applies `settings` on every new connection, which DuckDB refuses for
    # temp_directory once something has spilled ("Cannot switch temporary directory after the
    # current one has been used"): a 10M build failed that way.
    return {
        "memory_limit": args.memory_limit,
        "threads": args.threads,
        "preserve_insertion_order": False,
    }


def write_project(project: Path, args, with_driftline: bool = True) -> None:
    import yaml

    (project / "models").mkdir(parents=True, exist_ok=True)
    dump = lambda path, data: path.write_text(yaml.safe_dump(data, sort_keys=False))  # noqa: E731
    dump(project / "dbt_project.yml", {
        "name": "driftline_bench", "version": "1.0.0", "config-version": 2, "profile": "driftline_bench",
        "model-paths": ["models"],
    })
    dump(project / "profiles.yml", {"driftline_bench": {"target": "bench", "outputs": {"bench": {
        "type": "duckdb",
        "path": str(project / "warehouse.duckdb"),
        "threads": args.dbt_threads,
        "settings": duckdb_settings(args, project),
    }}}})
    if not with_driftline:  # the empty project: the profile only
        return
    dump(project / "packages.yml", {"packages": [{"local": str(REPO)}]})
    dump(project / "models" / "sources.yml", {"version": 2, "sources": [{
        "name": "raw", "schema": "raw",
        "tables": [{"name": "bench_log", "config": {"meta": {"driftline": declaration()}}}],
    }]})


def measure_handwritten(project: Path, variant: str, args) -> dict:
    """A bench/handwritten.py variant in a subprocess of its own, its metrics written to handwritten_<variant>.json."""
    output = project / f"handwritten_{variant}.json"
    return measure(
        [sys.executable, __file__, "--_handwritten", variant, str(project / "warehouse.duckdb"), str(output),
         "--memory-limit", args.memory_limit, "--threads", str(args.threads)],
        project / "logs_bench" / f"handwritten_{variant}.log",
    )


def measure_empty_build(project: Path, args) -> dict:
    """`dbt build` of a project with no node on the same adapter and settings: the floor any daily build pays."""
    empty = project / "empty_project"
    (empty / "models").mkdir(parents=True, exist_ok=True)
    write_project(empty, args, with_driftline=False)
    subprocess.run(dbt(empty, "parse", "--quiet"), check=True, cwd=empty)
    return measure(dbt(empty, "build"), project / "logs_bench" / "dbt_empty.log", cwd=empty)


def connect(database: Path, args, read_only: bool = False):
    import duckdb

    settings = duckdb_settings(args, database.parent)
    return duckdb.connect(str(database), read_only=read_only, config={k: str(v) for k, v in settings.items()})


def generate(project: Path, rows: int, args) -> float:
    database = project / "warehouse.duckdb"
    for leftover in (database, project / "warehouse.duckdb.wal"):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    con = connect(database, args)
    con.execute("create schema if not exists raw")
    con.execute(f"create table {TABLE} as {generator_sql(0, rows, rows, args.seed)}")
    con.execute("checkpoint")
    con.close()
    return time.perf_counter() - started


def append_day(project: Path, rows: int, args) -> int:
    con = connect(project / "warehouse.duckdb", args)
    extra = rows // DAYS
    con.execute(f"insert into {TABLE} {generator_sql(rows, rows + extra, rows, args.seed)}")
    con.execute("checkpoint")
    con.close()
    return extra


# --------------------------------------------------------------------------------------------
# measuring a subprocess
# --------------------------------------------------------------------------------------------

def measure(command: list[str], log: Path, cwd: Path | None = None, env: dict | None = None) -> dict:
    """Run `command`; wall seconds, CPU seconds and the peak RSS (MB) of that child and its waited-for descendants."""
    with open(log, "w") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        tail = log.read_text()[-4000:]
        raise RuntimeError(f"{' '.join(command)} exited {child.returncode}; end of {log}:\n{tail}")
    # CPU seconds (user + system) say less about contention from other work on the machine than wall time
    return {"seconds": seconds, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}


def dbt(project: Path, *command: str) -> list[str]:
    executable = Path(sys.executable).parent / "dbt"
    runner = [str(executable)] if executable.exists() else [sys.executable, "-m", "dbt.cli.main"]
    return [*runner, *command, "--project-dir", str(project), "--profiles-dir", str(project)]


def model_times(project: Path) -> list[tuple[str, float, str]]:
    results = json.loads((project / "target" / "run_results.json").read_text())
    # unique_id is resource_type.package.name[.hash]: the name, for models and tests alike
    rows = [(r["unique_id"].split(".")[2], r["execution_time"], r["status"]) for r in results["results"]]
    return sorted(rows, key=lambda r: -r[1])


# --------------------------------------------------------------------------------------------
# the hand-written references (bench/handwritten.py), each in a subprocess of its own
# --------------------------------------------------------------------------------------------

def run_handwritten(database: Path, output: Path, variant: str, args) -> None:
    import handwritten

    con = connect(database, args, read_only=True)
    if variant == "same_metrics":
        metrics = handwritten.same_metrics(con, TABLE, REFERENCE_DAYS, PROFILED_NUMERIC, NUMERIC, PROFILED_CATEGORICAL)
    elif variant == "new_day":
        metrics, seconds = handwritten.new_day_metrics(con, TABLE, REFERENCE_DAYS, PROFILED_NUMERIC, NUMERIC, PROFILED_CATEGORICAL)
        output.with_suffix(".seconds").write_text(f"{seconds}\n")
    else:
        metrics = handwritten.psi_ks_only(con, TABLE, REFERENCE_DAYS, PROFILED_NUMERIC, PROFILED_CATEGORICAL)
    con.close()
    metrics.to_json(output, orient="records", date_format="iso")


# --------------------------------------------------------------------------------------------
# Evidently, in its own virtual environment
# --------------------------------------------------------------------------------------------

def evidently_python() -> Path:
    python = EVIDENTLY_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {EVIDENTLY_VENV} (pip install {' '.join(EVIDENTLY_REQUIREMENTS)}) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(EVIDENTLY_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *EVIDENTLY_REQUIREMENTS], check=True)
    return python


def export_parquet(project: Path, rows: int, cap: int | None, args) -> dict:
    """Reference = first 14 days, current = last day (day 30) and rest (days 15-30), as parquet.

    With a row cap, each day keeps its first cap/30 rows (the generator spreads rows evenly over
    time, so this is a uniform sample of every day).
    """
    con = connect(project / "warehouse.duckdb", args, read_only=True)
    columns = ", ".join(PROFILED_NUMERIC + PROFILED_CATEGORICAL)
    # event_id is the row number: the day and the position within the day follow from it
    day = f"cast(event_id * {DAYS} // {rows} as integer)"
    keep = ""
    if cap and cap < rows:
        keep = f"and event_id - ceil({day} * {rows / DAYS!r}) < {cap // DAYS}"
    paths = {}
    for name, where in {
        "reference": f"{day} < {REFERENCE_DAYS}",
        "last_day": f"{day} = {DAYS - 1}",
        "rest": f"{day} >= {REFERENCE_DAYS} and {day} < {DAYS}",
    }.items():
        path = project / f"evidently_{name}.parquet"
        con.execute(f"copy (select {columns} from {TABLE} where {where} {keep}) to '{path}' (format parquet)")
        paths[name] = path
    con.close()
    return paths


EVIDENTLY_SCRIPT = r'''
import json, sys, time
started = time.perf_counter()
import pandas as pd
from evidently import DataDefinition, Dataset, Report
from evidently.presets import DataDriftPreset
imported = time.perf_counter()
reference_path, current_path, output, numeric, categorical = sys.argv[1:6]
numeric, categorical = numeric.split(","), categorical.split(",")
reference = pd.read_parquet(reference_path)
current = pd.read_parquet(current_path)
for column in categorical:
    reference[column] = reference[column].astype("string").astype(object)
    current[column] = current[column].astype("string").astype(object)
definition = DataDefinition(numerical_columns=numeric, categorical_columns=categorical)
reference_ds = Dataset.from_pandas(reference, data_definition=definition)
current_ds = Dataset.from_pandas(current, data_definition=definition)
loaded = time.perf_counter()
snapshot = Report([DataDriftPreset()]).run(current_ds, reference_ds)
result = snapshot.dict()
ran = time.perf_counter()
metrics = result.get("metrics", [])
json.dump({
    "rows_reference": len(reference), "rows_current": len(current),
    "import_s": imported - started, "load_s": loaded - imported, "report_s": ran - loaded,
    "metrics": metrics,
}, open(output, "w"), default=str)
'''


def run_evidently(project: Path, paths: dict, mode: str, log_dir: Path) -> dict:
    python = evidently_python()
    script = project / "evidently_run.py"
    script.write_text(EVIDENTLY_SCRIPT)
    output = project / f"evidently_{mode}.json"
    measured = measure(
        [str(python), str(script), str(paths["reference"]), str(paths[mode]), str(output),
         ",".join(PROFILED_NUMERIC), ",".join(PROFILED_CATEGORICAL)],
        log_dir / f"evidently_{mode}.log",
    )
    detail = json.loads(output.read_text())
    measured.update({k: detail[k] for k in ("rows_reference", "rows_current", "import_s", "load_s", "report_s")})
    return measured


# --------------------------------------------------------------------------------------------
# the run
# --------------------------------------------------------------------------------------------

def cross_check(project: Path, hand_json: Path, args) -> dict:
    """Per statistic, the largest |driftline - hand-written| over the days and columns both report."""
    import pandas as pd

    hand = pd.read_json(hand_json)
    hand["day"] = pd.to_datetime(hand["day"]).dt.tz_localize(None)
    con = connect(project / "warehouse.duckdb", args, read_only=True)
    names = "case feature_name when '__score__' then 'score' when '__prediction__' then 'predicted_label' else feature_name end"
    ours = con.execute(f"""
        select window_start as day, {names} as feature, statistic, value as driftline
        from main_driftline.driftline_feature_drift where segment_name = '__all__'
        union all
        select window_start, {names}, check_name, value
        from main_driftline.driftline_data_quality where segment_name = '__all__' and check_name <> 'schema'
    """).df()
    con.close()
    # unseen_share is in both driftline tables, with the same value
    joined = hand.merge(ours.drop_duplicates(["day", "feature", "statistic"]), on=["day", "feature", "statistic"])
    joined["difference"] = (joined["value"] - joined["driftline"]).abs()
    late = joined[(joined["feature"] == "n01") & (joined["statistic"] == "psi") & (joined["day"] == joined["day"].max())]
    return {
        "rows": len(joined),
        "hand_rows": len(hand),
        "max_abs_diff": {k: float(v) for k, v in joined.groupby("statistic")["difference"].max().items()},
        "n01_last_day_psi": {"driftline": float(late["driftline"].iloc[0]), "handwritten": float(late["value"].iloc[0])},
    }


def bench_size(rows: int, args) -> dict:
    project = WORK / f"rows_{rows}"
    if project.exists() and not args.keep:
        shutil.rmtree(project)
    project.mkdir(parents=True, exist_ok=True)
    logs = project / "logs_bench"
    logs.mkdir(exist_ok=True)
    write_project(project, args)
    result = {"rows": rows, "driftline": git_revision()}  # the package may change between sizes

    print(f"\n== {rows:,} rows ==", flush=True)
    result["generate_s"] = generate(project, rows, args)
    print(f"generated {rows:,} rows x 20 features in {result['generate_s']:.1f} s", flush=True)
    subprocess.run(dbt(project, "deps", "--quiet"), check=True, cwd=project)
    subprocess.run(dbt(project, "parse", "--quiet"), check=True, cwd=project)  # warm the partial-parse cache

    result["full"] = measure(dbt(project, "build"), logs / "dbt_full.log", cwd=project)
    result["full"]["models"] = model_times(project)
    shutil.copy(project / "target" / "run_results.json", logs / "run_results_full.json")
    print(f"full dbt build: {result['full']['seconds']:.1f} s, peak {result['full']['peak_mb']:.0f} MB", flush=True)

    for key, variant, label in (("hand", "same_metrics", "the same metrics"), ("hand_psi_ks", "psi_ks", "PSI and KS only")):
        result[key] = measure_handwritten(project, variant, args)
        print(f"hand-written SQL, {label}: {result[key]['seconds']:.1f} s, peak {result[key]['peak_mb']:.0f} MB", flush=True)
    result["check"] = cross_check(project, project / "handwritten_same_metrics.json", args)
    print(f"cross-check: {json.dumps(result['check'])}", flush=True)

    paths = None
    if not args.skip_evidently:  # exported now, while the log holds the same 30 days the full build saw
        paths = export_parquet(project, rows, args.evidently_rows, args)

    result["appended_rows"] = append_day(project, rows, args)
    result["incremental"] = measure(dbt(project, "build"), logs / "dbt_incremental.log", cwd=project)
    result["incremental"]["models"] = model_times(project)
    shutil.copy(project / "target" / "run_results.json", logs / "run_results_incremental.json")
    print(f"incremental dbt build (+{result['appended_rows']:,} rows, day 31): {result['incremental']['seconds']:.1f} s, "
          f"peak {result['incremental']['peak_mb']:.0f} MB", flush=True)
    result["empty"] = measure_empty_build(project, args)
    print(f"dbt build of an empty project (dbt's own floor): {result['empty']['seconds']:.1f} s", flush=True)
    result["hand_new_day"] = measure_handwritten(project, "new_day", args)
    result["hand_new_day"]["day_s"] = float((project / "handwritten_new_day.seconds").read_text())
    result["check_new_day"] = cross_check(project, project / "handwritten_new_day.json", args)
    print(f"hand-written SQL, day 31 alone from the stored reference: {result['hand_new_day']['day_s']:.1f} s; "
          f"cross-check of the incremental build's day 31: {json.dumps(result['check_new_day'])}", flush=True)

    if paths:
        cap = args.evidently_rows
        result["evidently"] = {"rows_cap": cap if cap and cap < rows else None}
        for mode in args.evidently_modes:
            if mode == "rest" and rows > args.evidently_rest_max_rows:
                print(f"Evidently (current = rest) skipped above {args.evidently_rest_max_rows:,} rows "
                      f"(--evidently-rest-max-rows)", flush=True)
                result["evidently"][mode] = {"skipped": f"above --evidently-rest-max-rows {args.evidently_rest_max_rows:,}"}
                continue
            try:
                measured = run_evidently(project, paths, mode, logs)
            except RuntimeError as error:  # e.g. killed for memory: keep the other figures
                print(f"Evidently (current = {mode}) failed: {error}", flush=True)
                result["evidently"][mode] = {"failed": str(error)[:2000]}
                continue
            result["evidently"][mode] = measured
            print(f"Evidently DataDriftPreset (current = {mode}, {measured['rows_reference']:,} + {measured['rows_current']:,} rows): "
                  f"{measured['seconds']:.1f} s wall, report {measured['report_s']:.1f} s, peak {measured['peak_mb']:.0f} MB", flush=True)
        for path in paths.values():
            path.unlink(missing_ok=True)
    (project / "result.json").write_text(json.dumps(result, indent=2, default=str))
    if not args.keep_data:
        for name in ("warehouse.duckdb", "warehouse.duckdb.wal"):
            (project / name).unlink(missing_ok=True)
    return result


def evidently_figures(result: dict) -> tuple[str, str, str, float | None]:
    """(seconds, peak MB, ratio to the full build, seconds used) of the headline Evidently run."""
    evidently = result.get("evidently")
    if not evidently:
        return "skipped", "-", "-", None
    # the whole log after the reference (the same data driftline profiles) first, else the last day
    ok = [k for k in ("rest", "last_day") if k in evidently and "seconds" in evidently[k]]
    if not ok:
        return "failed", "-", "-", None
    run = evidently[ok[0]]
    seconds = run["load_s"] + run["report_s"]
    label = f"{seconds:.1f}"
    if evidently.get("rows_cap"):
        scale = result["rows"] / evidently["rows_cap"]
        seconds *= scale
        label = f"{seconds:.0f} (extrap. x{scale:.0f} from {evidently['rows_cap']:,})"
    label += "" if ok[0] == "rest" else " (last day only)"
    return label, f"{run['peak_mb']:.0f}", f"{seconds / result['full']['seconds']:.1f}x", seconds


def _wall(run: dict) -> str:
    """Wall seconds, with the CPU seconds of the process in brackets when measured."""
    return f"{run['seconds']:.1f}" + (f" ({run['cpu_s']:.0f})" if "cpu_s" in run else "")


def _floor(result: dict) -> str:
    """The empty project's build, the hand-written query's time for the new day alone, and how much of the
    full build the two take together: no daily build can cost less (runs before these were measured: "-")."""
    full = result["full"]["seconds"]
    cells = ["-"] * 4
    if "empty" in result:
        cells[:2] = [_wall(result["empty"]), f"{100 * result['empty']['seconds'] / full:.0f}%"]
    if "empty" in result and "hand_new_day" in result:
        day = result["hand_new_day"]["day_s"]
        cells[2:] = [f"{day:.1f}", f"{100 * (result['empty']['seconds'] + day) / full:.0f}%"]
    return " | ".join(cells)


def table(results: list[dict]) -> str:
    head = ("| rows | full build s | full peak MB | incremental s | incr/full | incr peak MB | empty dbt build s "
            "| empty/full | hand-written day s | (empty + day)/full | hand-written s | hand peak MB | full/hand | PSI+KS-only s | full/PSI+KS | Evidently s | Evidently peak MB | Evidently/full |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        ev_s, ev_mb, ev_ratio, _ = evidently_figures(r)
        full, incr, hand, minimal = r["full"], r["incremental"], r["hand"], r["hand_psi_ks"]
        lines.append(
            f"| {r['rows']:,} | {_wall(full)} | {full['peak_mb']:.0f} | {_wall(incr)} "
            f"| {100 * incr['seconds'] / full['seconds']:.0f}% | {incr['peak_mb']:.0f} | {_floor(r)} "
            f"| {_wall(hand)} | {hand['peak_mb']:.0f} | {full['seconds'] / hand['seconds']:.2f}x | {_wall(minimal)} "
            f"| {full['seconds'] / minimal['seconds']:.2f}x | {ev_s} | {ev_mb} | {ev_ratio} |"
        )
    lines.append("")
    lines.append("Seconds are wall time (CPU seconds of the process in brackets, where measured). hand-written = one DuckDB "
                 "pass per metric family computing the same metrics as driftline (bench/handwritten.py); PSI+KS-only = "
                 "the smaller query of earlier runs. empty dbt build = `dbt build` of a project with no node on the same "
                 "adapter and settings: what any daily build costs before it does anything. hand-written day = the "
                 "hand-written query on the new day alone, from a stored reference (bench/handwritten.py, new_day_metrics): "
                 "(empty + day)/full is the least any daily `dbt build` could cost. Evidently s = parquet->pandas "
                 "+ report with current = every day after the reference (imports excluded), or the last day where marked; Evidently/full = that / full build wall.")
    return "\n".join(lines)


def details(results: list[dict]) -> str:
    out = []
    for r in results:
        out.append(f"\n#### {r['rows']:,} rows\n")
        out.append(f"- driftline at {r.get('driftline', '?')} when this size started")
        out.append(f"- data generation (DuckDB SQL, not timed as part of anything): {r['generate_s']:.1f} s")
        c = r["check"]
        differences = ", ".join(f"{name} {value:.1e}" for name, value in sorted(c["max_abs_diff"].items()))
        out.append(f"- cross-check vs hand-written ({c['rows']} of its {c['hand_rows']} day x column x statistic rows matched): "
                   f"max |difference| {differences} (KS and W1 from different histograms); n01 PSI on day 30: driftline "
                   f"{c['n01_last_day_psi']['driftline']:.3f}, hand-written {c['n01_last_day_psi']['handwritten']:.3f}")
        if "check_new_day" in r:
            c = r["check_new_day"]
            differences = ", ".join(f"{name} {value:.1e}" for name, value in sorted(c["max_abs_diff"].items()))
            out.append(f"- day 31 (the incremental build) vs the hand-written query on that day alone ({c['rows']} of its "
                       f"{c['hand_rows']} rows matched; {r['hand_new_day']['day_s']:.2f} s of scan and statistics, "
                       f"{r['hand_new_day']['seconds']:.1f} s for the process with its untimed reference): max |difference| {differences}")
        ev = r.get("evidently")
        if ev:
            for mode in ("last_day", "rest"):
                if mode in ev and "skipped" in ev[mode]:
                    out.append(f"- Evidently DataDriftPreset, current = {mode.replace('_', ' ')}: not run ({ev[mode]['skipped']})")
                elif mode in ev and "failed" in ev[mode]:
                    out.append(f"- Evidently DataDriftPreset, current = {mode.replace('_', ' ')}: FAILED ({ev[mode]['failed'].splitlines()[0][:200]})")
                elif mode in ev:
                    e = ev[mode]
                    out.append(f"- Evidently DataDriftPreset, current = {mode.replace('_', ' ')}: {e['rows_reference']:,} reference + "
                               f"{e['rows_current']:,} current rows; import {e['import_s']:.1f} s, parquet->pandas+Dataset {e['load_s']:.1f} s, "
                               f"report {e['report_s']:.1f} s, process wall {e['seconds']:.1f} s, peak {e['peak_mb']:.0f} MB")
        for phase in ("full", "incremental"):
            models = r[phase]["models"]
            total = sum(t for _, t, _ in models)
            top = ", ".join(f"{name} {t:.1f}s" for name, t, _ in models if t >= 0.05)
            out.append(f"- {phase} build, per model (sum {total:.1f} s of {r[phase]['seconds']:.1f} s wall): {top}")
    return "\n".join(out)


def git_revision() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "models", "macros"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
        return head + (" + uncommitted changes to models/macros" if dirty else "")
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--skip-evidently", action="store_true")
    parser.add_argument("--evidently-rows", type=int, default=None,
                        help="cap the rows handed to Evidently (uniform sample of every day); its time is then "
                             "extrapolated linearly to the full size and labelled so")
    parser.add_argument("--evidently-modes", nargs="+", default=["last_day", "rest"], choices=["last_day", "rest"],
                        help="current data for Evidently: the last day, or every day after the reference")
    parser.add_argument("--evidently-rest-max-rows", type=int, default=10_000_000,
                        help="run the current = rest variant only up to this size (at 10M it needs ~15 GB and 15-35 minutes)")
    parser.add_argument("--memory-limit", default="1500MB", help="DuckDB memory_limit for every DuckDB process")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads")
    parser.add_argument("--dbt-threads", type=int, default=1, help="dbt threads (models run concurrently)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="do not wipe bench/scratch/rows_N first")
    parser.add_argument("--keep-data", action="store_true", help="keep the warehouse files afterwards")
    parser.add_argument("--no-results", action="store_true", help="do not append to bench/results.md")
    parser.add_argument("--_handwritten", nargs=3, metavar=("VARIANT", "DATABASE", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._handwritten:
        variant, database, output = args._handwritten
        run_handwritten(Path(database), Path(output), variant, args)
        return

    WORK.mkdir(parents=True, exist_ok=True)
    lock = open(WORK / ".lock", "w")
    try:  # two runs would wipe each other's warehouses (bench/scratch/rows_N is rebuilt from scratch)
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(f"another drift_bench.py is running on {WORK}; wait for it (its timings would be wrong anyway)")
    results = [bench_size(rows, args) for rows in args.rows]
    text = table(results)
    print("\n" + text)
    print(details(results))
    if not args.no_results:
        import duckdb

        header = (f"\n## {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} — `python bench/drift_bench.py "
                  f"{' '.join(sys.argv[1:])}`\n\n"
                  f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB RAM, "
                  f"Python {platform.python_version()}, duckdb {duckdb.__version__}; DuckDB memory_limit {args.memory_limit}, "
                  f"threads {args.threads}, dbt threads {args.dbt_threads}; driftline at {results[0].get('driftline')} "
                  f"when the run started\n\n")
        with open(BENCH / "results.md", "a") as out:
            out.write(header + text + "\n" + details(results) + "\n")


if __name__ == "__main__":
    main()
