"""A connection to the warehouse dbt builds into, from the same profile dbt uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from .config import Relation


class WarehouseError(RuntimeError):
    pass


@dataclass
class Warehouse:
    """Bound-parameter queries against the profile's target. DuckDB is the embedded default."""

    kind: str
    connection: Any
    dialect: str

    @classmethod
    def from_profile(cls, profile: dict[str, Any], project_dir: Path | None = None) -> "Warehouse":
        kind = profile.get("type")
        if kind == "duckdb":
            import duckdb

            path = profile.get("path", ":memory:")
            if path != ":memory:" and not Path(path).is_absolute() and project_dir is not None:
                path = str(Path(project_dir) / path)
            return cls("duckdb", duckdb.connect(path), "duckdb")
        raise WarehouseError(f"driftline: warehouse type '{kind}' is not supported by the runner yet")

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        return self.connection.execute(sql, list(params or [])).df()

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self.connection.execute(sql, list(params or []))

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
