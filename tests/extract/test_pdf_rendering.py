"""A PDF rendered from a text disclosure (reportlab, the built-in Chinese CID font
STSong-Light; ruled tables whose long cells wrap and whose long tables continue on the next
page under a repeated header) extracts to the same rows as the text it was made from.
Only line numbers differ, and the blanks a line break swallows in prose."""

from __future__ import annotations

import re

import pytest

from dagster_project.lib.extract import extract_disclosure, headline
from dagster_project.lib.synthetic.generate import generate_county
from dagster_project.lib.synthetic.pdf import render_pdf
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


@pytest.fixture(scope="module")
def renderings(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    pairs = []
    for path in _documents(tmp_path_factory):
        pdf = render_pdf(path.read_text(encoding="utf-8"), out / f"{path.stem}.pdf")
        pairs.append((path, pdf))
    return pairs


def test_every_row_family_matches_its_text(renderings):
    assert len(renderings) >= 5
    for text_path, pdf_path in renderings:
        text = extract_disclosure([text_path], ["doc"])
        pdf = extract_disclosure([pdf_path], ["doc"])
        assert (pdf.unit_name, pdf.year, pdf.disclosure_kind) == (text.unit_name, text.year, text.disclosure_kind)
        assert headline(pdf) == headline(text), text_path.name
        for family in ROW_FAMILIES:
            assert _rows(pdf, family) == _rows(text, family), f"{text_path.name}: {family}"


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
