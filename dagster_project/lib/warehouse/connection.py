"""Every DuckDB connection a build opens on its warehouse, held to a memory limit (dbt's
profile reads the same variable, with the same default).

DuckDB takes up to 80% of the machine's memory by default and keeps what it read as long as
it may: at 10,000 disclosures the dbt process grew to 5 GB, and the publish step's Parquet
exports to 1.9 GB. Beyond the limit DuckDB spills to a temporary folder beside the database
file, so a large county is slower, not failing; every model must therefore be one DuckDB can
spill (an ordered string_agg over a large table is not: int_findings__subject_tables names a
row's parts with one max() per column instead).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

MEMORY_LIMIT_ENV = "BUDGETWH_DUCKDB_MEMORY_LIMIT"
# 600 MB: a 10,000-disclosure county builds within it (dbt one model at a time then,
# defs/transform/assets.py), and the build's processes together stay below 1.5 GB (1,326 MiB).
DEFAULT_MEMORY_LIMIT = "600MB"


def connect(database: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to a warehouse file, within the memory limit."""
    memory_limit = os.environ.get(MEMORY_LIMIT_ENV, DEFAULT_MEMORY_LIMIT)
    return duckdb.connect(str(database), read_only=read_only, config={"memory_limit": memory_limit})
