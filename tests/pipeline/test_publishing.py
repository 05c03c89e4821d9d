"""Builds publish the warehouse file only when their integrity checks pass (issue: always
readable). A failed build leaves the published file byte for byte as it was, and leaves
nothing behind that a later build could publish unchecked."""

from __future__ import annotations

import hashlib
import shutil

import duckdb

from dagster_project.lib.warehouse.publish import WarehouseFiles
from tests.conftest import SEED, build_warehouse

# A 项 row of T2 printed negative: the raw.subject_expenditure_cells suite (amounts are not
# negative) fails, a blocking check, so dbt does not run and nothing may be published.
ROW = "2010301\t行政运行\t1,023.57\t1,023.57\t"
NEGATIVE_ROW = "2010301\t行政运行\t-1,023.57\t-1,023.57\t"


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _total(path) -> object:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "select total_expenditure_wan_yuan from marts.fct_department_years where year = 2025"
        ).fetchone()[0]
    finally:
        con.close()


def test_a_build_that_fails_its_checks_is_not_published_and_not_carried_over(tmp_path):
    raw = tmp_path / "raw" / "500231" / "2025"
    raw.mkdir(parents=True)
    document = raw / SEED.name
    shutil.copy(SEED, document)
    files = WarehouseFiles(tmp_path / "warehouse" / "budget.duckdb")

    first = build_warehouse(tmp_path / "raw", files.published)
    assert first.success and first.published == files.published, first.render()
    published = _digest(files.published)

    text = SEED.read_text(encoding="utf-8")
    assert ROW in text
    document.write_text(text.replace(ROW, NEGATIVE_ROW), encoding="utf-8")
    for attempt in range(2):  # the second time, the bad version must not slip through as "already loaded"
        failed = build_warehouse(tmp_path / "raw", files.published)
        assert not failed.success, f"attempt {attempt}"
        assert failed.published is None and failed.last_good == files.published
        assert any("raw_table_suites" in step for step in failed.failed_steps), failed.failed_steps
        assert "Not published: readers keep the last good warehouse" in failed.render()
        assert _digest(files.published) == published
        assert list(files.work_dir.glob("*.duckdb")) == []

    document.write_text(text, encoding="utf-8")
    fixed = build_warehouse(tmp_path / "raw", files.published)
    assert fixed.success and fixed.published == files.published, fixed.render()
    assert _total(files.published) == _total(files.previous)  # the seed's 3,056.75 both times
    assert str(_total(files.published)) == "3056.750000"
