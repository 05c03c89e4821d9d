"""T4: the 三公 expenses, by item and year (budget year and prior year)."""

from __future__ import annotations

import re

from ..amounts import Amount, normalise_text
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
    ("total", re.compile(r"合计|总计|总额")),
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
    # Rows of figures; a year printed alone on its line (a title broken by the PDF) is not one.
    data = [
        line
        for line in lines
        if line.filled
        and all(_is_number(c) for c in line.filled)
        and not re.fullmatch(r"(?:19|20)\d{2}", "".join(line.filled).strip())
    ]
    headers = [line for line in lines if line not in data]
    # Jiangsu adds 会议费 and 培训费: the outer 合计 then covers them too.
    wider = any(_item_for(text) in ("meeting", "training") for line in headers for text in line.cells if text)
    cells: list[ThreePublicCell] = []
    # The figures: rows of numbers only, or (Zhejiang, Shaanxi) a 合计 row over one row per unit.
    total_row = next((line for line in lines if _is_total_row(line)), None)
    figure_rows = data or ([total_row] if total_row else [])
    year_row = next((line for line in headers if sum(_block_year(c, budget_year) != 0 for c in line.cells) >= 2), None)
    if year_row is not None and figure_rows:
        # A block of changes (增减变化) starts where it starts but holds no year's figures.
        starts = [
            (pos, year) for pos, text in enumerate(year_row.cells) if (year := _block_year(text, budget_year)) != 0
        ]
        width = max(len(line.cells) for line in lines)
        item_rows = [line for line in headers if line is not year_row and line.number < figure_rows[0].number]
        for number, (start, year) in enumerate(starts):
            end = starts[number + 1][0] if number + 1 < len(starts) else width
            if year is None:
                continue
            for column in range(start, end):
                # The deepest header naming the column wins: 小计 under 公务用车购置及运行费.
                texts = [cell(line, column) for line in item_rows if cell(line, column)]
                item = _column_item(texts, wider)
                if item is None:
                    continue
                for line in figure_rows:
                    amount = ctx.amount(line, cell(line, column))
                    cells.append(_three_public(ctx, line, year, item, amount))
        return cells
    by_fund = _rows_split_by_fund(ctx, lines, headers, wider)
    if by_fund:
        return by_fund
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
    # The budget year's figures alone, under the item headers.
    row = data[0] if len(data) == 1 else total_row
    if not cells and row is not None and budget_year is not None and not any(_YEAR.search(c) for c in row.cells):
        width = max(len(line.cells) for line in lines)
        above = [line for line in headers[: headers.index(row)]] if row in headers else headers
        for column in range(1 if row is total_row else 0, width):
            texts = [cell(line, column) for line in above if cell(line, column)]
            item = _column_item(texts, wider)
            if item:
                cells.append(_three_public(ctx, row, budget_year, item, ctx.amount(row, cell(row, column))))
    if not cells:
        cells = _items_down_rows(ctx, lines, budget_year)
    if not cells and data and budget_year is None:
        ctx.problem(data[0], "三公 table: cannot tell which year each figure belongs to")
    return cells


