"""A text disclosure (the seed's layout: one line per paragraph, table cells between tabs)
rendered in the other formats departments publish:
- PDF: prose as paragraphs, tables as ruled grids whose long cells wrap and whose long
  tables continue on the next page under a repeated header (reportlab, with its built-in
  Chinese CID font STSong-Light: no font file needed);
- Excel: the narrative on a first sheet, then one sheet per table, header cells merged
  over the columns they head, codes stored as numbers, amounts as formatted numbers;
- a saved web page: site chrome around the article, tables in markup whose header cells
  span columns and rows (colspan, rowspan);
- Word: paragraphs and Word tables whose header cells are merged over the columns and rows
  they head (python-docx).

Used to test that each extracts to the same rows as the text it was made from.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from dagster_project.lib.extract.amounts import parse_amount
from dagster_project.lib.extract.lines import Line, clean_cell
from dagster_project.lib.extract.readers.text import split_lines
from dagster_project.lib.extract.segments import classify_title

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


def _padded(rows: list[list[str]]) -> list[list[str]]:
    """A table's rows padded with blanks to its widest row: every row has every column."""
    width = max(len(row) for row in rows)
    return [row + [""] * (width - len(row)) for row in rows]


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
        rows = _padded(rows)
        width = len(rows[0])
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


_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_TITLE_START = re.compile(r"^(?:#+\s*)?(?:表\s*[\d一二三四五六七八九十]+\s*$)")


def _header_spans(rows: list[list[str]], header_rows: int) -> list[tuple[int, int, int, int]]:
    """(row, column, rows spanned, columns spanned) of each header cell that heads blanks."""
    spans = []
    covered: set[tuple[int, int]] = set()
    for r in range(header_rows):
        for c, text in enumerate(rows[r]):
            if not text.strip() or (r, c) in covered:
                continue
            width = 1
            while c + width < len(rows[r]) and not rows[r][c + width].strip() and (r, c + width) not in covered:
                # A blank to the right spans only when the row below has something there.
                if r + 1 < header_rows and not rows[r + 1][c + width].strip():
                    break
                width += 1
            height = 1
            while r + height < header_rows and all(not rows[r + height][c + k].strip() for k in range(width)):
                height += 1
            if width > 1 or height > 1:
                spans.append((r, c, height, width))
                covered |= {(r + i, c + k) for i in range(height) for k in range(width)}
    return spans


def _sheet_sections(text: str) -> list[tuple[str, list[list[str]]]]:
    """The narrative, then one section per table: its title lines and its rows."""
    sections: list[tuple[str, list[list[str]]]] = [("说明", [])]
    pending: list[list[str]] = []  # 表二 and the like, printed just above a title
    for line in split_lines(text):
        cells = [clean_cell(cell) for cell in line.text.split("\t")]
        filled = [cell for cell in cells if cell]
        if len(filled) == 1 and _TITLE_START.match(filled[0]):
            pending.append([filled[0]])
            continue
        if len(filled) == 1 and filled[0].rstrip("）)").endswith("表") and classify_title(filled[0]):
            name = re.sub(r"[\\/*?:\[\]]", "", filled[0])[-31:]
            sections.append((name, [*pending, [filled[0]]]))
            pending = []
            continue
        sections[-1][1].extend(pending)
        pending = []
        if filled or len(sections) > 1:
            sections[-1][1].append(cells if len(cells) > 1 else [cells[0]])
    return sections


def _excel_value(text: str, column: int):
    """A code as a number, an amount as a number with its printed decimals, else the text."""
    plain = text.strip()
    if column == 0 and _CODE.match(plain):
        return int(plain), None
    try:
        amount = parse_amount(plain)
    except ValueError:
        amount = None
    if amount is not None and any(ch.isdigit() for ch in plain):
        number_format = "#,##0" + ("." + "0" * amount.decimals if amount.decimals else "")
        return float(amount.value), number_format
    return text, None


