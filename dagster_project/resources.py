"""The DuckDB warehouse as a Dagster resource.

DuckDB allows one read-write process and then no readers at all, so every connection is
opened for one step and closed before the next (dbt runs as a subprocess and must find
the file free). Paths default to BUDGETWH_WAREHOUSE / BUDGETWH_RAW, read when a run
starts, not at import.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from .lib.paths import default_raw_dir, default_warehouse
from .lib.warehouse.loader import ensure_raw_schema


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse file and the raw/ folder it is built from."""

    database: str | None = None
    raw_dir: str | None = None

    def database_path(self) -> Path:
        return Path(self.database).resolve() if self.database else default_warehouse()

    def raw_path(self) -> Path:
        return Path(self.raw_dir).resolve() if self.raw_dir else default_raw_dir()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        path = self.database_path()
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), read_only=read_only)
        try:
            yield con
        finally:
            con.close()

    def ensure_raw_schema(self) -> None:
        with self.connect() as con:
            ensure_raw_schema(con)
