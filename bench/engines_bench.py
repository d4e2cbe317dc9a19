#!/usr/bin/env python
"""driftline on DuckDB, PostgreSQL and Apache Spark: full and incremental daily `dbt build`s of the drift models.

    python bench/engines_bench.py                 # the default plan, about an hour on 2 idle cores
    python bench/engines_bench.py --quick         # one small configuration per engine (a smoke run)
    python bench/engines_bench.py --engines duckdb postgres
    # on a small machine, engines in parallel, then one table:
    python bench/engines_bench.py --engines duckdb postgres --results bench/scratch/engines/a.json &
    python bench/engines_bench.py --engines duckdb spark --results bench/scratch/engines/b.json
    python bench/engines_bench.py --table bench/scratch/engines/a.json bench/scratch/engines/b.json

One configuration = (rows, features, windows, segments). For each engine and configuration the script

  1. (re)creates the source table `bench_log` from a generated base table holding `windows` daily
     windows of `rows` rows (bench/drift_bench.py's generator: 16 numeric and 4 categorical
     features, a score and a predicted label, ~3% NULLs, drift injected in the last third) plus a
     4-value segment column `seg`;
  2. times a full `dbt build --full-refresh --select +driftline_feature_drift` (data tests excluded:
     they are the same on every engine and would double the run) of a project whose
     monitor declares the first `features` features (and `seg` as a segment column when
     segments = 1), reference = the first half of the windows;
  3. appends one more day (rows / windows rows) and times an incremental `dbt build` of the same
     selection (the daily run).

Every engine runs dbt in this process (dbt-spark's session mode needs the Spark session here) with
one dbt thread. Each build is timed in wall seconds and in CPU seconds (this process, which holds dbt
and DuckDB, plus the engine's server: PostgreSQL's postmaster and backends, Spark's JVM, read from
/proc): on a shared machine the CPU figures are the steadier ones. The ratios in the printed table are against DuckDB's time for the same configuration
measured in the same run (DuckDB runs the configurations of the other selected engines). PostgreSQL is a throwaway local cluster (tests/test_engines.py's
LocalPostgres), Spark a local[2] session (tests/test_engines.py's start_spark_session). Data is
generated with DuckDB and copied into the other engines (CSV COPY into PostgreSQL, parquet into
Spark); loading is not timed. Scratch lives in bench/scratch/engines/ (gitignored); the figures are
also written to bench/scratch/engines/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "scratch" / "engines"
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(BENCH))

import duckdb  # noqa: E402
import yaml  # noqa: E402

import drift_bench  # noqa: E402  (the data generator)
import test_engines as engines  # noqa: E402  (PostgreSQL cluster, Spark session, loaders)
from driftline.project import DbtProject  # noqa: E402

SELECTION = ["+driftline_feature_drift"]
START = drift_bench.START
# Features in declaration order: numeric and categorical interleaved so that every prefix has both.
FEATURE_ORDER = ["n01", "n02", "n03", "n04", "c01", "n05", "n06", "n07", "n08", "c02",
                 "n09", "n10", "n11", "n12", "c03", "n13", "n14", "n15", "n16", "c04"]
CATEGORICAL = set(drift_bench.CATEGORICAL)
BASE = {"rows": 100_000, "features": 10, "windows": 30, "segments": 0}
SPARK_BASE = {"rows": 20_000, "features": 10, "windows": 30, "segments": 0}


def plan(quick: bool, rows: list[int] | None = None, spark_rows: list[int] | None = None) -> dict[str, list[dict[str, int]]]:
    """Configurations per engine: one factor at a time around a base configuration."""
    if quick:
        small = dict(SPARK_BASE, rows=10_000)
        return {"duckdb": [small], "postgres": [small], "spark": [small]}
    rows = sorted(rows or [100_000, 300_000, 1_000_000])
    big = [dict(BASE, rows=n) for n in rows[:-1]]
    big += [dict(BASE, features=20), dict(BASE, windows=10), dict(BASE, segments=1)]
    big += [dict(BASE, rows=rows[-1])]  # the largest last: a run cut short still has the factors
    # Spark's builds cost minutes whatever the size (a job per statement): the same factors
    # around a smaller base, and the row series from it
    spark_rows = sorted(spark_rows or [20_000, 1_000_000])
    small = [dict(SPARK_BASE, rows=n) for n in spark_rows[:-1]]
    small += [dict(SPARK_BASE, features=20), dict(SPARK_BASE, windows=10), dict(SPARK_BASE, segments=1)]
    small += [dict(SPARK_BASE, rows=spark_rows[-1])]
    return {"duckdb": big, "postgres": big, "spark": small}


def key(config: dict[str, int]) -> tuple[int, int, int, int]:
    return (config["rows"], config["features"], config["windows"], config["segments"])


# --------------------------------------------------------------------------------------------
# data: generated once per (rows, windows) with DuckDB, as parquet and CSV files
# --------------------------------------------------------------------------------------------

def generated_sql(first_row: int, last_row: int, rows: int, windows: int, seed: int) -> str:
    """bench/drift_bench.py's 30-day log squeezed into `windows` days, plus a segment column."""
    start_us = f"epoch_us(timestamp '{START}')"
    return f"""
select
    event_id,
    make_timestamp({start_us} + (epoch_us(event_at) - {start_us}) * {windows} // {drift_bench.DAYS}) as event_at,
    * exclude (event_id, event_at),
    's' || cast(event_id % 4 as varchar) as seg
from ({drift_bench.generator_sql(first_row, last_row, rows, seed)})
"""


