"""A build's DuckDB connections, and dbt's, are held to a memory limit, beyond which DuckDB
spills to disk instead of taking most of the machine (lib/warehouse/connection.py)."""

from pathlib import Path

import yaml

from dagster_project.lib.paths import DBT_PROJECT_DIR
from dagster_project.lib.warehouse.connection import DEFAULT_MEMORY_LIMIT, MEMORY_LIMIT_ENV, connect


def _limit_in_bytes(con) -> float:
    (limit,) = con.execute("select current_setting('memory_limit')").fetchone()
    number, unit = limit.split()
    return float(number) * {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30}[unit]


def test_a_build_connection_is_held_to_600_megabytes_unless_told_otherwise(tmp_path: Path, monkeypatch):
    monkeypatch.delenv(MEMORY_LIMIT_ENV, raising=False)
    con = connect(tmp_path / "w.duckdb")
    try:
        # DuckDB reports the limit rounded to a tenth of its unit (600MB as 572.2 MiB).
        assert abs(_limit_in_bytes(con) / (600 * 10**6) - 1) < 0.05
    finally:
        con.close()
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "2GB")
    con = connect(tmp_path / "w.duckdb", read_only=True)
    try:
        assert abs(_limit_in_bytes(con) / (2 * 10**9) - 1) < 0.05
    finally:
        con.close()


def test_dbt_reads_the_same_limit_with_the_same_default():
    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    setting = profile["budget_warehouse"]["outputs"]["local"]["settings"]["memory_limit"]
    assert f"env_var('{MEMORY_LIMIT_ENV}', '{DEFAULT_MEMORY_LIMIT}')" in setting
