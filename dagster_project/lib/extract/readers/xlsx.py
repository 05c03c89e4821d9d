"""An Excel attachment (.xlsx) as the numbered lines of cells the parsers read.

Departments attach their tables as a workbook, usually one sheet per table. Each sheet's
rows become lines in sheet order, with the sheet's name as a title line when the sheet
does not print its own title. Merged header cells keep their text in the first cell and
leave the others blank, as the text disclosures print them. Codes stored as numbers
(2010301) read as the digits they are; amounts stored as numbers read as the shortest
decimal that gives back the stored value, shown with the decimals of the cell's number
format (1,023.50 formatted 0.00 reads 1023.50, as the officer sees it).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from ..lines import Line, clean_cell
from ..segments import classify_title


class UnreadableWorkbook(ValueError):
    """The file is not an Excel workbook that can be read."""


_DECIMALS = re.compile(r"\.(0+)")


def _text(value: object, number_format: str | None = None) -> str:
    """The cell as printed: a number with the decimals its format shows (0.00 → 2)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        shown = _DECIMALS.search(number_format or "")
        if shown:
            return str(exact.quantize(Decimal(1).scaleb(-len(shown.group(1)))))
        return format(exact.normalize(), "f") if exact == exact.to_integral_value() else str(exact)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def read_workbook(path: Path) -> list[Line]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors alike: the file is not a workbook
        raise UnreadableWorkbook(f"not a readable Excel workbook ({type(exc).__name__})") from exc
    lines: list[Line] = []
    try:
        for sheet in workbook.worksheets:
            rows = [
                [_text(getattr(cell, "value", None), getattr(cell, "number_format", None)) for cell in row]
                for row in sheet.iter_rows()
            ]
            while rows and not any(cell.strip() for cell in rows[-1]):
                rows.pop()
            printed_title = any(classify_title(cell) for row in rows[:3] for cell in row if cell.strip().endswith("表"))
            if not printed_title and classify_title(sheet.title):
                lines.append(Line(len(lines) + 1, sheet.title, (sheet.title,)))
            for row in rows:
                while row and not row[-1].strip():
                    row.pop()
                raw = "\t".join(row)
                lines.append(Line(len(lines) + 1, raw, tuple(clean_cell(cell) for cell in row)))
    finally:
        workbook.close()
    return lines
