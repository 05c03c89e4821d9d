"""Renderings of text disclosures in the formats departments publish extract to the same
rows as the text they were made from (lib/synthetic/renderings.py):
- PDF (reportlab, the built-in Chinese CID font STSong-Light): ruled tables whose long cells
  wrap and whose long tables continue on the next page under a repeated header;
- Excel: a sheet per table, merged header cells, codes stored as numbers, formatted amounts;
- a saved web page: site chrome, tables in markup with colspan and rowspan headers;
- Word: paragraphs and Word tables with header cells merged over columns and rows.
Only line numbers differ, and the blanks a line break swallows in prose."""

from __future__ import annotations

import re

import pytest

from dagster_project.lib.extract import extract_disclosure, headline
from synthetic.formats import render_docx, render_html, render_pdf, render_xlsx
from synthetic.generate import generate_county
from tests.conftest import SEED

ROW_FAMILIES = (
    "tables",
    "index",
    "summary_cells",
    "subject_cells",
    "three_public_cells",
    "projects",
    "indicators",
    "performance_targets",
    "procurement_items",
    "figures",
    "paragraphs",
    "problems",
)
# Provenance that differs by nature between a text file and its PDF.
_POSITIONAL = re.compile(r"(?:^|_)line$|^order$|^row_order$|^excerpt$")


def _rows(extraction, family: str) -> list[tuple]:
    rows = []
    for record in getattr(extraction, family):
        fields = {
            key: re.sub(r"\s", "", value) if isinstance(value, str) else value
            for key, value in vars(record).items()
            if not _POSITIONAL.search(key) and key != "source_file"
        }
        rows.append(tuple(sorted((key, str(value)) for key, value in fields.items())))
    return sorted(rows)


def _documents(tmp_path_factory):
    county = generate_county(tmp_path_factory.mktemp("pdf_county"), seed=5, departments=3, townships=1, years=(2025,))
    generated = [county.root.parent / key for key in sorted(county.documents)]
    return [SEED, *generated]


RENDERERS = {"pdf": render_pdf, "xlsx": render_xlsx, "html": render_html, "docx": render_docx}


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    return _documents(tmp_path_factory)


def _render(documents, tmp_path, suffix):
    return [
        (path, RENDERERS[suffix](path.read_text(encoding="utf-8"), tmp_path / f"{path.stem}.{suffix}"))
        for path in documents
    ]


@pytest.fixture(scope="module")
def renderings(documents, tmp_path_factory):
    return _render(documents, tmp_path_factory.mktemp("pdf"), "pdf")


@pytest.mark.parametrize("suffix", list(RENDERERS))
def test_every_row_family_matches_its_text(documents, tmp_path, suffix):
    assert len(documents) >= 5
    for text_path, rendered in _render(documents, tmp_path, suffix):
        text = extract_disclosure([text_path], ["doc"])
        other = extract_disclosure([rendered], ["doc"])
        assert (other.unit_name, other.year, other.disclosure_kind) == (text.unit_name, text.year, text.disclosure_kind)
        assert headline(other) == headline(text), text_path.name
        for family in ROW_FAMILIES:
            assert _rows(other, family) == _rows(text, family), f"{text_path.name} as {suffix}: {family}"


def test_the_workbook_merges_header_cells_and_stores_codes_as_numbers(documents, tmp_path):
    from openpyxl import load_workbook

    _, workbook_path = _render(documents[:1], tmp_path, "xlsx")[0]
    workbook = load_workbook(workbook_path)
    assert len(workbook.sheetnames) >= 8  # the narrative, then a sheet per table
    assert any(sheet.merged_cells.ranges for sheet in workbook.worksheets)
    codes = [
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row[:1]
        if isinstance(cell.value, int)
    ]
    assert 2010301 in codes


def test_the_web_page_has_chrome_and_spanning_header_cells(documents, tmp_path):
    _, page = _render(documents[:1], tmp_path, "html")[0]
    markup = page.read_text(encoding="utf-8")
    assert "colspan=" in markup and "rowspan=" in markup
    assert "版权所有" in markup and "当前位置" in markup  # chrome the reader must drop
    text = extract_disclosure([page], ["doc"])
    assert not any("版权所有" in p.text or "当前位置" in p.text for p in text.paragraphs)


