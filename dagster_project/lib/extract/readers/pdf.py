"""A PDF's text layer as the numbered lines of cells the parsers read.

Tables are read by position from the ruling lines (pdfplumber's table finder): each table
row becomes one line with its cells between tabs, as in the text disclosures. Text
outside the tables becomes one line per printed line. Three things PDFs do that text
does not are undone here:
- a cell's text wrapped over several printed lines is joined again;
- a table continued on the next page repeats its header rows: they are dropped, so the
  continuation reads as more rows of the same table;
- codes printed in three columns 类 | 款 | 项 (201 | 03 | 01) become one code cell (2010301);
- a font that maps an ideograph's glyph to its radical's code point (民 read as ⺠, U+2EA0,
  from PDFs printed by Chrome with Noto CJK) is read as the ideograph again.
Each line keeps the page it was printed on, for provenance. A page's characters and rules
are read by PDFium where it reads them as pdfminer would (pdf_objects.py: twice as fast as
pdfminer's reading alone, the rest unchanged), by pdfminer otherwise.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..amounts import is_amount
from ..lines import Line, clean_cell
from .ideographs import as_ideographs
from .pdf_objects import open_pdfium
from .pdf_pages import READABLE_SHARE, close, walk_pages

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
    damaged: list[tuple[int, str]] = field(default_factory=list)  # (page, why it was not read)


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


_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?[-—–\s]*$")


def _sides_go_on(page, table) -> bool:
    """The table's vertical rules run on below its last closed row: a row the page break cut
    before its bottom rule (browsers split tall rows so), not a note or a title after the table."""
    x0, _, x1, bottom = table.bbox
    return any(
        edge["orientation"] == "v"
        and x0 - 1 <= edge["x0"] <= x1 + 1
        and edge["top"] <= bottom + 1
        and edge["bottom"] > bottom + 4
        for edge in page.edges
    )


def _between_rules(page, content: dict) -> bool:
    """A printed line inside a cell's side rules: the rest of a cut row, not a title."""
    top, bottom = content["top"], content["bottom"]
    return any(
        edge["orientation"] == "v" and edge["top"] <= top + 1 and edge["bottom"] >= bottom - 1 for edge in page.edges
    )


def _within(content: dict, table) -> bool:
    """A printed line inside the table's left and right edges."""
    x0, _, x1, _ = table.bbox
    return content["x0"] >= x0 - 2 and content["x1"] <= x1 + 2


def _runs(chars: list[dict]) -> list[tuple[str, float, float]]:
    """The runs of characters of a printed line that gaps (a space or a tab) separate."""
    runs: list[tuple[str, float, float]] = []
    for char in chars:
        if not char["text"].strip():
            continue
        if runs and char["x0"] - runs[-1][2] < 0.3 * (char["x1"] - char["x0"] or 1):
            text, x0, _ = runs[-1]
            runs[-1] = (text + char["text"], x0, char["x1"])
        else:
            runs.append((char["text"], char["x0"], char["x1"]))
    return runs


def _tab_stops(printed: list[dict]) -> tuple[float, float] | None:
    """(left margin, stop width) of a page laid out with tab stops, or None. A text printed
    with tabs starts its cells at multiples of one width from the margin (Chromium: 8
    characters), so most runs after a gap start on a multiple of it. Prose, titles and ruled
    tables show no such rhythm."""
    if not printed:
        return None
    left = min(line["x0"] for line in printed)
    starts = [round(x0 - left, 1) for line in printed for _, x0, _ in _runs(line["chars"])[1:] if x0 - left > 2]
    if len(starts) < 10:
        return None

    def on(stop: float) -> int:
        return sum(1 for start in starts if abs(start / stop - round(start / stop)) < 0.03)

    # The stop is the widest of the common starts that most of the others are multiples of
    # (a narrower divisor fits as many; spaces in prose fit few).
    candidates = [start for start, _ in Counter(starts).most_common(8)]
    best = max(on(candidate) for candidate in candidates)
    stop = max(candidate for candidate in candidates if on(candidate) >= 0.9 * best)
    return (left, stop) if on(stop) >= max(10, 0.5 * len(starts)) else None


