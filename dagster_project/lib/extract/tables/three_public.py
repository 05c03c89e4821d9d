"""T4: the 三公 expenses, by item and year (budget year and prior year)."""

from __future__ import annotations

import re

from ..amounts import normalise_text
from ..lines import Line
from ..records import ThreePublicCell
from .grid import TableContext, cell, is_note, is_unit_line, label_key

_THREE_PUBLIC_ITEMS = [
    ("vehicle_subtotal", re.compile(r"小计|购置及运行")),
    ("vehicle_purchase", re.compile(r"购置")),
    ("vehicle_operation", re.compile(r"运行")),
    ("overseas", re.compile(r"出国")),
    ("reception", re.compile(r"接待")),
    ("meeting", re.compile(r"会议")),
    ("training", re.compile(r"培训")),
    ("total", re.compile(r"合计|总计")),
]
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


# 机关运行经费 sits beside the 三公 in some templates (Shanghai): it is not one of them.
_OPERATING_COSTS = re.compile(r"机关运行")


def _column_item(texts: list[str], wider: bool) -> str | None:
    """The item a column holds, from its header texts top to bottom. The deepest names it,
    but a 小计 or 合计 is the subtotal of what its parent heads: under “三公”经费 it is the
    三公 total, under 公务用车购置及运行费 the vehicle subtotal. In a wider table (会议费,
    培训费) a 合计 outside the 三公 block is not a 三公 figure."""
    texts = _joined_fragments(texts)
    naming = [position for position, text in enumerate(texts) if _item_for(text) is not None]
    if not naming:
        return None
    deepest = naming[-1]  # lines below the header that name nothing (a heading after the table) do not count
    item = _item_for(texts[deepest])
    if item in ("total", "vehicle_subtotal") and re.fullmatch(r"小计|合计|总计", label_key(texts[deepest])):
        parents = [label_key(text) for text in texts[:deepest]]
        if any("三公" in parent for parent in parents):
            return "total"
        if any("公务用车" in parent or "购置及运行" in parent for parent in parents):
            return "vehicle_subtotal"
        if wider:
            return None
        return "total" if item == "total" else "vehicle_subtotal"
    return item


def _joined_fragments(texts: list[str]) -> list[str]:
    """A header name a PDF cell wrapped over rows ("因公出" / "国（境）" / "费", "公务用车运" /
    "行维护费"), joined: two neighbours that name nothing alone but an item together."""
    joined: list[str] = []
    for text in texts:
        if joined and _item_for(joined[-1]) is None and _item_for(text) is None:
            if _item_for(joined[-1] + text) is not None:
                joined[-1] += text
                continue
        joined.append(text)
    return joined


def _item_for(text: str) -> str | None:
    key = label_key(text)
    if _OPERATING_COSTS.search(key):
        return None
    for item, pattern in _THREE_PUBLIC_ITEMS:
        if pattern.search(key):
            return item
    return None


def parse_three_public_table(ctx: TableContext, budget_year: int | None) -> list[ThreePublicCell]:
    """T4: the year blocks side by side (2024 | 2025), one row per year, or (Shanghai) one
    row of the budget year's figures under the item headers."""
    lines = [line for line in ctx.segment.lines if not line.is_blank and not is_unit_line(line) and not is_note(line)]
    data = [line for line in lines if line.filled and all(_is_number(c) for c in line.filled)]
    headers = [line for line in lines if line not in data]
    # Jiangsu adds 会议费 and 培训费: the outer 合计 then covers them too.
    wider = any(_item_for(text) in ("meeting", "training") for line in headers for text in line.cells if text)
    cells: list[ThreePublicCell] = []
    year_row = next((line for line in headers if len(_YEAR.findall(" ".join(line.cells))) >= 2), None)
    if year_row is not None and data:
        starts = [
            (pos, int(_YEAR.search(text).group(1))) for pos, text in enumerate(year_row.cells) if _YEAR.search(text)
        ]
        width = max(len(line.cells) for line in lines)
        item_rows = [line for line in headers if line is not year_row]
        for number, (start, year) in enumerate(starts):
            end = starts[number + 1][0] if number + 1 < len(starts) else width
            for column in range(start, end):
                # The deepest header naming the column wins: 小计 under 公务用车购置及运行费.
                texts = [cell(line, column) for line in item_rows if cell(line, column)]
                item = _column_item(texts, wider)
                if item is None:
                    continue
                for line in data:
                    amount = ctx.amount(line, cell(line, column))
                    cells.append(_three_public(ctx, line, year, item, amount))
        return cells
    # One row per year: the first cell names the year.
    item_header = next((line for line in headers if sum(_item_for(c) is not None for c in line.cells) >= 3), None)
    for line in lines:
        match = _YEAR.search(line.cells[0] if line.cells else "")
        if not match or item_header is None or not any(_is_number(c) for c in line.cells[1:] if c):
            continue  # a header naming the year ("2023年“三公”经费预算数") is not a row of figures
        for column, text in enumerate(item_header.cells):
            item = _item_for(text) if text else None
            if item:
                cells.append(_three_public(ctx, line, int(match.group(1)), item, ctx.amount(line, cell(line, column))))
    if not cells and len(data) == 1 and budget_year is not None and not any(_YEAR.search(c) for c in data[0].cells):
        width = max(len(line.cells) for line in lines)
        for column in range(width):
            texts = [cell(line, column) for line in headers if cell(line, column)]
            item = _column_item(texts, wider)
            if item:
                cells.append(_three_public(ctx, data[0], budget_year, item, ctx.amount(data[0], cell(data[0], column))))
    if not cells and data and budget_year is None:
        ctx.problem(data[0], "三公 table: cannot tell which year each figure belongs to")
    return cells


def _three_public(ctx: TableContext, line: Line, year: int, item: str, amount) -> ThreePublicCell:
    return ThreePublicCell(
        ctx.source_file,
        ctx.table_id,
        line.number,
        year,
        item,
        amount.value if amount else None,
        amount.decimals if amount else None,
    )


def _is_number(text: str) -> bool:
    return bool(re.match(r"^[\d,.\-—]+$", normalise_text(text).replace(" ", "")))
