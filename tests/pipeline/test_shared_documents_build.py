"""Every document of ../shared/ (real PDFs of ten provincial templates, web pages of other
counties) and the seed, dropped into raw/ as a bureau would and built as one warehouse.

The county publishes; the final accounts (部门决算) are refused as what they are, never loaded
as a budget; the Shanghai 单位预算 is a unit's disclosure; every finding has a key of its own;
and `budgetwh extract`'s headline figures are fct_department_years' figures, document by
document (one definition: lib/extract/headline.py and the seeds the models join).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.extract import extract_disclosure, headline
from dagster_project.lib.extract.headline import HEADLINE_MEASURES
from dagster_project.lib.raw_files import resolve
from tests.conftest import SEED, SEED_KEY, assert_gx_agrees_with_the_findings_mart, build_warehouse, shared_path

# A disclosure published as several files: its files' common stem, without the part each names.
_PARTS = (".narrative", ".tables", "_说明", "_报表")


def _disclosure_name(pdf: Path) -> str:
    stem = pdf.stem
    for part in _PARTS:
        stem = stem.removesuffix(part)
    return stem


def _year(name: str) -> str:
    return next(part[:4] for part in name.replace("_", " ").split() if part[:4].isdigit() and part[:2] == "20")


def _lay_out(source: Path, county: Path, pattern: str) -> None:
    by_disclosure: dict[str, list[Path]] = {}
    for path in sorted(source.glob(pattern)):
        by_disclosure.setdefault(_disclosure_name(path), []).append(path)
    for name, paths in by_disclosure.items():
        target = county / _year(name) / name if len(paths) > 1 else county / _year(name)
        target.mkdir(parents=True, exist_ok=True)
        for path in paths:
            shutil.copy(path, target / path.name)


@pytest.fixture(scope="module")
def shared_county(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("shared_county")
    raw = root / "raw"
    _lay_out(shared_path("real-pdf"), raw / "310000", "*.pdf")
    _lay_out(shared_path("real-pdf-provinces"), raw / "990300", "*.pdf")
    _lay_out(shared_path("disclosures"), raw / "990200", "*.txt")
    (raw / SEED_KEY).parent.mkdir(parents=True)
    shutil.copy(SEED, raw / SEED_KEY)
    warehouse = root / "budget.duckdb"
    summary = build_warehouse(raw, warehouse)
    assert summary.success and summary.published == warehouse, summary.render()
    return raw, warehouse


def test_the_county_publishes_with_the_final_accounts_refused(shared_county):
    _, warehouse = shared_county
    con = duckdb.connect(str(warehouse), read_only=True)
    rejected = con.execute("select disclosure_id, rejection_reason from marts.fct_rejected_files").fetchall()
    levels = dict(
        con.execute(
            "select v.disclosure_id, u.unit_level from marts.fct_disclosure_versions v "
            "join marts.dim_units u using (unit_id) where v.is_current"
        ).fetchall()
    )
    repeated = con.execute("select count(*) - count(distinct finding_id) from marts.fct_reconciliation_findings")
    repeated = repeated.fetchone()[0]
    con.close()
    assert [(key, "部门决算: final accounts, not a budget disclosure" in reason) for key, reason in rejected] == [
        ("310000/2024/sh_putuo_czj_final_2024.pdf", True)
    ]
    assert "310000/2024/sh_putuo_czj_final_2024.pdf" not in levels
    assert levels["310000/2025/sh_putuo_swj_unit_2025.pdf"] == "unit"
    assert levels["990300/2026/福建_泉州市人民政府办公室本级_2026_预算_单位预算.pdf"] == "unit"
    assert levels["990300/2026/福建_泉州市人民政府办公室_2026_预算.pdf"] == "department"
    assert repeated == 0


def test_great_expectations_judges_the_real_documents_as_the_findings_mart(shared_county):
    """The real PDFs of ../shared/ (two provincial templates, eight more provinces), the web
    pages and the seed: GX's unexpected rows are the mart's fail rows, rule by rule."""
    _, warehouse = shared_county
    assert_gx_agrees_with_the_findings_mart(warehouse)


def test_extract_headline_and_the_warehouse_agree_on_every_document(shared_county):
    raw, warehouse = shared_county
    con = duckdb.connect(str(warehouse), read_only=True)
    columns = ", ".join(f"{measure}_wan_yuan" for measure in HEADLINE_MEASURES)
    rows = con.execute(
        f"select disclosure_id, {columns} from marts.fct_department_years where not is_implied_by_next_year"
    ).fetchall()
    con.close()
    assert len(rows) >= 20
    disagreements = {}
    for disclosure_id, *values in rows:
        disclosure = resolve(raw, disclosure_id)
        # as the ingest step extracts it: read for the year it is filed under
        stated = headline(extract_disclosure(list(disclosure.files), filed_year=disclosure.year))
        in_warehouse = {m: v for m, v in zip(HEADLINE_MEASURES, values, strict=True) if v is not None}
        extracted = {m: Decimal(stated[m]) for m in HEADLINE_MEASURES if m in stated}
        if in_warehouse != extracted:
            disagreements[disclosure_id] = (extracted, in_warehouse)
    assert disagreements == {}


def test_a_hierarchy_given_by_names_raises_no_false_alarm(shared_county):
    """Shenzhen and Huzhou list expenditure at 类, 款 and 项 by name in their summary tables
    (五、住房保障支出 / 住房改革支出 / 住房公积金): read as a hierarchy, the tables add up as
    printed (Shenzhen 5,417.80 = 3,478.72 + 193.00 + 562.39 + 86.28 + 1,097.40), so the
    summary-table sums pass instead of counting every line as a class."""
    _, warehouse = shared_county
    con = duckdb.connect(str(warehouse), read_only=True)
    statuses = con.execute(
        """
        select disclosure_id, rule_id, status
        from marts.fct_reconciliation_findings
        where rule_id in ('T1-b', 'T6-a') and row_ref like '%sum of classes%'
            and (disclosure_id like '%深圳%' or disclosure_id like '%湖州%')
        """
    ).fetchall()
    con.close()
    evaluated = {(Path(d).name.split("_")[1], rule) for d, rule, _ in statuses}
    assert {("深圳市统计局本级", "T1-b"), ("深圳市统计局本级", "T6-a"), ("湖州市财政局", "T6-a")} <= evaluated
    assert {status for *_, status in statuses} <= {"pass", "rounding"}


def test_the_safe_county_total_counts_no_unit_disclosure(shared_county):
    """Quanzhou's 人民政府办公室 publishes its 部门预算 (T1 支出合计 10,984.81) and its office's own
    单位预算 (5,898.74, part of the same money): the 2026 county total of fct_county_function_totals
    is the sum of the department-level documents' own T1 totals, the 单位预算 left out."""
    _, warehouse = shared_county
    con = duckdb.connect(str(warehouse), read_only=True)
    total, rows = con.execute(
        "select sum(amount_wan_yuan), count(*) from marts.fct_county_function_totals "
        "where county_code = '990300' and year = 2026"
    ).fetchone()
    t1 = {
        kind: (amount, documents)
        for kind, amount, documents in con.execute(
            """
            select v.disclosure_kind, sum(c.amount_wan_yuan), count(*)
            from raw.budget_summary_cells as c
            join marts.fct_disclosure_versions as v using (disclosure_id, version_id)
            where v.is_current and v.year = 2026 and v.disclosure_id like '990300/%'
              and c.table_id = 'T1' and c.side = 'expenditure' and c.row_role = 'grand_total'
              and c.column_key = 'total'
            group by v.disclosure_kind
            """
        ).fetchall()
    }
    con.close()
    assert t1["unit"] == (Decimal("5898.74"), 1)  # 泉州市人民政府办公室本级 单位预算, T1 支出合计
    departments, documents = t1["department"]
    assert abs(total - departments) <= Decimal("0.005") * (rows + documents), (total, t1)