def _rows_split_by_fund(
    ctx: TableContext, lines: list[Line], headers: list[Line], wider: bool
) -> list[ThreePublicCell]:
    """One row per year whose items are each split by fund (Shenzhen: 因公出国(境)费 over
    一般公共预算 | 政府性基金预算 | 国有资本经营预算): an item is the sum of its fund columns.
    A merged header cell prints its name over its first column only; it heads the columns
    up to the next name."""
    fund_row = next((line for line in headers if sum("一般公共预算" in label_key(c) for c in line.cells) >= 2), None)
    if fund_row is None:
        return []
    filled_rows = []
    for line in headers:
        if line is fund_row or _YEAR.search(" ".join(line.cells)):
            continue
        carried, row = "", []
        for text in line.cells:
            carried = text if text.strip() else carried
            row.append(carried)
        filled_rows.append(row)
    columns: dict[str, list[int]] = {}
    for column, fund in enumerate(fund_row.cells):
        texts = [row[column] for row in filled_rows if column < len(row) and row[column]]
        item = _column_item(texts, wider) if fund.strip() else None
        if item is not None:
            columns.setdefault(item, []).append(column)
    cells: list[ThreePublicCell] = []
    for line in lines:
        year = next((_YEAR.search(text) for text in line.cells[:2] if _YEAR.fullmatch(text.strip())), None)
        if year is None or not any(_is_number(c) for c in line.cells if c):
            continue
        for item, item_columns in columns.items():
            amounts = [ctx.amount(line, cell(line, column)) for column in item_columns]
            stated = [amount for amount in amounts if amount is not None]
            total = Amount(sum(a.value for a in stated), max(a.decimals for a in stated)) if stated else None
            cells.append(_three_public(ctx, line, int(year.group(1)), item, total))
    return cells


_RELATIVE_YEAR = re.compile(r"^(上年|去年|当年|本年|今年)(?:预算)?(?:数)?$|^增减")


def _block_year(text: str, budget_year: int | None) -> int | None:
    """The year a header cell heads a block of: "2025年", or (Shaanxi) 上年 / 当年 relative to
    the budget year; None for a block of changes (增减变化情况); 0 for a cell naming no year."""
    match = _YEAR.search(text)
    if match:
        return int(match.group(1))
    relative = _RELATIVE_YEAR.match(label_key(text))
    if not relative:
        return 0
    if relative.group(1) is None or budget_year is None:
        return None
    return budget_year - 1 if relative.group(1) in ("上年", "去年") else budget_year


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


def _items_down_rows(ctx: TableContext, lines: list[Line], budget_year: int | None) -> list[ThreePublicCell]:
    """Items listed down the page (Fujian: 项目 | 预算数, then 合计, 1、因公出国（境）费用, …,
    其中：（1）公务用车购置费): each item's row, in the column of the budget year, or the one
    amount column."""

    def row_item(label: str) -> str | None:
        # "“三公”经费 | 19.86" over its items (Guangzhou) is the 三公 total
        return _item_for(label) or ("total" if "三公" in label_key(label) else None)

    rows = [(line, row_item(line.filled[0])) for line in lines if len(line.filled) >= 2]
    rows = [(line, item) for line, item in rows if item is not None and _is_number(line.filled[-1])]
    if len(rows) < 3 or budget_year is None:
        return []
    header = next((line for line in lines if line.filled and not any(_is_number(c) for c in line.filled)), None)
    years = [(pos, _block_year(text, budget_year)) for pos, text in enumerate(header.cells if header else ())]
    dated = [pos for pos, year in years if year == budget_year]
    if len({year for _, year in years if year}) > 1 and not dated:
        return []  # several years, none of them the budget year: which column is it?
    # The budget year's column, else the 合计 column (beside the funds it adds up), else the one amount.
    totals = [
        pos
        for pos, text in enumerate(header.cells if header else ())
        if re.fullmatch(r"合计|总计|小计", label_key(text))
    ]
    column = dated[0] if dated else totals[0] if totals else None
    cells = []
    for line, item in rows:
        text = cell(line, column) if column is not None else line.filled[-1]
        cells.append(_three_public(ctx, line, budget_year, item, ctx.amount(line, text)))
    return cells


def _is_total_row(line: Line) -> bool:
    """合计 or 总计 (after a 序号, Shaanxi) followed by numbers only."""
    filled = line.filled
    position = next((pos for pos, text in enumerate(filled) if not _is_number(text)), None)
    if position is None or not re.fullmatch(r"合计|总计", label_key(filled[position])):
        return False
    rest = filled[position + 1 :]
    return bool(rest) and all(_is_number(text) for text in rest)


def _is_number(text: str) -> bool:
    return bool(re.match(r"^[\d,.\-—]+$", normalise_text(text).replace(" ", "")))
