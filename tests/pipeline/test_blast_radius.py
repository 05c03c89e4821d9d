"""No single document stops a county (issue: blast radius of one).

A disclosure whose rows break a dbt test of the models (unique, not null, accepted values,
relationships) is traced from the failing rows to its version, quarantined, and the county is
rebuilt and published without it; final accounts, a damaged PDF and an empty file are refused
with their reason while everything else is published.

The dbt-test breakers are rows an extraction bug could write: they are put into the raw tables
of the published warehouse between two builds (every build starts from the published file),
where no Great Expectations suite sees them, so only the models' own tests can catch them.
They arrive as the loader writes every version's rows: with a load stamp of their own
(raw.disclosures.extracted_at), which the models built incrementally by version go by
(dbt/macros/incremental_by_version.sql).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.dbt_project import dbt_project
from dagster_project.lib.model_tests import failing_tests, skipped_nodes, trace
from dagster_project.lib.warehouse.publish import WarehouseFiles
from tests.conftest import SEED, build_warehouse
from tests.fixtures.damaged import rendered, with_broken_page_boxes
from tests.fixtures.handmade import BASE

COUNTY = "500231/2025"
GOOD = f"{COUNTY}/{SEED.name}"
BAD = f"{COUNTY}/handmade.txt"
SEED_TOTAL = "3056.750000"  # the seed's 支出合计, printed on its T1

# Rows an extractor bug could write for the handmade disclosure, one per class of dbt test.
POISONS = {
    # a cell read twice: fct_function_expenditures' grain (unique_combination) breaks
    "unique": """
        insert into raw.subject_expenditure_cells
        select * from raw.subject_expenditure_cells
        where disclosure_id = '{bad}' and table_id = 'T2' and subject_code is not null
            and column_key = 'basic' and amount_wan_yuan is not null
        limit 1
    """,
    # a version without its county: every fact's unit_id is null
    "not_null": "update raw.disclosures set county_code = null where disclosure_id = '{bad}'",
    # a column read under a key the models do not know: expenditure_kind 'grant'
    "accepted_values": """
        update raw.subject_expenditure_cells set column_key = 'grant'
        where disclosure_id = '{bad}' and table_id = 'T2' and column_key = 'project'
    """,
}


def _poison(warehouse: Path, test_name: str) -> None:
    """Write the poison for `test_name` into the hand-made document's raw rows, loaded anew."""
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(POISONS[test_name].format(bad=BAD))
        con.execute("update raw.disclosures set extracted_at = current_localtimestamp() where disclosure_id = ?", [BAD])
    finally:
        con.close()


def _query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> tuple[Path, Path]:
    """The seed and a hand-made disclosure, built and published once."""
    root = tmp_path_factory.mktemp("blast")
    raw = root / "raw" / COUNTY
    raw.mkdir(parents=True)
    shutil.copy(SEED, raw / SEED.name)
    (raw / "handmade.txt").write_text(BASE, encoding="utf-8")
    files = WarehouseFiles(root / "warehouse" / "budget.duckdb")
    built = build_warehouse(root / "raw", files.published)
    assert built.success and built.published == files.published, built.render()
    return root / "raw", files.published


@pytest.mark.parametrize("test_name", sorted(POISONS))
def test_a_document_breaking_a_dbt_test_is_set_aside_and_the_county_published(county, tmp_path, test_name):
    raw, published = county
    files = WarehouseFiles(tmp_path / "warehouse" / "budget.duckdb")
    files.published.parent.mkdir(parents=True)
    shutil.copy(published, files.published)
    _poison(files.published, test_name)

    built = build_warehouse(raw, files.published)

    assert built.success and built.published == files.published, built.render()
    rejected = _query(
        files.published, "select disclosure_id, rejected_by, rejection_reason from marts.fct_rejected_files"
    )
    assert [(key, by) for key, by, _ in rejected] == [(BAD, "model tests")]
    assert f"dbt test {test_name}" in rejected[0][2] or (
        test_name == "unique" and "dbt test unique_combination" in rejected[0][2]
    ), rejected[0][2]
    assert BAD in built.render()
    # The good document is published with the figures its page prints; the bad one is not there.
    totals = _query(
        files.published,
        "select disclosure_id, total_expenditure_wan_yuan from marts.fct_department_years "
        "where not is_implied_by_next_year",
    )
    assert [(key, str(total)) for key, total in totals] == [(GOOD, SEED_TOTAL)]
    assert _query(
        files.published, "select count(*) from marts.fct_function_expenditures where disclosure_id = ?", [BAD]
    ) == [(0,)]


