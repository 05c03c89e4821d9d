"""PDFium reads a PDF page's characters and rules where it reads them as pdfminer would
(readers/pdf_objects.py), and leaves the page to pdfminer where it would not.

The reference is pdfminer's own reading of the same pages (pdfplumber's objects, and the
whole extraction with BUDGETWH_PDF_ENGINE=pdfminer), and the documents' own text."""

from __future__ import annotations

import re
from collections import Counter

import pdfplumber
import pytest

from dagster_project.lib.extract import extract_disclosure
from dagster_project.lib.extract.readers.pdf import read_pdf
from dagster_project.lib.extract.readers.pdf_objects import ENGINE_ENV, open_pdfium, page_objects
from synthetic.formats import render_pdf
from tests.conftest import SEED, shared_path

# pdfminer computes in doubles, PDFium in floats: positions agree to a few hundredths of a point.
TOLERANCE = 0.05


def _close(ours: list[float], theirs: list[float]) -> bool:
    return all(abs(a - b) <= TOLERANCE for a, b in zip(ours, theirs, strict=True))


def _printed(chars: list[dict]) -> list[dict]:
    return sorted((c for c in chars if c["text"].strip()), key=lambda c: (round(c["top"]), c["x0"], c["text"]))


def _edge(edge: dict) -> tuple:
    # Sorted on positions to a tenth of a point, compared to a twentieth.
    position = (edge["x0"], edge["top"], edge["x1"], edge["bottom"])
    return (edge["orientation"], *(round(value, 1) for value in position), *position)


def _assert_pdfium_reads_as_pdfminer(path) -> None:
    """Every page read by PDFium: the same printed characters as pdfminer's, each box within a
    twentieth of a point of pdfminer's, and the same ruling edges."""
    document = open_pdfium(path)
    with pdfplumber.open(path) as reference, pdfplumber.open(path) as read:
        for theirs, ours_page in zip(reference.pages, read.pages, strict=True):
            ours, why = page_objects(document, ours_page)
            assert ours is not None, f"page {theirs.page_number} left to pdfminer: {why}"
            expected, found = _printed(theirs.chars), _printed(ours["char"])
            assert [c["text"] for c in found] == [c["text"] for c in expected], theirs.page_number
            for a, b in zip(found, expected, strict=True):
                box = ["x0", "x1", "top", "bottom"]
                assert _close([a[k] for k in box], [b[k] for k in box]), (theirs.page_number, a["text"], a, b)
            ours_page._objects = ours
            edges = [sorted(_edge(e) for e in p.edges) for p in (ours_page, theirs)]
            assert len(edges[0]) == len(edges[1]), theirs.page_number
            for a, b in zip(*edges, strict=True):
                assert a[0] == b[0] and _close(list(a[5:]), list(b[5:])), (theirs.page_number, a, b)
    document.close()


def test_pdfium_places_characters_and_rules_where_pdfminer_does():
    """A Shanghai disclosure, its fonts embedded."""
    _assert_pdfium_reads_as_pdfminer(shared_path("real-pdf", "sh_putuo_czj_dept_2025.pdf"))


def test_a_font_pdfium_does_not_carry_leaves_its_page_to_pdfminer():
    """Xi'an's 2022 narrative sets one word in a FangSong_GB2312 it does not embed: PDFium reads
    胜 of 胜利 as nothing, pdfminer through the font's CMap. That page goes to pdfminer and the
    sentence reads as printed: 以优异成绩迎接党的二十大胜利召开."""
    path = shared_path("real-pdf-provinces", "陕西_西安市气象局_2022_预算.pdf")
    document = open_pdfium(path)
    with pdfplumber.open(path) as pdf:
        reasons = Counter(page_objects(document, page)[1] for page in pdf.pages)
    document.close()
    assert reasons[""] == len(pdf.pages) - 1  # every other page is PDFium's
    assert reasons["a font that is not embedded"] == 1
    text = "".join(line.text for line in read_pdf(path).lines)
    assert "以优异成绩迎接党的二十大胜利召开" in re.sub(r"\s", "", text)


def test_a_rendering_in_fonts_the_viewer_supplies_is_read_by_pdfium_as_pdfminer_reads_it(tmp_path):
    """The project's own rendering sets CJK in STSong-Light through the UniGB-UCS2-H CMap (as
    iText and ReportLab set Adobe's Asian fonts), embedding no font: PDFium reads every page,
    with each character's advance from the PDF's widths, as pdfminer does; the seed's 三公
    header reads whole (公务接待费, whose 费 a box from the substitute font's glyphs lost where
    a cell wraps it), and the extraction is the one pdfminer alone gives."""
    printed = render_pdf(SEED.read_text(encoding="utf-8"), tmp_path / "seed.pdf")
    _assert_pdfium_reads_as_pdfminer(printed)
    assert any("公务接待费" in re.sub(r"\s", "", line.text) for line in read_pdf(printed).lines)
    _assert_same_extraction_by_either_engine(printed)


def test_the_standard_fonts_are_read_by_pdfium_as_pdfminer_reads_them(tmp_path):
    """Helvetica, Times and Courier left to the viewer (the standard 14 fonts, whose metrics
    pdfminer and PDFium both carry), beside STSong-Light: every box where pdfminer puts it."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "standard.pdf"
    page = canvas.Canvas(str(path))
    lines = {"Helvetica": "Budget: 1,234.56 AVWy% fi", "Times-Roman": "Budget: 1,234.56 AVWy% fi"}
    lines |= {"Courier-Bold": "(yuan) 2025", "STSong-Light": "2025年 预算 Budget: 1,234.56 (万元)"}
    for line, (font, text) in enumerate(lines.items()):
        page.setFont(font, 9 + line)
        page.drawString(50, 800 - 20 * line, text)
    page.showPage()
    page.save()
    _assert_pdfium_reads_as_pdfminer(path)


def _rows(extraction) -> dict[str, list[tuple]]:
    """Every record of every family, provenance lines aside and blanks removed (PDFium leaves
    out some blanks the content draws, which pdfminer keeps)."""
    families = {}
    for family in ("tables", "summary_cells", "subject_cells", "three_public_cells", "projects", "indicators"):
        families[family] = sorted(
            tuple(
                sorted(
                    (key, re.sub(r"\s", "", str(value)))
                    for key, value in vars(record).items()
                    if not re.search(r"(?:^|_)line$|^order$|^row_order$|^excerpt$", key)
                )
            )
            for record in getattr(extraction, family)
        )
    families["paragraphs"] = sorted(re.sub(r"\s", "", p.text) for p in extraction.paragraphs)
    return families


@pytest.mark.parametrize(
    "folder, name",
    [
        ("real-pdf", "js_gy_dept_2018.pdf"),  # 22 of 25 pages PDFium's, 3 with fonts not embedded
        ("real-pdf-provinces", "福建_泉州市人民政府办公室_2026_预算.pdf"),  # 16 of 41
        ("real-pdf-provinces", "湖南_长沙市信访局_2026_预算.pdf"),  # every page PDFium's
    ],
)
def test_the_extraction_is_the_same_whichever_engine_reads_the_pages(folder, name):
    _assert_same_extraction_by_either_engine(shared_path(folder, name))


def _assert_same_extraction_by_either_engine(path) -> None:
    both = extract_disclosure([path], [path.name])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENGINE_ENV, "pdfminer")
        assert open_pdfium(path) is None
        pdfminer_only = extract_disclosure([path], [path.name])
    assert (both.unit_name, both.year) == (pdfminer_only.unit_name, pdfminer_only.year)
    assert _rows(both) == _rows(pdfminer_only)