def generate(rows: int, windows: int, seed: int) -> dict[str, Path]:
    """Files holding the `windows`-day base log and the appended day, generated once."""
    directory = WORK / "data" / f"rows_{rows}_windows_{windows}"
    files = {f"{part}.{fmt}": directory / f"{part}.{fmt}" for part in ("base", "day") for fmt in ("parquet", "csv")}
    if all(path.exists() for path in files.values()):
        return files
    directory.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        parts = {"base": generated_sql(0, rows, rows, windows, seed),
                 "day": generated_sql(rows, rows + rows // windows, rows, windows, seed)}
        for part, sql in parts.items():
            con.execute(f"create or replace table {part} as {sql}")
            con.execute(f"copy {part} to '{files[part + '.parquet']}' (format parquet)")
            con.execute(f"copy {part} to '{files[part + '.csv']}' (format csv, header false)")
    finally:
        con.close()
    return files


def declaration(config: dict[str, int]) -> dict[str, Any]:
    out = drift_bench.declaration(FEATURE_ORDER[: config["features"]], reference_days=max(1, config["windows"] // 2))
    if config["segments"]:
        out["segments"] = ["seg"]
    return out


def write_project(directory: Path, output: dict[str, Any], raw_schema: str, config: dict[str, int]) -> DbtProject:
    """A dbt project installing driftline from this checkout, its monitor on `<raw_schema>.bench_log`."""
    (directory / "models").mkdir(parents=True, exist_ok=True)
    dump = lambda path, data: path.write_text(yaml.safe_dump(data, sort_keys=False))  # noqa: E731
    dump(directory / "dbt_project.yml", {
        "name": "driftline_engines_bench", "version": "1.0.0", "config-version": 2,
        "profile": "driftline_engines_bench", "model-paths": ["models"],
    })
    dump(directory / "profiles.yml", {"driftline_engines_bench": {"target": "bench", "outputs": {"bench": output}}})
    dump(directory / "packages.yml", {"packages": [{"local": str(REPO)}]})
    dump(directory / "models" / "sources.yml", {"version": 2, "sources": [{
        "name": "raw", "schema": raw_schema,
        "tables": [{"name": "bench_log", "config": {"meta": {"driftline": declaration(config)}}}],
    }]})
    project = DbtProject(directory)
    if not (directory / "dbt_packages").exists():
        project.deps()
    return project


# --------------------------------------------------------------------------------------------
# engines: each loads the generated files, resets the source table and runs dbt
# --------------------------------------------------------------------------------------------

class DuckDBEngine:
    name = "duckdb"

    def __init__(self, scratch: Path, threads: int):
        self.directory = scratch / "duckdb"
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True)
        self.database = self.directory / "warehouse.duckdb"
        self.output = {"type": "duckdb", "path": str(self.database), "threads": 1,
                       "settings": {"threads": threads, "memory_limit": "1500MB", "preserve_insertion_order": False}}
        self.loaded: set[str] = set()

    def _sql(self, *statements: str) -> None:
        con = duckdb.connect(str(self.database))
        try:
            for statement in statements:
                con.execute(statement)
        finally:
            con.close()

    def load(self, name: str, files: dict[str, Path]) -> None:
        if name not in self.loaded:
            self._sql("create schema if not exists raw",
                      f"create or replace table raw.{name}_base as select * from read_parquet('{files['base.parquet']}')",
                      f"create or replace table raw.{name}_day as select * from read_parquet('{files['day.parquet']}')")
            self.loaded.add(name)

    def reset(self, name: str) -> None:
        self._sql(f"create or replace table raw.bench_log as select * from raw.{name}_base")

    def append_day(self, name: str) -> None:
        self._sql(f"insert into raw.bench_log select * from raw.{name}_day")

    def project(self, config: dict[str, int]) -> DbtProject:
        return write_project(self.directory / "project", self.output, "raw", config)

    def server_cpu(self) -> float:
        return 0.0  # DuckDB runs inside this process

    def stop(self) -> None:
        pass


class PostgresEngine:
    name = "postgres"

    def __init__(self, scratch: Path):
        bin_dir = engines._postgres_bin_dir()
        if bin_dir is None:
            raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl)")
        self.server = engines.LocalPostgres(bin_dir)
        self.params = self.server.start()
        self.output = {"type": "postgres", "host": self.params["host"], "port": int(self.params["port"]),
                       "user": self.params["user"], "password": self.params["password"],
                       "dbname": self.params["dbname"], "schema": "bench", "threads": 1}
        self.directory = scratch / "postgres"
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True)
        self.loaded: set[str] = set()
        self._sql('create schema if not exists "raw"')

    def _sql(self, *statements: str) -> None:
        connection = engines._pg_connect(self.params)
        try:
            with connection, connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            connection.close()

    def load(self, name: str, files: dict[str, Path]) -> None:
        if name in self.loaded:
            return
        schema = duckdb.sql(f"describe select * from read_parquet('{files['base.parquet']}')").fetchall()
        kinds = {"BIGINT": "bigint", "INTEGER": "bigint", "DOUBLE": "double precision", "TIMESTAMP": "timestamp"}
        columns = ", ".join(f'"{row[0]}" {kinds.get(row[1], "text")}' for row in schema)
        connection = engines._pg_connect(self.params)
        try:
            with connection, connection.cursor() as cursor:
                for part in ("base", "day"):
                    table = f'"raw"."{name}_{part}"'
                    cursor.execute(f"drop table if exists {table}")
                    cursor.execute(f"create table {table} ({columns})")
                    with open(files[f"{part}.csv"]) as data:
                        cursor.copy_expert(f"copy {table} from stdin with (format csv)", data)
                    cursor.execute(f"analyze {table}")
        finally:
            connection.close()
        self.loaded.add(name)

    def reset(self, name: str) -> None:
        self._sql('drop table if exists "raw"."bench_log" cascade',
                  f'create table "raw"."bench_log" as select * from "raw"."{name}_base"',
                  'analyze "raw"."bench_log"')

    def append_day(self, name: str) -> None:
        self._sql(f'insert into "raw"."bench_log" select * from "raw"."{name}_day"', 'analyze "raw"."bench_log"')

    def project(self, config: dict[str, int]) -> DbtProject:
        return write_project(self.directory / "project", self.output, "raw", config)

    def server_cpu(self) -> float:
        """The postmaster, its reaped backends and the live ones."""
        postmaster = int((self.server.root / "data" / "postmaster.pid").read_text().split()[0])
        return _proc_cpu(postmaster, children=True) + _children_cpu(postmaster)

    def stop(self) -> None:
        self.server.stop()


class SparkEngine:
    name = "spark"

    def __init__(self, scratch: Path, memory: str):
        reason = engines.spark_unavailable_reason()
        if reason:
            raise RuntimeError(reason)
        self.directory = scratch / "spark"
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True)
        self.session, conf = engines.start_spark_session(self.directory, memory=memory)
        self.output = {"type": "spark", "method": "session", "host": "NA", "schema": "bench", "threads": 1,
                       "server_side_parameters": conf}
        self.loaded: set[str] = set()
        self.session.sql("create database if not exists `raw`")

    def load(self, name: str, files: dict[str, Path]) -> None:
        if name in self.loaded:
            return
        for part in ("base", "day"):
            frame = self.session.read.parquet(str(files[f"{part}.parquet"]))
            # wall-clock timestamps, as DuckDB and PostgreSQL hold them (the session's time zone is UTC)
            frame = frame.withColumn("event_at", frame["event_at"].cast("timestamp_ntz"))
            frame.write.mode("overwrite").format("parquet").saveAsTable(f"`raw`.`{name}_{part}`")
        self.loaded.add(name)

    def reset(self, name: str) -> None:
        self.session.sql("drop table if exists `raw`.`bench_log`")
        self.session.sql(f"create table `raw`.`bench_log` using parquet as select * from `raw`.`{name}_base`")

    def append_day(self, name: str) -> None:
        self.session.sql(f"insert into `raw`.`bench_log` select * from `raw`.`{name}_day`")

    def project(self, config: dict[str, int]) -> DbtProject:
        return write_project(self.directory / "project", self.output, "raw", config)

    def server_cpu(self) -> float:
        """The JVM pyspark started (Spark runs there; dbt-spark's session mode drives it from this process)."""
        process = getattr(self.session.sparkContext._gateway, "proc", None)
        return _proc_cpu(process.pid) if process is not None else 0.0

    def stop(self) -> None:
        self.session.stop()


