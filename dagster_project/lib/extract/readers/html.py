"""A saved web page (.html) as the numbered lines of cells the parsers read.

The page's chrome (navigation, header and footer, scripts, forms) is dropped. Block
elements of the article become lines; each <table> row becomes one line of cells, with a
cell spanning several columns (colspan) or rows (rowspan) written once and the positions
it covers left blank, as the text disclosures print merged header cells.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..lines import Line, clean_cell
from .text import decode

_CHROME = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button")
_CHROME_CLASS = re.compile(r"nav|menu|breadcrumb|footer|header|sidebar|share|copyright", re.IGNORECASE)
_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "section", "article", "br", "tr")


def _span(cell, attribute: str) -> int:
    try:
        return max(1, int(cell.get(attribute, 1)))
    except (TypeError, ValueError):
        return 1


def _table_rows(table) -> list[list[str]]:
    """The table as a grid of cell texts: spanned positions blank, rowspans carried down."""
    rows: list[list[str]] = []
    carried: dict[int, int] = {}  # column → rows it is still covered by a rowspan from above
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue  # a table nested in a cell is read with that cell
        row: list[str] = []
        column = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while carried.get(column, 0) > 0:
                row.append("")
                carried[column] -= 1
                column += 1
            text = cell.get_text("\n", strip=True)
            width, height = _span(cell, "colspan"), _span(cell, "rowspan")
            for offset in range(width):
                row.append(text if offset == 0 else "")
                if height > 1:
                    carried[column + offset] = height - 1
            column += width
        while carried.get(column, 0) > 0:
            row.append("")
            carried[column] -= 1
            column += 1
        rows.append(row)
    return rows


def read_html(path: Path) -> list[Line]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode(path.read_bytes()), "html.parser")
    for tag in soup.find_all(_CHROME):
        tag.decompose()
    for tag in soup.find_all(attrs={"class": _CHROME_CLASS}):
        if tag.find("table") is None:
            tag.decompose()
    body = soup.find("article") or soup.find("main") or soup.body or soup
    lines: list[Line] = []

    def add(cells: list[str]) -> None:
        raw = "\t".join(cells)
        lines.append(Line(len(lines) + 1, raw, tuple(clean_cell(cell) for cell in cells)))

    def walk(node) -> None:
        for child in node.children:
            name = getattr(child, "name", None)
            if name is None:
                text = str(child).strip()
                if text:
                    add([text])
            elif name == "table":
                for row in _table_rows(child):
                    add(row)
            elif name in _BLOCKS and child.find(["table", *_BLOCKS]) is None:
                text = child.get_text("", strip=True)
                if text:
                    add([text])
            else:
                walk(child)

    walk(body)
    return lines