def _tab_cells(chars: list[dict], tab_stops: tuple[float, float]) -> list[str] | None:
    """A printed line of a tab-stop layout as its cells: a tab reaches the next stop after the
    text before it, so a cell starting further on leaves a blank for each stop it skipped.
    None for a line of one cell."""
    left, stop = tab_stops
    runs = _runs(chars)
    if len(runs) < 2:
        return None
    first = (runs[0][1] - left) / stop
    cells = [""] * max(round(first), 0) + [runs[0][0]]
    end = runs[0][2]
    for text, x0, x1 in runs[1:]:
        position = (x0 - left) / stop
        # The stop a tab after the text reaches: the next one at least half a character on (as
        # CSS lays out tabs, stops being 8 characters: a sixteenth of a stop).
        reached = int((end - left) / stop + 1 / 16) + 1
        if abs(position - round(position)) > 0.03 or round(position) < reached:
            cells[-1] += " " + text  # a space inside the cell
        else:
            cells += [""] * (round(position) - reached) + [text]
        end = x1
    return cells if len(cells) > 1 else None


_PROSE_PUNCTUATION = re.compile(r"[。，、；]")


def _line_of_prose(page, table) -> bool:
    """A ruled 'table' of one row that is a line of prose with boxes drawn in it (Hunan: each
    run of text framed, "1935.36" framed in the middle of a sentence): its text belongs to the
    paragraph, in reading order, not to a table placed above it. Told by the words printed
    beside it on the same line, or by prose punctuation and no amount in its cells."""
    if len(table.rows) != 1:
        return False
    x0, top, x1, bottom = table.bbox
    beside = any(
        char["text"].strip()
        and char["top"] < bottom
        and char["bottom"] > top
        and (char["x1"] <= x0 or char["x0"] >= x1)
        for char in page.chars
    )
    cells = [text for row in table.extract() for text in row if text]
    prose = any(_PROSE_PUNCTUATION.search(text) for text in cells) and not any(is_amount(text) for text in cells)
    return beside or prose


