"""A line of a disclosure: its number, its text and its cells. Every reader (readers/) turns
its format into these lines, so one set of table and narrative parsers reads them all.
Everything the parsers need is the stripped cell text plus the 1-based line number (and,
for a PDF, the page that line is on) for provenance.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

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
