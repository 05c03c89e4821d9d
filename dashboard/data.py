"""Read-only access to the published warehouse.

Every query opens its own read-only DuckDB connection and closes it. A build never writes
the published file: it replaces it with one rename when a new version is ready
(dagster_project/lib/warehouse/publish.py). A fresh connection per query therefore always
reads one whole version, and the next query after a publish reads the new one. Results are
cached per file version (inode and modification time), so a publish invalidates the cache.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import streamlit as st

from dagster_project.lib.paths import default_warehouse

WAREHOUSE_ENV_HINT = "Build it with `make build`, or point BUDGETWH_WAREHOUSE at a warehouse file."


@dataclass(frozen=True)
class FileVersion:
    path: str
    inode: int
    modified_ns: int


def warehouse_path() -> Path:
    return default_warehouse()


def current_version() -> FileVersion | None:
    path = warehouse_path()
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return FileVersion(str(path), stat.st_ino, stat.st_mtime_ns)


def read(sql: str, params: list | None = None, version: FileVersion | None = None) -> pd.DataFrame:
    """Run one query on a read-only connection. DuckDB refuses any write on it."""
    version = version or current_version()
    if version is None:
        raise FileNotFoundError(f"No warehouse at {warehouse_path()}. {WAREHOUSE_ENV_HINT}")
    return _cached_read(sql, tuple(params or ()), version)


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_read(sql: str, params: tuple, version: FileVersion) -> pd.DataFrame:
    # Through Arrow: DECIMAL columns arrive as exact Decimal values (DuckDB's .df() gives floats).
    return _arrow(sql, params, version).to_pandas()


def read_arrow(sql: str, params: list | None = None) -> pa.Table:
    version = current_version()
    if version is None:
        raise FileNotFoundError(f"No warehouse at {warehouse_path()}. {WAREHOUSE_ENV_HINT}")
    return _arrow(sql, tuple(params or ()), version)


def _arrow(sql: str, params: tuple, version: FileVersion) -> pa.Table:
    con = duckdb.connect(version.path, read_only=True)
    try:
        return con.execute(sql, list(params)).to_arrow_table()
    finally:
        con.close()


def mart_names(version: FileVersion | None = None) -> list[str]:
    frame = read(
        "select table_name from information_schema.tables where table_schema = 'marts' order by table_name",
        version=version,
    )
    return frame["table_name"].tolist()


def column_labels(version: FileVersion | None = None) -> dict[str, dict[str, str]]:
    """mart → column → its Chinese label. The build writes each mart column's label (meta.label_zh
    of the dbt documentation, dbt/macros/labels.sql) as the column's comment: the one
    dictionary every table header, chart axis and download of the dashboard reads."""
    frame = read(
        "select table_name, column_name, comment from duckdb_columns() "
        "where schema_name = 'marts' and comment is not null",
        version=version,
    )
    labels: dict[str, dict[str, str]] = {}
    for mart, column, label in frame.itertuples(index=False):
        labels.setdefault(mart, {})[column] = label
    return labels


def mart_titles(version: FileVersion | None = None) -> dict[str, str]:
    """mart → its Chinese title (the table comment written from the mart's meta.label_zh)."""
    frame = read(
        "select table_name, comment from duckdb_tables() where schema_name = 'marts' and comment is not null",
        version=version,
    )
    return dict(frame.itertuples(index=False))
