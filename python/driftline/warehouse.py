"""A connection to the warehouse dbt builds into, from the same profile dbt uses.

Statements use `?` placeholders and bound parameters on every engine (rewritten to the
driver's style). DuckDB allows one writing process per file, so connecting retries while
another process (a dbt build, a second runner) holds the file.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

import pandas as pd

from .config import Relation

# dbt adapter type -> sqlglot dialect
DIALECTS = {"duckdb": "duckdb", "postgres": "postgres", "spark": "spark", "databricks": "databricks",
            "snowflake": "snowflake", "bigquery": "bigquery", "trino": "trino", "redshift": "redshift"}


class WarehouseError(RuntimeError):
    pass


def _connect_duckdb(path: str, wait_seconds: float) -> Any:
    import duckdb

    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            return duckdb.connect(path)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() > deadline:
                raise WarehouseError(f"cannot open {path}: {error}") from error
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


@dataclass
class Warehouse:
    """Bound-parameter queries against the profile's target. DuckDB is the embedded default."""

    kind: str
    connection: Any
    dialect: str

    @classmethod
    def from_profile(cls, profile: dict[str, Any], project_dir: Path | None = None,
                     wait_seconds: float = 120.0) -> "Warehouse":
        kind = profile.get("type")
        if kind == "duckdb":
            path = str(profile.get("path", ":memory:"))
            if path != ":memory:" and not Path(path).is_absolute() and project_dir is not None:
                path = str(Path(project_dir) / path)
            return cls("duckdb", _connect_duckdb(path, wait_seconds), "duckdb")
        if kind == "postgres":
            import psycopg2

            connection = psycopg2.connect(
                host=profile.get("host"), port=profile.get("port", 5432), user=profile.get("user"),
                password=profile.get("password") or profile.get("pass") or "",
                dbname=profile.get("dbname") or profile.get("database"),
            )
            connection.autocommit = True
            return cls("postgres", connection, "postgres")
        raise WarehouseError(f"driftline: the runner does not support warehouse type '{kind}' yet "
                             "(supported: duckdb, postgres)")

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.kind == "postgres" else sql

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        if self.kind == "duckdb":
            return self.connection.execute(sql, list(params or [])).df()
        with self.connection.cursor() as cursor:
            cursor.execute(self._sql(sql), list(params or []))
            columns = [c.name for c in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=columns)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        if self.kind == "duckdb":
            self.connection.execute(sql, list(params or []))
            return
        with self.connection.cursor() as cursor:
            cursor.execute(self._sql(sql), list(params or []))

    @contextmanager
    def transaction(self) -> Iterator["Warehouse"]:
        """All or nothing: a failure (or a killed process) leaves no partial write."""
        if self.kind == "duckdb":
            self.connection.execute("begin transaction")
            try:
                yield self
            except BaseException:
                self.connection.execute("rollback")
                raise
            self.connection.execute("commit")
            return
        self.connection.autocommit = False
        try:
            yield self
        except BaseException:
            self.connection.rollback()
            raise
        else:
            self.connection.commit()
        finally:
            self.connection.autocommit = True

    def columns_of(self, relation: Relation) -> dict[str, str] | None:
        """{column: data type} in table order, or None when the relation does not exist."""
        sql = (
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ?"
            + (" and table_catalog = ?" if relation.database else "")
            + " order by ordinal_position"
        )
        params = [relation.schema, relation.identifier] + ([relation.database] if relation.database else [])
        rows = self.query(sql, params)
        if rows.empty:
            return None
        return dict(zip(rows["column_name"], rows["data_type"]))

    def close(self) -> None:
        self.connection.close()


@contextmanager
def connected(profile: dict[str, Any], project_dir: Path | None = None) -> Iterator[Warehouse]:
    """A short-lived connection: the runner never holds the warehouse while it trains."""
    warehouse = Warehouse.from_profile(profile, project_dir)
    try:
        yield warehouse
    finally:
        warehouse.close()
