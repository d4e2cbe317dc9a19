"""Scale-out: the same dbt package, unchanged, on PostgreSQL (and Apache Spark, marker `spark`).

The DuckDB fixtures' generated data (drift_data's events, perf_data's binary, multiclass and
regression logs) is loaded into each engine and built with the same project; the engine's
`driftline_feature_drift`, `driftline_data_quality` and `driftline_performance` must hold
DuckDB's rows: the same keys, statuses and strings, and values within floating-point noise.

PostgreSQL comes from DRIFTLINE_PG_HOST/PORT/USER/PASSWORD/DBNAME (`.ci/run` starts a
throwaway cluster and sets them); without them the tests start their own cluster when the
server binaries are installed, and skip otherwise. DRIFTLINE_REQUIRE_ENGINES=1 turns every
such skip into a failure (CI).
"""

from __future__ import annotations

import atexit
import csv
import glob
import io
import math
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import write_test_project
from drift_data import drift_declaration
from driftline.demo import PROJECT_NAME
from driftline.project import DbtProject
from driftline.tables import relation_name
from perf_data import declarations as perf_declarations

REQUIRE_ENGINES = os.environ.get("DRIFTLINE_REQUIRE_ENGINES") == "1"
RTOL, ATOL = 1e-9, 1e-12

# What the engine builds: the compared tables and everything upstream of them (models and their
# data tests).
SELECTION = ["+driftline_feature_drift", "+driftline_data_quality", "+driftline_performance",
             "+driftline_alerts", "+driftline_retrain_signals"]

# Keys of the compared tables (every other column is compared as a value; an alert's id, a hash
# of its key, is a value too, so an engine hashing differently shows as a difference).
TABLE_KEYS = {
    "driftline_feature_drift": ["monitor_name", "window_start", "segment_name", "segment_value", "feature_name", "statistic"],
    "driftline_data_quality": ["monitor_name", "window_start", "segment_name", "segment_value", "feature_name", "check_name"],
    "driftline_performance": ["monitor_name", "model_version", "window_start", "segment_name", "segment_value", "id_set", "metric"],
    "driftline_alerts": ["kind", "monitor_name", "window_start", "segment_name", "segment_value", "feature_name", "statistic"],
    "driftline_retrain_signals": ["monitor_name"],
}
# Columns holding the time of the build, not a result: left out of every comparison.
BUILD_TIME_COLUMNS = {"first_detected_at", "last_evaluated_at"}
ALL_TABLES = list(TABLE_KEYS)
ALL_TABLES_BUT_PERFORMANCE = [t for t in ALL_TABLES if t != "driftline_performance"]  # the drift data has no labels


def unavailable(reason: str) -> None:
    """Skip locally; fail where the engines are required (CI)."""
    if REQUIRE_ENGINES:
        pytest.fail(f"{reason} (DRIFTLINE_REQUIRE_ENGINES=1)", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------------------
# Comparing an engine's table with DuckDB's
# --------------------------------------------------------------------------------------

def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _as_float(value: Any) -> float:
    return float("nan") if _is_missing(value) else float(value)


def _key_text(value: Any) -> str:
    if _is_missing(value):
        return "<null>"
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "isoformat"):
        return pd.Timestamp(value).isoformat()
    return str(value)


def _value_kind(series: pd.Series) -> str:
    values = [v for v in series if not _is_missing(v)]
    if pd.api.types.is_bool_dtype(series) or (values and all(isinstance(v, (bool, np.bool_)) for v in values)):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(series) or (values and all(hasattr(v, "isoformat") for v in values)):
        return "timestamp"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    return "text"