def _table_rows(table) -> list[list[str]]:
    return [[_join_wrapped(cell) for cell in row] for row in table.extract()]


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def read_pdf(path: Path) -> PagedLines:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    # pdfminer warns once per glyph about fonts without a bounding box (Chrome's PDFs):
    # thousands of lines that say nothing about the document's content.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    try:
        pdf = pdfplumber.open(path)
    except (PDFSyntaxError, ValueError, TypeError, KeyError) as exc:
        raise UnreadablePdf(f"damaged PDF: its structure cannot be parsed ({type(exc).__name__})") from exc
    except Exception as exc:  # pdfminer raises many kinds for a damaged file
        raise UnreadablePdf(f"damaged PDF: its structure cannot be parsed ({type(exc).__name__}: {exc})") from exc
    pdfium_document = open_pdfium(path)
    damaged: list[tuple[int, str]] = []
    lines: list[Line] = []
    pages: list[tuple[int, int, int]] = []
    previous_header: list[list[str]] = []
    previous_width = 0
    previous_merged_width = 0
    open_table = None  # the table the previous page ended with: its last row may go on here
    try:
        for page_number, page, unreadable in walk_pages(pdf, pdfium_document):
            if page is None:
                damaged.append((page_number, unreadable))
                open_table = None
                continue
            try:
                tables = [table for table in page.find_tables() if not _line_of_prose(page, table)]
                boxes = [table.bbox for table in tables]
                text_lines = page.filter(lambda obj, b=boxes: obj.get("object_type") != "char" or not _inside(obj, b))
                items: list[tuple[float, str, object]] = [
                    (line["top"], "text", line) for line in text_lines.extract_text_lines(return_chars=True)
                ]
            except Exception as exc:  # a damaged page: the others may still read
                damaged.append((page_number, f"page {page_number} cannot be read ({type(exc).__name__}: {exc})"))
                open_table = None
                continue
            items += [(table.bbox[1], "table", table) for table in tables]
            # A page without ruled tables may be a text file printed to PDF, its columns set by
            # tab stops: (left margin, stop width) when its printed lines show them.
            tab_stops = None if tables else _tab_stops([content for _, _, content in items])
            items.sort(key=lambda item: item[0])
            first = len(lines) + 1
            text_before_table = False
            right_edge = max((c["x1"] for _, kind, c in items if kind == "text"), default=0)
            left_edge = min((c["x0"] for _, kind, c in items if kind == "text"), default=0)
            text_width = page.width - 2 * left_edge
            full_line = _FULL_LINE * text_width
            wrapped = None  # the previous printed line, when it ran to the right edge
            # Rows printed without rules of their own under a ruled table (a 合计, a row a page
            # break cut from its rules): (table, bottom of the last row, whether that row is
            # such a row). One cut at the previous page's end may go on at this page's top.
            row_of = (open_table, None, True) if open_table is not None else None
            open_table = None
            for top, kind, content in items:
                if kind == "text" and row_of is not None and _PAGE_NUMBER.match(content["text"].strip()):
                    continue  # "- 7 -": page furniture between a table and its continuation
                if kind == "text" and row_of is not None:
                    table, bottom, ruleless = row_of
                    cells = _cells_by_columns(content["chars"], table)
                    near = bottom is None or top - bottom < _ROW_GAP
                    filled = len([c for c in cells if c])
                    is_row = filled >= 2 and (
                        any(is_amount(c) for c in cells if c) or (bottom == table.bbox[3] and _sides_go_on(page, table))
                    )
                    same_shape = bool(lines) and len(cells) == len(lines[-1].cells)
                    continues = ruleless and same_shape and _within(content, table) and _between_rules(page, content)
                    if near and (is_row or continues):
                        if is_row:
                            # A row under the ruled table without rules of its own (合计, or a
                            # row a page break cut from its rules): its characters by column.
                            lines.append(Line(len(lines) + 1, "\t".join(cells), tuple(clean_cell(c) for c in cells)))
                        else:
                            # The rest of the row above, wrapped within its cells, or carried
                            # over the page break (browsers and word processors split tall rows).
                            joined = [
                                _join_wrapped(f"{a}\n{b}") if b else a
                                for a, b in zip(lines[-1].cells, cells, strict=True)
                            ]
                            lines[-1] = Line(lines[-1].number, "\t".join(joined), tuple(clean_cell(c) for c in joined))
                        row_of = (table, content["bottom"], True)
                        continue
                    row_of = None
                if kind == "text":
                    text = content["text"].strip()
                    cells = _tab_cells(content["chars"], tab_stops) if tab_stops and text else None
                    if cells:
                        # A row of a table set by tab stops: never the rest of a paragraph.
                        lines.append(Line(len(lines) + 1, "\t".join(cells), tuple(clean_cell(c) for c in cells)))
                        text_before_table = True
                    elif (
                        text and wrapped is not None and top - wrapped["bottom"] < _WRAP_GAP and not _STARTS.match(text)
                    ):
                        # The paragraph goes on from a line that ran to the right edge.
                        joined = _join_wrapped(lines[-1].text + "\n" + text)
                        lines[-1] = Line(lines[-1].number, joined, (clean_cell(joined),))
                    elif text:
                        lines.append(Line(len(lines) + 1, text, (clean_cell(text),)))
                        text_before_table = True
                    ran_out = (
                        not cells
                        and content["x1"] >= right_edge - _EDGE_SLACK * text_width
                        and content["x1"] - content["x0"] >= full_line
                    )
                    wrapped = content if ran_out else None
                    continue
                wrapped = None
                row_of = (content, content.bbox[3], False)
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
            open_table = row_of[0] if row_of is not None and row_of[2] else None
            if len(lines) >= first:
                pages.append((page_number, first, len(lines)))
    finally:
        close(pdf, pdfium_document)
    lines = [Line(line.number, as_ideographs(line.text), tuple(map(as_ideographs, line.cells))) for line in lines]
    if not pages and not damaged and not lines:
        raise UnreadablePdf("damaged PDF: no page can be found in it")
    attempted = max((number for number, _ in damaged), default=0)
    attempted = max(attempted, max((number for number, _, _ in pages), default=0))
    if damaged and (not pages or len(pages) < READABLE_SHARE * attempted):
        raise UnreadablePdf(f"damaged PDF: {damaged[0][1]}; {len(pages)} of {attempted} pages could be read")
    return PagedLines(lines, pages, damaged)
