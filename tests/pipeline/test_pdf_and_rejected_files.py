"""Real PDF disclosures build into the warehouse beside the seed; files that cannot be read
(a corrupt PDF, an empty file, a binary file, a text that is no budget disclosure) end in
marts.fct_rejected_files with a reason, and the build goes on without losing what it had."""

from __future__ import annotations

import shutil
from decimal import Decimal

import duckdb

from tests.conftest import SEED, build_warehouse, shared_path

SHANGHAI_PDF = "sh_putuo_zfb_dept_2025.pdf"
GOOD_CELL = "2010301\t行政运行\t1,023.57"
GARBLED_CELL = "2010301\t行政运行\t1,023,570,000,000,000,000.57"
BAD_FILES = {
    "corrupt.pdf": lambda pdf: pdf[:1500],  # a download cut short
    "corrupt.docx": lambda pdf: b"PK\x03\x04" + pdf[:500],  # a Word file that is no Word package
    "empty.txt": lambda pdf: b"",
    "photo.bin": lambda pdf: bytes(range(256)) * 8,
    "meeting.txt": lambda pdf: "关于召开2025年第一季度安全生产工作会议的通知\n请各单位准时参加。\n".encode(),
}


def test_pdfs_build_and_unreadable_files_are_rejected_with_a_reason(tmp_path):
    pdf = shared_path("real-pdf", SHANGHAI_PDF)
    raw = tmp_path / "raw"
    (raw / "500231" / "2025").mkdir(parents=True)
    shutil.copy(SEED, raw / "500231" / "2025" / SEED.name)
    warehouse = tmp_path / "budget.duckdb"
    assert build_warehouse(raw, warehouse).success

    shanghai = raw / "310107" / "2025"
    shanghai.mkdir(parents=True)
    shutil.copy(pdf, shanghai / SHANGHAI_PDF)
    for name, content in BAD_FILES.items():
        (shanghai / name).write_bytes(content(pdf.read_bytes()))
    # Digits run together into a number no budget states, which no DECIMAL(20, 6) holds:
    # a problem at its line, that cell blank, the rest of the document loaded.
    garbled = SEED.read_text(encoding="utf-8").replace(GOOD_CELL, GARBLED_CELL, 1)
    (shanghai / "garbled.txt").write_text(garbled, encoding="utf-8")
    garbled_line = next(n for n, text in enumerate(garbled.splitlines(), start=1) if GARBLED_CELL in text)
    summary = build_warehouse(raw, warehouse)
    assert summary.success and summary.published == warehouse, summary.render()

    con = duckdb.connect(str(warehouse), read_only=True)
    rejected = dict(con.execute("select disclosure_id, rejection_reason from marts.fct_rejected_files").fetchall())
    years = dict(
        con.execute(
            "select u.unit_name, y.total_expenditure_wan_yuan from marts.fct_department_years y "
            "join marts.dim_units u using (unit_id) where y.year = 2025 and not y.is_implied_by_next_year"
        ).fetchall()
    )
    pages = dict(
        con.execute(
            "select 'T2 2010301', min(source_page) from marts.fct_function_expenditures "
            "where function_code = '2010301' and table_id = 'T2' and source_file like '%.pdf' "
            "union all select '三公', min(source_page) from marts.fct_three_public_expenses "
            "where source_file like '%.pdf' and figure_source = 'T4' "
            "union all select 'seed', max(source_page) from marts.fct_function_expenditures "
            "where source_file like '%.txt'"
        ).fetchall()
    )
    garbled_problems = con.execute(
        "select source_line, reason from marts.fct_extraction_problems where disclosure_id = '310107/2025/garbled.txt'"
    ).fetchall()
    con.close()
    assert [line for line, problem in garbled_problems if "beyond any budget" in problem] == [garbled_line]
    # Where an officer finds them: page 14 of the PDF prints table 5 (一般公共预算支出功能分类),
    # page 20 the 三公 table; a text source has no pages.
    assert pages == {"T2 2010301": 14, "三公": 20, "seed": None}
    assert set(rejected) == {f"310107/2025/{name}" for name in BAD_FILES}
    assert "damaged PDF" in rejected["310107/2025/corrupt.pdf"]  # cut short: its structure cannot be parsed
    assert "not a readable Word document" in rejected["310107/2025/corrupt.docx"]
    assert "empty" in rejected["310107/2025/empty.txt"]
    assert "binary" in rejected["310107/2025/photo.bin"] or "not a text" in rejected["310107/2025/photo.bin"]
    assert "no budget disclosure" in rejected["310107/2025/meeting.txt"]
    # Both disclosures are there: the seed loaded before, and the PDF (支出总计 91,016,775.35 元).
    assert years["垫江县人民政府办公室"] == Decimal("3056.75")
    assert years["上海市普陀区人民政府办公室"] == Decimal("9101.677535")
    assert {reason for _, _, reason in summary.rejected} == set(rejected.values())
