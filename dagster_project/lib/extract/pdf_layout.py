"""A PDF's text layer as the numbered lines of cells the parsers read.

Tables are read by position from the ruling lines (pdfplumber's table finder): each table
row becomes one line with its cells between tabs, as in the text disclosures. Text
outside the tables becomes one line per printed line. Three things PDFs do that text
does not are undone here:
- a cell's text wrapped over several printed lines is joined again;
- a table continued on the next page repeats its header rows: they are dropped, so the
  continuation reads as more rows of the same table;
- codes printed in three columns 类 | 款 | 项 (201 | 03 | 01) become one code cell (2010301).
Each line keeps the page it was printed on, for provenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .amounts import is_amount
from .layout import Line, clean_cell

_CLASS_PARTS = re.compile(r"^\d{3}$"), re.compile(r"^\d{1,2}$"), re.compile(r"^\d{1,2}$")
_SPLIT_CODE_HEADER = ("类", "款", "项")
# A wrapped line inside a cell: Chinese text continues without a space, words with one.
_ASCII_EDGE = re.compile(r"[A-Za-z0-9]$")


class UnreadablePdf(ValueError):
    """The file is not a PDF with a text layer that can be read."""


@dataclass(frozen=True)
class PagedLines:
    lines: list[Line]
    pages: list[tuple[int, int, int]]  # (page, first line, last line)


def _join_wrapped(text: str | None) -> str:
    if not text:
        return ""
    parts = [part.strip() for part in text.split("\n") if part.strip()]
    joined = ""
    for part in parts:
        space = " " if joined and _ASCII_EDGE.search(joined) and part[:1].isascii() and part[:1].isalpha() else ""
        joined += space + part
    return joined


def _split_code_width(rows: list[list[str]]) -> int:
    """3 for a header row 类 | 款 | 项, 2 for 类 | 款 (economic codes), else 0."""
    for row in rows:
        head = tuple(cell.strip() for cell in row[:3])
        if head == _SPLIT_CODE_HEADER:
            return 3
        if head[:2] == _SPLIT_CODE_HEADER[:2]:
            return 2
    return 0


def _merge_split_codes(rows: list[list[str]], width: int, merged_width: int = 0) -> list[list[str]]:
    """The rows with the `width` code columns (类 | 款 [| 项]) as one code cell: 201|03|01 → 2010301.

    A row whose label spans the code columns (合计 on a page of its own) is printed with fewer
    cells: its amounts are aligned to the right edge, as printed.
    """
    full = max([merged_width] + [len(row) - width + 1 for row in rows if len(row) > width])
    merged = []
    for row in rows:
        head = [cell.strip() for cell in row[:width]]
        parts = zip(head, _CLASS_PARTS, strict=False)
        is_code = head[0] and all(not cell or pattern.match(cell) for cell, pattern in parts)
        if is_code:
            code = head[0]
            for part in head[1:]:
                if not part:
                    break
                code += part.zfill(2)  # some templates print 款 2 for 02
            merged.append([code, *row[width:]])
        elif any(is_amount(cell) for cell in head[1:] if cell):
            amounts = row[1:]
            merged.append([row[0], *([""] * max(full - 1 - len(amounts), 0)), *amounts])
        else:
            merged.append(["".join(head), *row[width:]])
    return merged


_ROW_GAP = 24  # points: a line this close under a table continues it
_WRAP_GAP = 8  # points between a wrapped line's bottom and the next line's top
# A line ending this close to the right edge (a share of the text width: an amount or a
# word that does not fit moves whole to the next line) ran out of room...
_EDGE_SLACK = 0.08
_FULL_LINE = 0.75  # ... if it also spans this share of the text width (a title does not)
# How a new paragraph, item or title starts: it never continues the line above.
_STARTS = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d)"
    r"|表\s*[\d一二三四五六七八九十]|附表|备注|注[:：]|单位\s*[:：])"
)


def _cells_by_columns(chars: list[dict], table) -> list[str]:
    """Characters of one printed line, grouped into the table's columns by position."""
    edges = sorted({round(cell[0], 1) for cell in table.cells} | {round(table.bbox[2], 1)})
    cells = [""] * (len(edges) - 1)
    for char in chars:
        middle = (char["x0"] + char["x1"]) / 2
        column = next((i for i in range(len(edges) - 1) if edges[i] <= middle < edges[i + 1]), None)
        if column is not None:
            cells[column] += char["text"]
    return [cell.strip() for cell in cells]