# --------------------------------------------------------------------------------------------
# measuring
# --------------------------------------------------------------------------------------------

def _proc_cpu(pid: int, children: bool = False) -> float:
    """CPU seconds of a process (user + system; with `children`, also of its reaped children)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def _children_cpu(parent: int) -> float:
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                    total += _proc_cpu(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return total


def cpu_seconds(engine) -> float:
    """CPU used so far by this process and the engine's server: robust to other work on the machine, unlike wall time."""
    usage = os.times()
    return usage.user + usage.system + engine.server_cpu()


def timed_build(engine, project: DbtProject, *extra: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `dbt build`."""
    cpu, started = cpu_seconds(engine), time.perf_counter()
    project.build("--select", *SELECTION, "--exclude-resource-type", "test", *extra)
    return time.perf_counter() - started, cpu_seconds(engine) - cpu


def run_engine(engine, configs: list[dict[str, int]], seed: int, results: list[dict[str, Any]], save) -> list[dict[str, Any]]:
    """Measure each configuration; `save()` after each one, so a run cut short keeps its figures."""
    for position, config in enumerate(configs):
        files = generate(config["rows"], config["windows"], seed)
        name = f"r{config['rows']}_w{config['windows']}"
        engine.load(name, files)
        engine.reset(name)
        project = engine.project(config)
        if position == 0:
            # untimed: the first build in this process pays imports and adapter start-up (about 5 s on DuckDB)
            project.build("--select", *SELECTION, "--exclude-resource-type", "test", "--full-refresh")
        load = os.getloadavg()[0]
        full, full_cpu = timed_build(engine, project, "--full-refresh")
        engine.append_day(name)
        incremental, incremental_cpu = timed_build(engine, project)
        result = dict(config, engine=engine.name, full_s=full, incremental_s=incremental, full_cpu_s=full_cpu,
                      incremental_cpu_s=incremental_cpu, load_1min=load)
        print(f"{engine.name:8} rows {config['rows']:>9,} features {config['features']:>2} windows {config['windows']:>2} "
              f"segments {config['segments']}: full {full:6.1f} s ({full_cpu:6.1f} s CPU), incremental {incremental:6.1f} s "
              f"({incremental_cpu:6.1f} s CPU) (load average {load:.1f})", flush=True)
        results.append(result)
        save()
    return results


def table(results: list[dict[str, Any]]) -> str:
    duck = {key(r): r for r in results if r["engine"] == "duckdb"}
    lines = ["| engine | rows | features | windows | segments | full: wall s | CPU s | CPU x DuckDB "
             "| incremental: wall s | CPU s | CPU x DuckDB | incr / full (CPU) | load |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        base = duck.get(key(r))
        ratio = lambda column: f"{r[column] / base[column]:.1f}" if base else "-"  # noqa: E731
        lines.append(f"| {r['engine']} | {r['rows']:,} | {r['features']} | {r['windows']} | {r['segments']} | "
                     f"{r['full_s']:.0f} | {r['full_cpu_s']:.0f} | {ratio('full_cpu_s')} | "
                     f"{r['incremental_s']:.0f} | {r['incremental_cpu_s']:.0f} | {ratio('incremental_cpu_s')} | "
                     f"{r['incremental_cpu_s'] / r['full_cpu_s']:.0%} | {r['load_1min']:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engines", nargs="+", default=["duckdb", "postgres", "spark"], choices=["duckdb", "postgres", "spark"])
    parser.add_argument("--quick", action="store_true", help="one 10k-row configuration per engine")
    parser.add_argument("--rows", nargs="+", type=int, help="the row series on DuckDB and PostgreSQL (default 100k 300k 1M)")
    parser.add_argument("--spark-rows", nargs="+", type=int, help="the row series on Spark (default 20k 1M)")
    parser.add_argument("--duckdb-threads", type=int, default=2)
    parser.add_argument("--spark-memory", default="2g")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--results", type=Path, default=WORK / "results.json", help="where the figures are written")
    parser.add_argument("--table", type=Path, nargs="+", metavar="RESULTS",
                        help="print one table from results files of earlier runs (e.g. engines run in parallel) and exit")
    args = parser.parse_args(argv)

    if args.table:
        loaded = [json.loads(path.read_text()) for path in args.table]
        print("\n".join(f"{d['header']}" for d in loaded) + "\n\n" + table([r for d in loaded for r in d["results"]]))
        return
    WORK.mkdir(parents=True, exist_ok=True)
    configs = plan(args.quick, args.rows, args.spark_rows)
    # DuckDB runs the configurations of the other selected engines (the ratios' denominators)
    if "duckdb" in args.engines:
        others = [c for e in args.engines if e != "duckdb" for c in configs[e]] or configs["duckdb"]
        seen: list[tuple[int, int, int, int]] = []
        for c in others:
            if key(c) not in seen:
                seen.append(key(c))
        configs["duckdb"] = [dict(zip(("rows", "features", "windows", "segments"), k)) for k in seen]
    started = time.perf_counter()
    results: list[dict[str, Any]] = []

    def header() -> str:
        return (f"{'+'.join(args.engines)}: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                f"duckdb {duckdb.__version__}; dbt threads 1; {(time.perf_counter() - started) / 60:.1f} min")

    def save() -> None:
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps({"header": header(), "results": results}, indent=2))

    for name in ["duckdb", "postgres", "spark"]:
        if name not in args.engines:
            continue
        scratch = WORK / args.results.stem  # one per results file: parallel runs do not share warehouses
        engine = {"duckdb": lambda: DuckDBEngine(scratch, args.duckdb_threads), "postgres": lambda: PostgresEngine(scratch),
                  "spark": lambda: SparkEngine(scratch, args.spark_memory)}[name]()
        try:
            run_engine(engine, configs[name], args.seed, results, save)
        finally:
            engine.stop()
    save()
    print(f"\n{header()}\n\n{table(results)}")


if __name__ == "__main__":
    main()