def test_long_tables_span_pages_with_repeated_headers(renderings):
    """The renderings exercise what the PDF reader must undo: a table continued on the next
    page starts there with the header of the page before, and some cells wrap."""
    import pdfplumber

    _, seed_pdf = renderings[0]
    with pdfplumber.open(seed_pdf) as pdf:
        tables = [[table.extract() for table in page.find_tables()] for page in pdf.pages]
    repeated = [
        number
        for number in range(1, len(tables))
        if tables[number] and tables[number - 1] and tables[number][0][0] == tables[number - 1][-1][0]
    ]
    assert repeated, "no table continues on a next page under its repeated header"
    wrapped = [cell for page in tables for table in page for row in table for cell in row if cell and "\n" in cell]
    assert wrapped, "no cell wraps over two printed lines"


def _print_with_chromium(page, out):
    """Print a web page to PDF the way a browser does ("Save as PDF")."""
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("needs Debian's chromium (make browser installs it; CI has it)")
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


def test_the_seed_printed_to_pdf_by_a_browser_reads_as_its_text(tmp_path):
    """Another tool's PDF: Chromium prints the seed's web page with Noto CJK, which maps 民
    to the radical ⺠ (U+2EA0), and splits tall table rows over page breaks without rules.
    The figures are still the seed's own: 3,056.75 / 2,351.73 / 705.02, 三公 59.30, and every
    table and subject line of the text."""
    page = render_html(SEED.read_text(encoding="utf-8"), tmp_path / "seed.html")
    printed = _print_with_chromium(page, tmp_path / "seed.pdf")
    text = extract_disclosure([SEED], ["doc"])
    other = extract_disclosure([printed], ["doc"])
    assert other.unit_name == "垫江县人民政府办公室" and other.year == 2025
    found = headline(other)
    assert (found["total_expenditure"], found["basic_expenditure"], found["project_expenditure"]) == (
        "3056.75",
        "2351.73",
        "705.02",
    )
    assert found["three_public_total"] == "59.30"
    for family in ("tables", "summary_cells", "subject_cells", "three_public_cells", "projects", "indicators"):
        assert _rows(other, family) == _rows(text, family), family


def test_the_word_document_has_tables_with_merged_header_cells(documents, tmp_path):
    import zipfile

    _, document = _render(documents[:1], tmp_path, "docx")[0]
    xml = zipfile.ZipFile(document).read("word/document.xml").decode("utf-8")
    assert xml.count("<w:tbl>") >= 8  # a Word table per disclosure table
    assert "w:gridSpan" in xml and "w:vMerge" in xml  # headers merged over columns and rows


def test_the_seed_text_printed_to_pdf_by_a_browser_reads_its_money_tables(tmp_path):
    """The text file itself printed to PDF (Chromium): no rulings, the columns set by tab
    stops every 8 characters, a blank cell being a tab more. T1, T2, T3 and T5 read exactly
    as from the text: every cell in its column, 2010302 一般行政管理事务 479.32 under 总计 and
    项目支出 with 基本支出 blank. (Rows wider than the page wrap, which the tab stops cannot
    undo: T4's, some of T11's.)"""
    text_file = tmp_path / "seed.txt"
    text_file.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    printed = _print_with_chromium(text_file, tmp_path / "seed.pdf")
    text = extract_disclosure([SEED], ["doc"])
    other = extract_disclosure([printed], ["doc"])
    assert _rows(other, "summary_cells") == _rows(text, "summary_cells")
    assert _rows(other, "subject_cells") == _rows(text, "subject_cells")
    t2 = {(c.subject_code, c.column_key): c.amount_wan_yuan for c in other.subject_cells if c.table_id == "T2"}
    assert (t2[("2010302", "total")], t2[("2010302", "basic")], str(t2[("2010302", "project")])) == (
        t2[("2010302", "project")],
        None,
        "479.32",
    )
    found = headline(other)
    assert (found["total_expenditure"], found["basic_expenditure"], found["project_expenditure"]) == (
        "3056.75",
        "2351.73",
        "705.02",
    )
