"""A Word document (.docx) as the numbered lines of cells the parsers read.

Many departments publish the disclosure as a Word file: the narrative as paragraphs, the
tables as Word tables. Paragraphs and tables are read in document order (python-docx); each
paragraph becomes one line, each table row one line of cells. A cell merged over several
columns or rows is written once and the positions it covers are left blank, as the text
disclosures print merged header cells.
"""

from __future__ import annotations

from pathlib import Path

from ..lines import Line, clean_cell


class UnreadableDocument(ValueError):
    """The file is not a Word document that can be read."""


def _table_rows(table) -> list[list[str]]:
    rows: list[list[str]] = []
    above: list[object] = []
    for row in table.rows:
        cells, seen = [], []
        for column, cell in enumerate(row.cells):
            element = cell._tc  # python-docx repeats a merged cell at every position it covers
            repeated = (seen and seen[-1] is element) or (column < len(above) and above[column] is element)
            cells.append("" if repeated else cell.text)
            seen.append(element)
        above = seen
        rows.append(cells)
    return rows


def read_docx(path: Path) -> list[Line]:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise UnreadableDocument(f"not a readable Word document ({type(exc).__name__})") from exc
    lines: list[Line] = []
    for block in document.iter_inner_content():
        rows = _table_rows(block) if isinstance(block, Table) else [[block.text]]
        for row in rows:
            text = "\t".join(row)
            lines.append(Line(len(lines) + 1, text, tuple(clean_cell(cell) for cell in row)))
    return lines
