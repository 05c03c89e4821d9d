"""A text disclosure (the seed's layout: one line per paragraph, table cells between tabs)
rendered as a PDF the way departments publish them: prose as paragraphs, tables as ruled
grids whose long cells wrap and whose long tables continue on the next page under a
repeated header. reportlab's built-in Chinese CID font (STSong-Light) needs no font file.

Used to test that a PDF extracts to the same rows as the text it was made from.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from ..extract.layout import Line, clean_cell, split_lines

_FONT = "STSong-Light"
_DATA_ROW = re.compile(r"^(?:\d{3}(?:\d{2}){0,2}|合计|总计)$|^[\d,.\-]+$")


def _blocks(lines: list[Line]) -> list[tuple[str, list[list[str]]]]:
    """("text", [[line]]) and ("table", rows) in document order."""
    blocks: list[tuple[str, list[list[str]]]] = []
    for line in lines:
        cells = [clean_cell(cell) for cell in line.text.split("\t")]
        if len(cells) >= 2:
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(cells)
            else:
                blocks.append(("table", [cells]))
        elif cells[0].strip():
            blocks.append(("text", [[cells[0]]]))
    return blocks


def _header_rows(rows: list[list[str]]) -> int:
    """Rows above the first data row (a code, 合计 or an amount in its first cells)."""
    for position, row in enumerate(rows):
        if any(_DATA_ROW.match(cell.strip()) for cell in row[:2] if cell.strip()):
            return position
    return 0


def render_pdf(text: str, out: Path) -> Path:
    """Render a text disclosure to `out` as an A4 landscape PDF."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    prose = ParagraphStyle("prose", fontName=_FONT, fontSize=9, leading=13, wordWrap="CJK")
    cell_style = ParagraphStyle("cell", fontName=_FONT, fontSize=7, leading=9, wordWrap="CJK")
    page = landscape(A4)
    document = SimpleDocTemplate(str(out), pagesize=page, leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36)
    usable = page[0] - 72
    story = []
    for kind, rows in _blocks(split_lines(text)):
        if kind == "text":
            story.append(Paragraph(escape(rows[0][0]).replace("\n", "<br/>"), prose))
            story.append(Spacer(0, 3))
            continue
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        longest = [
            max(max((len(cell) for cell in row[c].split("\n")), default=0) for row in rows) for c in range(width)
        ]
        weights = [min(max(length, 4), 40) for length in longest]
        widths = [usable * weight / sum(weights) for weight in weights]
        data = [[Paragraph(escape(cell).replace("\n", "<br/>"), cell_style) for cell in row] for row in rows]
        table = Table(data, colWidths=widths, repeatRows=_header_rows(rows))
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
        story.append(Spacer(0, 6))
    document.build(story)
    return out