def table_differences(expected: pd.DataFrame, actual: pd.DataFrame, keys: list[str]) -> list[str]:
    """Every difference between two long tables joined on `keys`: missing rows, differing values."""
    problems = []
    expected, actual = expected.copy(), actual.copy()
    actual.columns = [c.lower() for c in actual.columns]
    expected = expected.drop(columns=[c for c in expected.columns if c in BUILD_TIME_COLUMNS])
    actual = actual.drop(columns=[c for c in actual.columns if c in BUILD_TIME_COLUMNS])
    if sorted(expected.columns) != sorted(actual.columns):
        problems.append(f"columns differ: duckdb {sorted(expected.columns)}, engine {sorted(actual.columns)}")
        return problems
    for frame in (expected, actual):
        for key in keys:
            frame[key] = [_key_text(v) for v in frame[key]]
    for side, frame in (("duckdb", expected), ("engine", actual)):
        duplicated = frame[frame.duplicated(keys, keep=False)]
        if len(duplicated):
            problems.append(f"{side}: {len(duplicated)} rows share a key, e.g. {duplicated.iloc[0][keys].to_dict()}")
    if problems:
        return problems
    merged = expected.merge(actual, on=keys, how="outer", suffixes=("@duckdb", "@engine"), indicator=True)
    for side, flag in (("only in duckdb", "left_only"), ("only in the engine", "right_only")):
        rows = merged[merged["_merge"] == flag]
        if len(rows):
            problems.append(f"{len(rows)} rows {side}, e.g. {rows.iloc[0][keys].to_dict()}")
    merged = merged[merged["_merge"] == "both"]
    for column in [c for c in expected.columns if c not in keys]:
        left, right = merged[f"{column}@duckdb"], merged[f"{column}@engine"]
        kind = _value_kind(expected[column])
        if kind == "number":
            x = np.array([_as_float(v) for v in left])
            y = np.array([_as_float(v) for v in right])
            same = np.isclose(x, y, rtol=RTOL, atol=ATOL, equal_nan=True) | (x == y)
        elif kind == "bool":
            same = np.array([(_is_missing(a) and _is_missing(b)) or (not _is_missing(a) and not _is_missing(b) and bool(a) == bool(b))
                             for a, b in zip(left, right)])
        elif kind == "timestamp":
            same = np.array([_key_text(a) == _key_text(b) for a, b in zip(left, right)])
        else:
            same = np.array([_key_text(a) == _key_text(b) for a, b in zip(left, right)])
        if not same.all():
            bad = merged[~same]
            first = bad.iloc[0]
            problems.append(
                f"{column}: {len(bad)} of {len(merged)} rows differ, e.g. {first[keys].to_dict()}: "
                f"duckdb {first[f'{column}@duckdb']!r}, engine {first[f'{column}@engine']!r}"
            )
    return problems


