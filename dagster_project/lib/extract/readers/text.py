"""Text disclosures (.txt, .md): cells between tabs, UTF-8 or GB18030.

The published text (taken from a PDF) puts table cells between tabs, keeps markdown
heading marks, and carries HTML fragments inside some cells (table 10).
"""

from __future__ import annotations

from pathlib import Path

from ..lines import Line, clean_cell


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