def _table_rows(table) -> list[list[str]]:
    return [[_join_wrapped(cell) for cell in row] for row in table.extract()]


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def read_pdf(path: Path) -> PagedLines:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(path)
    except (PDFSyntaxError, ValueError, TypeError, KeyError) as exc:
        raise UnreadablePdf(f"not a readable PDF ({type(exc).__name__})") from exc
    except Exception as exc:  # pdfminer raises many kinds for a damaged file
        raise UnreadablePdf(f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    lines: list[Line] = []
    pages: list[tuple[int, int, int]] = []
    previous_header: list[list[str]] = []
    previous_width = 0
    previous_merged_width = 0
    with pdf:
        for page_number, page in enumerate(pdf.pages, start=1):
            try:
                tables = page.find_tables()
                boxes = [table.bbox for table in tables]
                text_lines = page.filter(lambda obj, b=boxes: obj.get("object_type") != "char" or not _inside(obj, b))
                items: list[tuple[float, str, object]] = [
                    (line["top"], "text", line) for line in text_lines.extract_text_lines(return_chars=True)
                ]
            except Exception as exc:
                raise UnreadablePdf(f"page {page_number} cannot be read ({type(exc).__name__}: {exc})") from exc
            items += [(table.bbox[1], "table", table) for table in tables]
            items.sort(key=lambda item: item[0])
            first = len(lines) + 1
            text_before_table = False
            last_table = None
            right_edge = max((c["x1"] for _, kind, c in items if kind == "text"), default=0)
            left_edge = min((c["x0"] for _, kind, c in items if kind == "text"), default=0)
            text_width = page.width - 2 * left_edge
            full_line = _FULL_LINE * text_width
            wrapped = None  # the previous printed line, when it ran to the right edge
            for top, kind, content in items:
                if kind == "text":
                    text = content["text"].strip()
                    cells = (
                        _cells_by_columns(content["chars"], last_table)
                        if last_table is not None and top - last_table.bbox[3] < _ROW_GAP
                        else []
                    )
                    if len([c for c in cells if c]) >= 2 and any(is_amount(c) for c in cells if c):
                        # A row printed just below the ruled table without its own rules (合计):
                        # its characters fall into the table's columns.
                        lines.append(Line(len(lines) + 1, "\t".join(cells), tuple(clean_cell(c) for c in cells)))
                        continue
                    if text and wrapped is not None and top - wrapped["bottom"] < _WRAP_GAP and not _STARTS.match(text):
                        # The paragraph goes on from a line that ran to the right edge.
                        joined = _join_wrapped(lines[-1].text + "\n" + text)
                        lines[-1] = Line(lines[-1].number, joined, (clean_cell(joined),))
                    elif text:
                        lines.append(Line(len(lines) + 1, text, (clean_cell(text),)))
                        text_before_table = True
                    ran_out = (
                        content["x1"] >= right_edge - _EDGE_SLACK * text_width
                        and content["x1"] - content["x0"] >= full_line
                    )
                    wrapped = content if ran_out else None
                    last_table = None
                    continue
                wrapped = None
                last_table = content
                rows = _table_rows(content)
                continued = not text_before_table and bool(previous_header)
                width = _split_code_width(rows) or (previous_width if continued else 0)
                previous_width = width
                if width:
                    rows = _merge_split_codes(rows, width, previous_merged_width if continued else 0)
                    previous_merged_width = max(len(row) for row in rows)
                if continued and rows[: len(previous_header)] == previous_header:
                    rows = rows[len(previous_header) :]  # the header repeated on a continuation page
                header = []
                for row in rows:
                    if any(is_amount(cell) for cell in row if cell):
                        break
                    header.append(row)
                previous_header = header or previous_header
                for row in rows:
                    raw = "\t".join(row)
                    lines.append(Line(len(lines) + 1, raw, tuple(clean_cell(cell) for cell in row)))
                text_before_table = False
            if len(lines) >= first:
                pages.append((page_number, first, len(lines)))
    return PagedLines(lines, pages)