def assert_same_tables(duckdb_project: DbtProject, read_engine: Callable[[str], pd.DataFrame], tables: list[str]) -> None:
    manifest = duckdb_project.manifest()
    con = duckdb.connect(str(duckdb_project.project_dir / "warehouse.duckdb"))
    try:
        expected = {t: con.execute(f"select * from {relation_name(manifest, t)}").df() for t in tables}
    finally:
        con.close()
    problems = []
    for table in tables:
        assert len(expected[table]) > 0, table
        for problem in table_differences(expected[table], read_engine(table), TABLE_KEYS[table]):
            problems.append(f"{table}: {problem}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------------------
# Raw data: the frames the DuckDB fixtures load, with DuckDB's reading of their timestamps
# --------------------------------------------------------------------------------------

def duckdb_timestamps(series: pd.Series) -> pd.Series:
    """A datetime column as DuckDB stores it after `cast(... as timestamp)` (microseconds, rounded)."""
    con = duckdb.connect()
    try:
        con.register("frame", pd.DataFrame({"t": series.to_numpy()}))
        values = con.execute("select cast(t as timestamp) as t from frame").df()["t"]
    finally:
        con.close()
    return pd.Series(values.to_numpy(), index=series.index)


def drift_raw_tables(drift_build) -> dict[str, pd.DataFrame]:
    return {"events": drift_build.frame}


def perf_raw_tables(perf_build) -> dict[str, pd.DataFrame]:
    out = {}
    for name, (log, labels) in perf_build["tables"].items():
        out[f"{name}_log"] = log
        out[f"{name}_labels"] = labels
    return out


def engine_project(directory: Path, declarations: dict[str, Any], output: dict[str, Any], raw_schema: str) -> DbtProject:
    """The DuckDB fixtures' project with its profile pointed at another engine and `raw` read from raw_schema."""
    project = write_test_project(directory, declarations)
    profiles = {PROJECT_NAME: {"target": "dev", "outputs": {"dev": output}}}
    (directory / "profiles.yml").write_text(yaml.safe_dump(profiles, sort_keys=False))
    sources_path = directory / "models" / "sources.yml"
    sources = yaml.safe_load(sources_path.read_text())
    for source in sources["sources"]:
        if source["name"] == "raw":
            source["schema"] = raw_schema
    sources_path.write_text(yaml.safe_dump(sources, sort_keys=False))
    return project


# --------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------

PG_ENV = {"host": "DRIFTLINE_PG_HOST", "port": "DRIFTLINE_PG_PORT", "user": "DRIFTLINE_PG_USER",
          "password": "DRIFTLINE_PG_PASSWORD", "dbname": "DRIFTLINE_PG_DBNAME"}


def _postgres_bin_dir() -> Path | None:
    candidates = [os.environ.get("DRIFTLINE_PG_BIN")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    found = shutil.which("initdb")
    candidates.append(str(Path(found).parent) if found else None)
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalPostgres:
    """A throwaway cluster on 127.0.0.1, the way .ci/run starts one (initdb as `postgres` when root)."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="driftline-pg-"))
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            import pwd

            account = pwd.getpwnam("postgres")
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.as_user, *args], capture_output=True, text=True, cwd=self.root)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")

    def start(self) -> dict[str, Any]:
        data = self.root / "data"
        self._run(str(self.bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(data), "-l", str(self.root / "server.log"), "-w", "-t", "60",
                  "-o", f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                  "start")
        return {"host": "127.0.0.1", "port": self.port, "user": "postgres", "password": "", "dbname": "postgres"}

    def stop(self) -> None:
        if not self.root.exists():
            return
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        except RuntimeError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    """Connection parameters of a PostgreSQL server: the environment's, or a throwaway local cluster."""
    try:
        import psycopg2  # noqa: F401 - comes with dbt-postgres
        import dbt.adapters.postgres  # noqa: F401
    except ImportError as error:
        unavailable(f"dbt-postgres is not installed ({error}); pip install '.[test]'")
    if os.environ.get(PG_ENV["host"]):
        params = {key: os.environ.get(name, "") for key, name in PG_ENV.items()}
        params["port"] = int(params["port"] or 5432)
        params["user"] = params["user"] or "postgres"
        params["dbname"] = params["dbname"] or "postgres"
        yield params
        return
    bin_dir = _postgres_bin_dir()
    if bin_dir is None:
        unavailable("no PostgreSQL server: set DRIFTLINE_PG_HOST/PORT/USER/PASSWORD/DBNAME or install postgresql")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        unavailable("running as root without runuser: cannot start a local PostgreSQL cluster")
    server = LocalPostgres(bin_dir)
    atexit.register(server.stop)  # also on an interrupted session; a killed one leaves the cluster running
    try:
        params = server.start()
    except (RuntimeError, KeyError, OSError) as error:
        server.stop()
        unavailable(f"could not start a local PostgreSQL cluster: {error}")
    try:
        yield params
    finally:
        server.stop()


def _pg_connect(params: dict[str, Any]):
    import psycopg2

    return psycopg2.connect(host=params["host"], port=params["port"], user=params["user"],
                            password=params["password"], dbname=params["dbname"])


def _pg_type(series: pd.Series) -> str:
    if pd.api.types.is_datetime64_any_dtype(series):
        return "timestamp"
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "bigint"
    if pd.api.types.is_float_dtype(series):
        return "double precision"
    return "text"


def _pg_text(value: Any, kind: str) -> str:
    """A value in COPY's CSV form; NaN and +/-inf stay NaN and Infinity in double precision columns."""
    if kind == "double precision":
        if value is None or value is pd.NA:
            return r"\N"
        value = float(value)
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if _is_missing(value):
        return r"\N"
    if kind == "timestamp":
        return pd.Timestamp(value).isoformat(sep=" ")
    if kind == "bigint":
        return str(int(value))
    return str(value)


def load_postgres(params: dict[str, Any], schema: str, tables: dict[str, pd.DataFrame]) -> None:
    """Create `schema` afresh and COPY each frame into a table of that name."""
    connection = _pg_connect(params)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(f'drop schema if exists "{schema}" cascade')
            cursor.execute(f'create schema "{schema}"')
            for name, frame in tables.items():
                kinds = {column: _pg_type(frame[column]) for column in frame.columns}
                columns = ", ".join(f'"{column}" {kind}' for column, kind in kinds.items())
                cursor.execute(f'create table "{schema}"."{name}" ({columns})')
                data = {c: (duckdb_timestamps(frame[c]) if kinds[c] == "timestamp" else frame[c]) for c in frame.columns}
                buffer = io.StringIO()
                writer = csv.writer(buffer, lineterminator="\n")
                for row in zip(*(data[c] for c in frame.columns)):
                    writer.writerow([_pg_text(value, kinds[c]) for value, c in zip(row, frame.columns)])
                buffer.seek(0)
                cursor.copy_expert(f'copy "{schema}"."{name}" from stdin with (format csv, null \'\\N\')', buffer)
                cursor.execute(f'analyze "{schema}"."{name}"')
    finally:
        connection.close()


def drop_postgres_schemas(params: dict[str, Any], prefix: str) -> None:
    connection = _pg_connect(params)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("select nspname from pg_namespace where nspname like %s", [prefix + "%"])
            for (schema,) in cursor.fetchall():
                cursor.execute(f'drop schema "{schema}" cascade')
    finally:
        connection.close()


def query_postgres(params: dict[str, Any], sql: str) -> pd.DataFrame:
    connection = _pg_connect(params)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            columns = [d.name for d in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=columns)
    finally:
        connection.close()


@dataclass
class EngineBuild:
    project: DbtProject
    read: Callable[[str], pd.DataFrame]
    seconds: float


def postgres_build(directory: Path, params: dict[str, Any], prefix: str, declarations: dict[str, Any],
                   tables: dict[str, pd.DataFrame]) -> EngineBuild:
    """Load `tables` into schema `<prefix>_raw` and build the project into `<prefix>` (models in `<prefix>_driftline`)."""
    drop_postgres_schemas(params, prefix)
    output = {"type": "postgres", "host": params["host"], "port": int(params["port"]), "user": params["user"],
              "password": params["password"], "dbname": params["dbname"], "schema": prefix, "threads": 4}
    project = engine_project(directory, declarations, output, f"{prefix}_raw")
    load_postgres(params, f"{prefix}_raw", tables)
    project.deps()
    started = time.perf_counter()
    project.build("--select", *SELECTION)
    seconds = time.perf_counter() - started
    print(f"\npostgres dbt build ({prefix}): {seconds:.1f} s")

    def read(model: str) -> pd.DataFrame:
        return query_postgres(params, f"select * from {relation_name(project.manifest(), model)}")

    return EngineBuild(project, read, seconds)


@pytest.fixture(scope="session")
def pg_drift_build(tmp_path_factory, postgres_server, drift_build) -> EngineBuild:
    return postgres_build(tmp_path_factory.mktemp("pg_drift_build"), postgres_server, "driftline_test_drift",
                          {"events": drift_declaration()}, drift_raw_tables(drift_build))


@pytest.fixture(scope="session")
def pg_perf_build(tmp_path_factory, postgres_server, perf_build) -> EngineBuild:
    return postgres_build(tmp_path_factory.mktemp("pg_perf_build"), postgres_server, "driftline_test_perf",
                          perf_declarations(), perf_raw_tables(perf_build))


def test_postgres_drift_and_quality_match_duckdb(pg_drift_build, drift_build):
    assert_same_tables(drift_build.project, pg_drift_build.read, ALL_TABLES_BUT_PERFORMANCE)


def test_postgres_performance_match_duckdb(pg_perf_build, perf_build):
    assert_same_tables(perf_build["project"], pg_perf_build.read, ALL_TABLES)


def test_postgres_loads_nan_and_infinity(pg_drift_build, postgres_server):
    """The raw data on Postgres keeps NaN (DuckDB reads pandas' NaN as NULL) and infinities."""
    relation = '"driftline_test_drift_raw"."events"'
    counts = query_postgres(postgres_server, "select count(*) filter (where x_normal = 'NaN') as nan, "
                            f"count(*) filter (where x_normal in ('Infinity', '-Infinity')) as inf from {relation}")
    assert counts.iloc[0].to_dict() == {"nan": 50, "inf": 20}


# --------------------------------------------------------------------------------------
# Apache Spark (dbt-spark session mode: Spark runs inside this process)
# --------------------------------------------------------------------------------------

def start_spark_session(root: Path, memory: str = "2g"):
    """A local Spark session (local[2]) with its own warehouse and Derby metastore under `root`.

    Returns (session, conf); dbt-spark's session mode reuses the session when a profile's
    `server_side_parameters` carry the same conf. Also used by bench/engines_bench.py.
    """
    from pyspark.sql import SparkSession

    conf = {
        "spark.master": "local[2]",
        "spark.sql.warehouse.dir": str(root / "warehouse"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={root / 'metastore_db'};create=true",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": "2",
        "spark.ui.enabled": "false",
        "spark.driver.memory": memory,
        "spark.sql.ansi.enabled": "false",  # dbt-spark sets it too
    }
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in conf.items():
        builder = builder.config(key, value)
    started = time.perf_counter()
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    print(f"\nspark {session.version} session started in {time.perf_counter() - started:.1f} s")
    return session, conf


def spark_unavailable_reason() -> str | None:
    """Why Spark cannot run here (dbt-spark session mode or Java missing), or None."""
    try:
        import pyspark  # noqa: F401
        import dbt.adapters.spark  # noqa: F401
    except ImportError as error:
        return f"dbt-spark in session mode is not installed ({error}); pip install '.[spark]'"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime for Spark (java not on PATH, JAVA_HOME unset)"
    return None


@pytest.fixture(scope="session")
def spark_session(tmp_path_factory):
    """A local Spark session with its own warehouse and Derby metastore; dbt-spark's session mode reuses it."""
    reason = spark_unavailable_reason()
    if reason:
        unavailable(reason)
    session, conf = start_spark_session(tmp_path_factory.mktemp("spark"))
    yield session, conf
    session.stop()


def load_spark(session, schema: str, tables: dict[str, pd.DataFrame]) -> None:
    """Create database `schema` afresh and save each frame as a table; NaN and +/-inf stay doubles."""
    from pyspark.sql import types as T

    session.sql(f"drop database if exists `{schema}` cascade")
    session.sql(f"create database `{schema}`")
    for name, frame in tables.items():
        fields, columns = [], []
        for column in frame.columns:
            kind = _pg_type(frame[column])
            if kind == "timestamp":
                # wall-clock values, as DuckDB and Postgres hold them; the models cast to timestamp
                fields.append(T.StructField(column, T.TimestampNTZType()))
                columns.append([None if _is_missing(v) else pd.Timestamp(v).to_pydatetime() for v in duckdb_timestamps(frame[column])])
            elif kind == "double precision":
                fields.append(T.StructField(column, T.DoubleType()))
                columns.append([None if v is None or v is pd.NA else float(v) for v in frame[column]])
            elif kind == "bigint":
                fields.append(T.StructField(column, T.LongType()))
                columns.append([None if _is_missing(v) else int(v) for v in frame[column]])
            elif kind == "boolean":
                fields.append(T.StructField(column, T.BooleanType()))
                columns.append([None if _is_missing(v) else bool(v) for v in frame[column]])
            else:
                fields.append(T.StructField(column, T.StringType()))
                columns.append([None if _is_missing(v) else str(v) for v in frame[column]])
        rows = list(zip(*columns))
        session.createDataFrame(rows, T.StructType(fields)).write.format("parquet").saveAsTable(f"`{schema}`.`{name}`")


def query_spark(session, sql: str) -> pd.DataFrame:
    """Rows as Python values; timestamps read as wall-clock (timestamp_ntz) in the session's UTC."""
    from pyspark.sql import types as T

    frame = session.sql(sql)
    columns = [
        f"cast(`{field.name}` as timestamp_ntz) as `{field.name}`" if isinstance(field.dataType, T.TimestampType) else f"`{field.name}`"
        for field in frame.schema.fields
    ]
    frame = frame.selectExpr(*columns)
    return pd.DataFrame([tuple(row) for row in frame.collect()], columns=frame.columns)


def spark_build(directory: Path, session_conf, prefix: str, declarations: dict[str, Any],
                tables: dict[str, pd.DataFrame]) -> EngineBuild:
    session, conf = session_conf
    output = {"type": "spark", "method": "session", "host": "NA", "schema": prefix, "threads": 1,
              "server_side_parameters": conf}
    project = engine_project(directory, declarations, output, f"{prefix}_raw")
    for database in (f"{prefix}_driftline", prefix):
        session.sql(f"drop database if exists `{database}` cascade")
    started = time.perf_counter()
    load_spark(session, f"{prefix}_raw", tables)
    print(f"\nspark load ({prefix}): {time.perf_counter() - started:.1f} s")
    project.deps()
    started = time.perf_counter()
    project.build("--select", *SELECTION)
    seconds = time.perf_counter() - started
    print(f"spark dbt build ({prefix}): {seconds:.1f} s")

    def read(model: str) -> pd.DataFrame:
        return query_spark(session, f"select * from {relation_name(project.manifest(), model)}")

    return EngineBuild(project, read, seconds)


@pytest.fixture(scope="session")
def spark_drift_build(tmp_path_factory, spark_session, drift_build) -> EngineBuild:
    return spark_build(tmp_path_factory.mktemp("spark_drift_build"), spark_session, "driftline_test_drift",
                       {"events": drift_declaration()}, drift_raw_tables(drift_build))


@pytest.fixture(scope="session")
def spark_perf_build(tmp_path_factory, spark_session, perf_build) -> EngineBuild:
    return spark_build(tmp_path_factory.mktemp("spark_perf_build"), spark_session, "driftline_test_perf",
                       perf_declarations(), perf_raw_tables(perf_build))


@pytest.mark.spark
def test_spark_drift_and_quality_match_duckdb(spark_drift_build, drift_build):
    assert_same_tables(drift_build.project, spark_drift_build.read, ALL_TABLES_BUT_PERFORMANCE)


@pytest.mark.spark
def test_spark_performance_match_duckdb(spark_perf_build, perf_build):
    assert_same_tables(perf_build["project"], spark_perf_build.read, ALL_TABLES)


@pytest.mark.spark
def test_spark_incremental_runs_equal_a_full_refresh(tmp_path, spark_session):
    """dbt-spark has no delete+insert: driftline's incremental models overwrite the (monitor, window)
    partitions a run emits instead, and must end where a full refresh ends."""
    from perf_data import START, binary_tables

    session, conf = spark_session
    log, labels = binary_tables()
    declaration = perf_declarations()["binary_log"]
    declaration["labels"]["horizon_days"] = 3
    declaration["reference"] = {"method": "first_windows", "windows": 3}  # fixed by the first run
    declarations = {"binary_log": declaration, "binary_labels": None}
    cut = pd.Timestamp(START) + pd.Timedelta(days=7)

    def project(name: str) -> DbtProject:
        (tmp_path / name).mkdir()
        output = {"type": "spark", "method": "session", "host": "NA", "schema": name, "threads": 1,
                  "server_side_parameters": conf}
        built = engine_project(tmp_path / name, declarations, output, f"{name}_raw")
        built.deps()
        for database in (f"{name}_driftline", name):
            session.sql(f"drop database if exists `{database}` cascade")
        return built

    incremental = project("driftline_test_inc")
    load_spark(session, "driftline_test_inc_raw", {"binary_log": log[log.ts < cut], "binary_labels": labels[labels.observed_at < cut]})
    incremental.build("--select", *SELECTION)
    load_spark(session, "driftline_test_inc_raw", {"binary_log": log, "binary_labels": labels})
    incremental.build("--select", *SELECTION)
    compiled = incremental.project_dir / "target" / "compiled" / "driftline" / "models"
    assert "as timestamp) >=" in (compiled / "marts" / "drift" / "driftline_window_profiles.sql").read_text()
    assert "labelled.event_at >=" in (compiled / "marts" / "performance" / "driftline_performance.sql").read_text()

    full = project("driftline_test_full")
    load_spark(session, "driftline_test_full_raw", {"binary_log": log, "binary_labels": labels})
    full.build("--select", *SELECTION, "--full-refresh")

    keys = {
        "driftline_window_profiles": ["monitor_name", "window_start", "segment_name", "segment_value", "feature_name", "bin_index", "category"],
        "driftline_performance": TABLE_KEYS["driftline_performance"],
        "driftline_feature_drift": TABLE_KEYS["driftline_feature_drift"],
    }
    problems = []
    for model, model_keys in keys.items():
        tables = [query_spark(session, f"select * from {relation_name(p.manifest(), model)}") for p in (full, incremental)]
        tables = [t.drop(columns=["as_of"], errors="ignore") for t in tables]
        assert len(tables[0]) > 0, model
        problems += [f"{model}: {problem}" for problem in table_differences(tables[0], tables[1], model_keys)]
    # alerts keep their history: the incremental table's open alerts are the full refresh's alerts
    # (all open), and what the first run raised and the second no longer sees is kept as resolved
    alerts = [query_spark(session, f"select * from {relation_name(p.manifest(), 'driftline_alerts')}") for p in (full, incremental)]
    assert len(alerts[0]) > 0 and set(alerts[0]["status"]) == {"open"}
    problems += [f"driftline_alerts: {problem}" for problem in
                 table_differences(alerts[0], alerts[1][alerts[1]["status"] == "open"], TABLE_KEYS["driftline_alerts"])]
    assert not problems, "\n".join(problems)
