"""Builds publish the warehouse file only when their integrity checks pass (issue: always
readable). A document whose rows fail an integrity suite is quarantined on its own, and the
rest of the county is published; a failure that no document explains blocks publication."""

from __future__ import annotations

import shutil

import dagster as dg
import duckdb

from dagster_project.lib.warehouse.publish import WarehouseFiles
from tests.conftest import SEED, build_warehouse
from tests.fixtures.handmade import BASE

# A 项 row of T2 printed negative: the raw.subject_expenditure_cells suite (amounts are not
# negative) fails for that document's rows. The version is quarantined; the county goes on.
ROW = "2010301\t行政运行\t1,023.57\t1,023.57\t"
NEGATIVE_ROW = "2010301\t行政运行\t-1,023.57\t-1,023.57\t"


def _query(path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _seed_total(path) -> str:
    rows = _query(path, "select total_expenditure_wan_yuan from marts.fct_department_years where year = 2025")
    return sorted(str(total) for (total,) in rows)


def test_a_version_failing_its_integrity_suite_is_quarantined_and_the_rest_is_published(tmp_path):
    raw = tmp_path / "raw" / "500231" / "2025"
    raw.mkdir(parents=True)
    document = raw / SEED.name
    shutil.copy(SEED, document)
    files = WarehouseFiles(tmp_path / "warehouse" / "budget.duckdb")

    first = build_warehouse(tmp_path / "raw", files.published)
    assert first.success and first.published == files.published, first.render()

    text = SEED.read_text(encoding="utf-8")
    assert text.count(ROW) == 1
    revised = text.replace(ROW, NEGATIVE_ROW)
    negative_line = revised.splitlines().index(NEGATIVE_ROW.rstrip("\n")) + 1
    document.write_text(revised, encoding="utf-8")
    (raw / "handmade.txt").write_text(BASE, encoding="utf-8")  # a good document in the same build
    for attempt in range(2):  # the second time, the bad version must not slip through as "already loaded"
        built = build_warehouse(tmp_path / "raw", files.published)
        assert built.success and built.published == files.published, (attempt, built.render())
        # The revision is set aside: the version loaded before it stays current, 3,056.75.
        assert _seed_total(files.published) == ["180.000000", "3056.750000"], attempt
        rejected = _query(
            files.published, "select disclosure_id, rejected_by, rejection_reason from marts.fct_rejected_files"
        )
        assert len(rejected) == 1, rejected
        key, rejected_by, reason = rejected[0]
        assert key == f"500231/2025/{SEED.name}" and rejected_by == "integrity checks"
        assert "raw.subject_expenditure_cells" in reason and f"line {negative_line}" in reason, reason
        assert "-1023.57" in reason, reason
        assert f"500231/2025/{SEED.name}" in built.render()
        assert list(files.work_dir.glob("*.duckdb")) == []

    document.write_text(text, encoding="utf-8")
    fixed = build_warehouse(tmp_path / "raw", files.published)
    assert fixed.success and fixed.published == files.published, fixed.render()
    # The good version is the one loaded before: nothing to re-extract, and no rejection left
    # on a version that is loaded.
    assert _seed_total(files.published) == ["180.000000", "3056.750000"]
    assert _query(
        files.published,
        "select count(*) from marts.fct_rejected_files where version_id in "
        "(select version_id from marts.fct_disclosure_versions)",
    ) == [(0,)]


def test_a_failure_no_version_explains_blocks_the_run():
    """A suite failure without the rows' versions cannot be quarantined: it is an error, and
    the blocking check holds the marts and the publication back."""
    from dagster_project.defs.quality.checks import _check_result
    from dagster_project.lib.quality.raw_suites import SuiteOutcome

    located = {"expectation": "expect_column_values_to_be_between", "unexpected_count": 1, "located": True}
    unlocated = {"expectation": "expect_column_values_to_not_be_null", "unexpected_count": 3, "located": False}
    row = {"disclosure_id": "a.txt", "version_id": "v1", "reason": "x"}
    quarantinable = SuiteOutcome("subject_expenditure_cells", 10, False, [located], [row])
    blocking = SuiteOutcome("subject_expenditure_cells", 10, False, [located, unlocated], [row])
    own_table = SuiteOutcome("rejected_files", 2, False, [located], [row])
    assert _check_result(quarantinable).severity == dg.AssetCheckSeverity.WARN
    assert _check_result(blocking).severity == dg.AssetCheckSeverity.ERROR
    assert _check_result(own_table).severity == dg.AssetCheckSeverity.ERROR
    assert not _check_result(quarantinable).passed


def test_each_publish_writes_the_marts_as_parquet_beside_the_file(tmp_path):
    """`<name>.exports/` holds every mart as Parquet, money as exact decimals, and moves to the
    next build's files in one switch: the earlier build's directory is gone, never mixed in."""
    files = WarehouseFiles(tmp_path / "warehouse" / "budget.duckdb")
    first_dir = tmp_path / "raw" / "500231" / "2025"
    first_dir.mkdir(parents=True)
    shutil.copy(SEED, first_dir / SEED.name)
    assert build_warehouse(tmp_path / "raw", files.published).success
    first = files.exports.resolve()
    marts = {
        name
        for (name,) in _query(
            files.published, "select table_name from information_schema.tables where table_schema = 'marts'"
        )
    }
    assert {path.stem for path in files.exports.glob("*.parquet")} == marts
    con = duckdb.connect()
    exported = con.execute(
        "select typeof(total_expenditure_wan_yuan), total_expenditure_wan_yuan from read_parquet(?) where year = 2025",
        [str(files.exports / "fct_department_years.parquet")],
    ).fetchall()
    con.close()
    # The seed's T1 支出合计, 3,056.75 万元, exactly as the mart holds it.
    assert [(kind.startswith("DECIMAL"), str(total)) for kind, total in exported] == [(True, "3056.750000")]

    (tmp_path / "raw" / "500231" / "2025" / "handmade.txt").write_text(BASE, encoding="utf-8")
    assert build_warehouse(tmp_path / "raw", files.published).success
    second = files.exports.resolve()
    assert second != first and not first.exists()
    rows = _query(files.published, "select count(*) from marts.fct_department_years")
    con = duckdb.connect()
    exported_rows = con.execute(
        "select count(*) from read_parquet(?)", [str(files.exports / "fct_department_years.parquet")]
    ).fetchall()
    con.close()
    assert exported_rows == rows
