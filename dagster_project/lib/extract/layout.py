"""A disclosure's text as numbered lines of cells.

The published text (taken from a PDF) puts table cells between tabs, keeps markdown
heading marks, and carries HTML fragments inside some cells (table 10). Everything the
parsers need is the stripped cell text plus the 1-based line number for provenance.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

_TAG = re.compile(r"<[^>]+>")
_BLOCK_TAG = re.compile(r"</?(?:p|br|div|li)\b[^>]*>", re.IGNORECASE)
_HEADING_MARK = re.compile(r"^\s*#{1,6}\s*")


def clean_cell(raw: str) -> str:
    """Cell text without HTML markup or heading marks; paragraphs become line breaks."""
    text = _BLOCK_TAG.sub("\n", raw)
    text = html.unescape(_TAG.sub("", text))
    text = _HEADING_MARK.sub("", text)
    lines = [part.strip() for part in text.split("\n")]
    return "\n".join(part for part in lines if part).strip()


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    cells: tuple[str, ...]

    @property
    def filled(self) -> list[str]:
        return [cell for cell in self.cells if cell]

    @property
    def is_blank(self) -> bool:
        return not self.filled

    @property
    def plain(self) -> str:
        """The line as prose: cells joined, heading marks and markup removed."""
        return " ".join(self.filled)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, a superset of GBK."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8/gb18030", data[:0], 0, 1, "not a text document")


def split_lines(text: str) -> list[Line]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        cells = tuple(clean_cell(cell) for cell in raw.split("\t"))
        lines.append(Line(number, raw, cells))
    return lines


def read_lines(path: Path) -> list[Line]:
    return split_lines(decode(path.read_bytes()))