def test_a_relationships_failure_is_traced_to_the_version_whose_rows_break_it(county, tmp_path):
    """The dimensions are derived from the same versions as the facts, so no raw row can make a
    fact point at a unit dim_units lacks; the tracing is shown on a built warehouse whose
    dimension lost the bad document's unit, with dbt's real manifest node for the test."""
    _, published = county
    copy = tmp_path / "copy.duckdb"
    shutil.copy(published, copy)
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    test_id = next(
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "test"
        and (node.get("test_metadata") or {}).get("name") == "relationships"
        and node.get("attached_node", "").endswith(".fct_function_expenditures")
        and node.get("column_name") == "unit_id"
    )
    con = duckdb.connect(str(copy))
    (bad_unit,) = con.execute(
        "select unit_id from intermediate.int_disclosures_identified where disclosure_id = ?", [BAD]
    ).fetchone()
    con.execute("delete from marts.dim_units where unit_id = ?", [bad_unit])
    tests, other = failing_tests(
        {"results": [{"unique_id": test_id, "status": "fail", "message": "Got 1 result"}]}, manifest
    )
    tracing = trace(con, tests)
    con.close()
    assert other == [] and tracing.can_quarantine
    assert list(tracing.versions) == [
        (BAD, _query(copy, "select version_id from raw.disclosures where disclosure_id = ?", [BAD])[0][0])
    ]
    assert re.search(
        r"dbt test relationships on marts\.fct_function_expenditures\.unit_id",
        tracing.versions[next(iter(tracing.versions))][0],
    )


def test_a_failure_no_version_explains_is_not_quarantined(county, tmp_path):
    """A dimension keyed by something other than a unit or a version (function codes) names no
    document: such a failure blocks instead of setting anything aside."""
    _, published = county
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    test_id = next(
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "test"
        and (node.get("test_metadata") or {}).get("name") == "unique"
        and node.get("attached_node", "").endswith(".dim_function_subjects")
    )
    copy = tmp_path / "copy.duckdb"
    shutil.copy(published, copy)
    con = duckdb.connect(str(copy))
    con.execute("insert into marts.dim_function_subjects select * from marts.dim_function_subjects limit 1")
    tests, _ = failing_tests(
        {"results": [{"unique_id": test_id, "status": "fail", "message": "Got 1 result"}]}, manifest
    )
    tracing = trace(con, tests)
    con.close()
    assert not tracing.can_quarantine and tracing.versions == {} and len(tracing.unexplained) == 1


FINAL_ACCOUNTS = """# 测试县财政局 2024 年度部门决算

一、收入支出决算总表
单位：万元
项目\t决算数
收入总计\t100.00
二、支出决算表
单位：万元
项目\t决算数
支出合计\t100.00
"""


