"""Parser for T9 政府采购明细表: procurement lines by category (货物 / 工程 / 服务)."""

from __future__ import annotations

import re

from .amounts import normalise_text
from .grid import TableContext, cell, header_columns, is_note, is_unit_line
from .records import ProcurementItem

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
    items = []
    for order, line in enumerate(lines[header_end:], start=1):
        name = (cell(line, columns["name"]) or "").strip()
        is_total = bool(_TOTAL.match(re.sub(r"\s", "", normalise_text(line.filled[0] if line.filled else ""))))
        amount = ctx.amount(line, cell(line, columns["amount"]))
        category_text = cell(line, columns.get("category"))
        items.append(
            ProcurementItem(
                ctx.source_file,
                ctx.table_id,
                line.number,
                order,
                name or line.filled[0],
                _category(category_text) or (None if is_total else _category(name)),
                cell(line, columns.get("quantity")),
                amount.value if amount else None,
                amount.decimals if amount else None,
                is_total,
            )
        )
    return items


def _looks_like_amount(text: str) -> bool:
    return bool(re.match(r"^[\d,]+\.\d+$|^[\d,]{2,}$", normalise_text(text).strip()))