def render_xlsx(text: str, out: Path) -> Path:
    """Render a text disclosure as an Excel workbook: the narrative, then a sheet per table."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for name, rows in _sheet_sections(text):
        title = name
        while title in used:
            title = f"{title[:28]}_{len(used)}"
        used.add(title)
        sheet = workbook.create_sheet(title)
        table_rows = [row for row in rows if len(row) > 1]
        first_table_row = next((i for i, row in enumerate(rows) if len(row) > 1), None)
        for r, row in enumerate(rows, start=1):
            for c, text_value in enumerate(row, start=1):
                if not text_value:
                    continue
                value, number_format = _excel_value(text_value, c - 1) if len(row) > 1 else (text_value, None)
                cell = sheet.cell(row=r, column=c, value=value)
                if number_format:
                    cell.number_format = number_format
        if first_table_row is not None and table_rows:
            grid = _padded(table_rows)
            for row, column, height, span in _header_spans(grid, _header_rows(grid)):
                sheet.merge_cells(
                    start_row=first_table_row + row + 1,
                    start_column=column + 1,
                    end_row=first_table_row + row + height,
                    end_column=column + span,
                )
    workbook.save(out)
    return out


_CHROME_TOP = (
    '<header class="site-header"><div class="logo">样例县人民政府</div>'
    '<nav class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/czyjs">财政预决算</a></nav></header>'
    '<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 财政预决算 &gt; 部门预算</div>'
)
_CHROME_BOTTOM = (
    '<div class="share">分享到：微信 微博</div>'
    '<footer class="footer">版权所有：样例县人民政府 主办单位：样例县人民政府办公室'
    " ICP备案号：渝ICP备0000000号-1</footer>"
)


def render_html(text: str, out: Path) -> Path:
    """Render a text disclosure as a saved web page: the article inside site chrome."""
    parts = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>部门预算公开</title>',
        "<script>var _hmt = _hmt || [];</script></head><body>",
        _CHROME_TOP,
        '<div class="content"><article>',
    ]
    for kind, rows in _blocks(split_lines(text)):
        if kind == "text":
            parts.append(f"<p>{escape(rows[0][0]).replace(chr(10), '<br/>')}</p>")
            continue
        grid = _padded(rows)
        header_rows = _header_rows(grid)
        spans = {(r, c): (h, w) for r, c, h, w in _header_spans(grid, header_rows)}
        covered = {(r + i, c + k) for (r, c), (h, w) in spans.items() for i in range(h) for k in range(w)}
        parts.append('<table border="1" cellspacing="0">')
        for r, row in enumerate(grid):
            cells = []
            for c, value in enumerate(row):
                if (r, c) in covered and (r, c) not in spans:
                    continue
                tag = "th" if r < header_rows else "td"
                height, span = spans.get((r, c), (1, 1))
                attributes = (f' rowspan="{height}"' if height > 1 else "") + (f' colspan="{span}"' if span > 1 else "")
                cells.append(f"<{tag}{attributes}>{escape(value).replace(chr(10), '<br/>')}</{tag}>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table>")
    parts += ["</article></div>", _CHROME_BOTTOM, "</body></html>"]
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


def render_docx(text: str, out: Path) -> Path:
    """Render a text disclosure as a Word document: paragraphs, and tables with merged headers."""
    import docx

    document = docx.Document()
    for kind, rows in _blocks(split_lines(text)):
        if kind == "text":
            document.add_paragraph(rows[0][0])
            continue
        grid = _padded(rows)
        table = document.add_table(rows=len(grid), cols=len(grid[0]))
        table.style = "Table Grid"
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if value:
                    table.cell(r, c).text = value
        for row, column, height, span in _header_spans(grid, _header_rows(grid)):
            table.cell(row, column).merge(table.cell(row + height - 1, column + span - 1))
            table.cell(row, column).text = grid[row][column]  # merging joins the blanks' paragraphs
    document.save(str(out))
    return out