def test_a_county_with_one_poisoned_document_of_each_kind_publishes_everything_else(tmp_path):
    raw = tmp_path / "raw" / COUNTY
    raw.mkdir(parents=True)
    shutil.copy(SEED, raw / SEED.name)
    (raw / "handmade.txt").write_text(BASE, encoding="utf-8")
    (raw / "final_accounts.txt").write_text(FINAL_ACCOUNTS, encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    seed_pdf = rendered(SEED.read_text(encoding="utf-8"), tmp_path / "seed.pdf")
    (raw / "damaged.pdf").write_bytes(with_broken_page_boxes(seed_pdf, range(2, seed_pdf.count(b"/MediaBox") + 1)))
    files = WarehouseFiles(tmp_path / "warehouse" / "budget.duckdb")
    first = build_warehouse(tmp_path / "raw", files.published)
    assert first.success and first.published == files.published, first.render()

    _poison(files.published, "accepted_values")  # an extraction bug in the hand-made document's rows
    built = build_warehouse(tmp_path / "raw", files.published)

    assert built.success and built.published == files.published, built.render()
    reasons = dict(
        _query(
            files.published,
            "select disclosure_id, rejected_by || ': ' || rejection_reason from marts.fct_rejected_files",
        )
    )
    assert set(reasons) == {BAD, f"{COUNTY}/final_accounts.txt", f"{COUNTY}/empty.txt", f"{COUNTY}/damaged.pdf"}
    assert reasons[BAD].startswith("model tests: ")
    assert "部门决算: final accounts, not a budget disclosure" in reasons[f"{COUNTY}/final_accounts.txt"]
    assert "the file is empty" in reasons[f"{COUNTY}/empty.txt"]
    assert "damaged PDF: page 2 cannot be read" in reasons[f"{COUNTY}/damaged.pdf"]
    summary = built.render()
    assert all(key in summary for key in reasons), summary
    totals = _query(
        files.published,
        "select disclosure_id, total_expenditure_wan_yuan from marts.fct_department_years "
        "where not is_implied_by_next_year",
    )
    assert [(key, str(total)) for key, total in totals] == [(GOOD, SEED_TOTAL)]


def test_a_departments_budget_and_its_units_own_budget_are_both_current(tmp_path):
    """部门预算 (consolidated) and 单位预算 (the main unit's own) of one body share its name: two
    disclosures, two units, both current; a revision supersedes only its own kind."""
    raw = tmp_path / "raw" / COUNTY
    raw.mkdir(parents=True)
    unit_budget = BASE.replace("2025 年部门预算", "2025 年单位预算", 1)
    assert unit_budget != BASE
    (raw / "department.txt").write_text(BASE, encoding="utf-8")
    (raw / "unit.txt").write_text(unit_budget, encoding="utf-8")
    warehouse = tmp_path / "budget.duckdb"
    built = build_warehouse(tmp_path / "raw", warehouse)
    assert built.success, built.render()
    (raw / "unit_revised.txt").write_text(unit_budget.replace("情况说明", "情况说明（修订）", 1), encoding="utf-8")
    built = build_warehouse(tmp_path / "raw", warehouse)
    assert built.success, built.render()
    current = _query(
        warehouse,
        "select v.disclosure_id, u.unit_level from marts.fct_disclosure_versions v "
        "join marts.dim_units u using (unit_id) where v.is_current order by 1",
    )
    assert current == [(f"{COUNTY}/department.txt", "department"), (f"{COUNTY}/unit_revised.txt", "unit")]


def test_nodes_dbt_skipped_in_a_build_it_ended_well_are_reported():
    """dbt 1.11 exits 0 when an ephemeral model does not compile, and skips every model that
    uses it (run_results as it wrote them when a findings model lost a dependency): the build
    must fail on them rather than publish their last build's rows as this one's."""
    error = (
        "Compilation Error in model.budget_warehouse.int_findings_within_versions, caused by compilation "
        "error in referenced ephemeral model model.budget_warehouse.int_findings__summary_table"
    )
    run_results = {
        "results": [
            {"unique_id": "model.budget_warehouse.int_table_figures", "status": "success", "message": "OK"},
            {"unique_id": "model.budget_warehouse.int_findings_within_versions", "status": "skipped", "message": error},
            {"unique_id": "model.budget_warehouse.fct_reconciliation_findings", "status": "skipped", "message": None},
            {"unique_id": "test.budget_warehouse.not_null_dim_units_unit_id", "status": "pass", "message": None},
        ]
    }
    skipped = skipped_nodes(run_results)
    assert len(skipped) == 2
    assert "int_findings_within_versions" in skipped[0] and "int_findings__summary_table" in skipped[0]
    assert "fct_reconciliation_findings" in skipped[1]
    assert skipped_nodes({"results": run_results["results"][:1]}) == []
