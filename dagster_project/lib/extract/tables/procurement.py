"""Parser for T9 政府采购明细表: procurement lines by category (货物 / 工程 / 服务).

Flat tables give one line per item with its category in a column; hierarchical ones
(Jiangsu) indent items under project and category subtotal rows, which are not items."""

from __future__ import annotations

import re
from decimal import Decimal

from ..amounts import Amount, normalise_text, parse_amount
from ..lines import Line
from ..records import ProcurementItem
from .grid import TableContext, cell, header_columns, is_note, is_unit_line

_COLUMNS = [
    ("category", re.compile(r"类别|类型|品目")),
    ("quantity", re.compile(r"数量")),
    ("amount", re.compile(r"金额|预算|合计|总计")),
    ("name", re.compile(r"项目|名称|内容")),
]
_CATEGORIES = (("goods", "货物"), ("works", "工程"), ("services", "服务"))
_TOTAL = re.compile(r"^(?:合计|总计)$")


def _category(text: str | None) -> str | None:
    return next((key for key, word in _CATEGORIES if word in (text or "")), None)


def parse_procurement_table(ctx: TableContext) -> list[ProcurementItem]:
    lines = [line for line in ctx.segment.lines if not line.is_blank and not is_unit_line(line) and not is_note(line)]
    header_end = next((pos for pos, line in enumerate(lines) if any(_looks_like_amount(c) for c in line.cells)), None)
    if header_end is None:
        return []
    columns = header_columns(lines[:header_end], _COLUMNS)
    if "amount" not in columns or "name" not in columns:
        ctx.problem(lines[0], "T9 header lacks the item name or amount column")
        return []
    rows = lines[header_end:]
    # Items are the rows naming how they are bought, where the table has that column
    # (Jiangsu: its PDF rulings shift cells between pages, so content decides, not position);
    # elsewhere every row that does not add up the rows indented under it.
    with_form = {line.number for line in rows if any(_PURCHASE_FORM.search(normalise_text(c)) for c in line.cells)}
    subtotals = (
        {line.number for line in rows if line.number not in with_form}
        if with_form
        else _subtotal_rows(rows, columns["amount"])
    )
    items = []
    category: str | None = None  # the category a heading row (一、货物A) opens for the rows under it
    for order, line in enumerate(rows, start=1):
        is_total = bool(_TOTAL.match(re.sub(r"\s", "", normalise_text(line.filled[0] if line.filled else ""))))
        if line.number in subtotals and not is_total:
            category = (_category(line.filled[0]) if line.filled else None) or category
            continue
        name = (cell(line, columns["name"]) or "").strip()
        amount_cell = cell(line, columns["amount"])
        if line.number in with_form:
            name = _item_name(line) or name
            if not _looks_like_amount(amount_cell or ""):
                # Shifted, or printed in one cell with the form when a wrapped name broke the row.
                tokens = [token for text in line.cells for token in text.split()]
                amount_cell = next((t for t in reversed(tokens) if _looks_like_amount(t)), amount_cell)
        amount = ctx.amount(line, amount_cell)
        category_text = cell(line, columns.get("category"))
        items.append(
            ProcurementItem(
                ctx.source_file,
                ctx.table_id,
                line.number,
                order,
                name or line.filled[0],
                _category(category_text) or (None if is_total else _category(name) or category),
                cell(line, columns.get("quantity")),
                amount.value if amount else None,
                amount.decimals if amount else None,
                is_total,
            )
        )
    return items


# 采购组织形式: how an item is bought (分散自行组织, 政府集中采购, 部门集中采购, 委托代理…).
_PURCHASE_FORM = re.compile(r"^(?:分散|集中|政府集中|部门集中|自行|委托)\S{0,6}(?:组织|采购|代理)(?:\s|$)")


def _item_name(line: Line) -> str | None:
    """The item's name: the text just before its 采购组织形式 cell."""
    texts = [c.strip() for c in line.cells if c.strip() and not _looks_like_amount(c)]
    form = next((pos for pos, text in enumerate(texts) if _PURCHASE_FORM.search(normalise_text(text))), None)
    return texts[form - 1] if form else None


def _depth(line: Line) -> int:
    return next((pos for pos, text in enumerate(line.cells) if text.strip()), len(line.cells))


def _subtotal_rows(rows: list[Line], amount_column: int) -> set[int]:
    """Lines that sum the rows indented under them (Jiangsu: 一、货物A → 专项 → 采购物品).

    A row is a subtotal when the rows after it that start further right, up to the next row
    starting no further right, begin with rows whose amounts add up to its own. Adding up is
    what tells a subtotal from a row whose first cell is merged into the row above (a flat
    table's category printed once), which also starts further left than the rows under it.
    """
    amounts = [_silent_amount(cell(line, amount_column)) for line in rows]
    depths = [_depth(line) for line in rows]
    subtotals: set[int] = set()
    for pos, line in enumerate(rows):
        total = amounts[pos]
        end = next((j for j in range(pos + 1, len(rows)) if depths[j] <= depths[pos]), len(rows))
        if total is None or end == pos + 1:
            continue
        direct = min(depths[j] for j in range(pos + 1, end))
        parts = [amounts[j] for j in range(pos + 1, end) if depths[j] == direct]
        if any(part is None for part in parts):
            continue
        # Within the rounding envelope: half a unit of the last printed decimal of each figure.
        tolerance = sum(Decimal(5) / 10 ** (figure.decimals + 1) for figure in [total, *parts])
        if abs(sum(part.value for part in parts) - total.value) <= tolerance:
            subtotals.add(line.number)
    return subtotals


def _silent_amount(text: str | None) -> Amount | None:
    try:
        return parse_amount(text)
    except ValueError:
        return None  # the row's own reading reports it


def _looks_like_amount(text: str) -> bool:
    return bool(re.match(r"^[\d,]+\.\d+$|^[\d,]{2,}$", normalise_text(text).strip()))
