"""Readers: each published format as numbered lines of cells (lines.Line).

text (.txt, .md), PDF with a text layer, Word (.docx), Excel (.xlsx) and a saved web page
(.html): whatever the format, the same table recognisers and parsers then read the lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..lines import Line
from .docx import UnreadableDocument, read_docx
from .html import read_html
from .pdf import UnreadablePdf, read_pdf
from .text import read_lines
from .xlsx import UnreadableWorkbook, read_workbook


class UnreadableFile(ValueError):
    """The file cannot be read as a document of its format; the message says why."""


@dataclass(frozen=True)
class ReadFile:
    lines: list[Line]
    # (page, first line, last line) of each PDF page; empty for formats without pages
    pages: list[tuple[int, int, int]] = field(default_factory=list)
    # (page, why) for each page of a damaged PDF that could not be read, the others kept
    damaged_pages: list[tuple[int, str]] = field(default_factory=list)


def read_file(path: Path) -> ReadFile:
    """Any published format as numbered lines of cells, and for a PDF the lines each page printed."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            paged = read_pdf(path)
            if not any(line.plain.strip() for line in paged.lines):
                raise UnreadableFile("the PDF has no text layer (a scan?); it cannot be read")
            return ReadFile(paged.lines, list(paged.pages), list(paged.damaged))
        if suffix in (".xlsx", ".xlsm"):
            return ReadFile(read_workbook(path))
        if suffix in (".html", ".htm"):
            return ReadFile(read_html(path))
        if suffix == ".docx":
            return ReadFile(read_docx(path))
        return ReadFile(read_lines(path))
    except (UnreadablePdf, UnreadableWorkbook, UnreadableDocument) as exc:
        raise UnreadableFile(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not a text document ({exc.reason})") from exc
