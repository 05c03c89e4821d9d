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
from .subject_layouts import CODE, coded_by_parts

_COLUMNS = [
    ("category", re.compile(r"类别|类型|品目|采购目录")),
    ("quantity", re.compile(r"数量")),
    ("amount", re.compile(r"金额")),
    # where no column says 金额; a column of codes ("部门预算支出经济科目编码") holds no amount
    ("amount_otherwise", re.compile(r"^(?!.*(?:编码|代码)).*(?:预算|合计|总计)")),
    ("name", re.compile(r"项目|名称|内容")),
]
_CATEGORIES = (("goods", "货物"), ("works", "工程"), ("services", "服务"))
# The national 政府采购品目分类目录 codes its entries A… (货物), B… (工程), C… (服务):
# "A02010105台式计算机", "C16030200数据加工处理服务".
_CATALOGUE_CODE = {"A": "goods", "B": "works", "C": "services"}
_CATALOGUE_ENTRY = re.compile(r"^([ABC])\d{2,}")
_TOTAL = re.compile(r"^(?:合计|总计)$")
# A category's heading row ("一、货物A", "服务类"); not a project or economic subtotal that
# merely names a service ("商品和服务支出").
_CATEGORY_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.．]\s*)?(?:货物|工程|服务)类?\s*[A-C]?$")


def _category(text: str | None) -> str | None:
    entry = _CATALOGUE_ENTRY.match((text or "").strip())
    if entry:
        return _CATALOGUE_CODE[entry.group(1)]
    # 服务器 (a server) is goods, not a service
    return next((key for key, word in _CATEGORIES if re.search(word + "(?!器)", text or "")), None)


def parse_procurement_table(ctx: TableContext) -> list[ProcurementItem]:
    lines = [line for line in ctx.segment.lines if not line.is_blank and not is_unit_line(line) and not is_note(line)]
    header_end = next((pos for pos, line in enumerate(lines) if any(_looks_like_amount(c) for c in line.cells)), None)
    if header_end is None:
        return []
    columns = header_columns(lines[:header_end], _COLUMNS)
    if "amount_otherwise" in columns:
        columns.setdefault("amount", columns.pop("amount_otherwise"))
    if "amount" not in columns or "name" not in columns:
        ctx.problem(lines[0], "T9 header lacks the item name or amount column")
        return []
    rows = lines[header_end:]
    header_text = "".join(re.sub(r"\s", "", normalise_text(c)) for line in lines[:header_end] for c in line.cells)
    if "科目名称" in header_text and not re.search(r"采购项目|采购品目|采购目录|品目", header_text):
        return _by_function_subject(ctx, rows)
    # Items are the rows naming how they are bought, where the table has that column
    # (Jiangsu: its PDF rulings shift cells between pages, so content decides, not position);
    # elsewhere every row that does not add up the rows indented under it.
    with_form = {line.number for line in rows if any(_PURCHASE_FORM.search(normalise_text(c)) for c in line.cells)}
    subtotals = (
        {line.number for line in rows if line.number not in with_form}
        if with_form
        else _subtotal_rows(rows, columns["amount"]) | _uncategorised_subtotals(rows, columns)
    )
    items = []
    category: str | None = None  # the category a heading row (一、货物A) opens for the rows under it
    for order, line in enumerate(rows, start=1):
        is_total = _is_total(_first_label(line))
        if line.number in subtotals and not is_total:
            heading = normalise_text(line.filled[0]).strip() if line.filled else ""
            if _CATEGORY_HEADING.match(heading):
                category = _category(heading)
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
                # the heading's category (一、货物A) before a guess from the item's name
                _category(category_text) or (None if is_total else category or _category(name)),
                cell(line, columns.get("quantity")),
                amount.value if amount else None,
                amount.decimals if amount else None,
                is_total,
            )
        )
    return items


def _by_function_subject(ctx: TableContext, rows: list[Line]) -> list[ProcurementItem]:
    """A 政府采购预算表 by function subject (Shandong: 科目编码 | 科目名称 | 合计 …, codes printed
    as 类 | 款 | 项 parts): its lines are the classification's hierarchy, not purchases by
    category. The items are its leaves (a 项, or a 类 or 款 nothing follows under), each with
    the first amount right of its name; no category is stated."""
    parents: dict[int, str] = {}
    lines: list[tuple[Line, str | None, str, Amount | None]] = []
    for line in rows:
        filled = [(pos, text.strip()) for pos, text in enumerate(line.cells) if text.strip()]
        if not filled:
            continue
        full = CODE.match(re.sub(r"\s", "", normalise_text(filled[0][1])))
        # (code, the name's position in `filled`): a full code before its name, a code printed
        # as its 类 | 款 | 项 parts (its name found by coded_by_parts), or a line naming no code
        parted = None if full else coded_by_parts(line, parents, 0)
        if full:
            code, name_at = full.group(1), 1
        elif parted:
            code, name_at = parted[0], [pos for pos, _ in filled].index(parted[2])
        else:
            code, name_at = None, 0
        if code is not None and len(code) in (3, 5):
            parents[len(code)] = code
        if name_at >= len(filled):
            continue
        name_pos, name = filled[name_at]
        amount_text = next((text for pos, text in filled if pos > name_pos and _looks_like_amount(text)), None)
        lines.append((line, code, name, ctx.amount(line, amount_text)))
    items = []
    for index, (line, code, name, amount) in enumerate(lines):
        is_total = code is None and _is_total(name)
        following = lines[index + 1][1] if index + 1 < len(lines) else None
        over_parts = code is not None and following is not None and following.startswith(code)
        if over_parts or (code is None and not is_total):
            continue  # a 类 or 款 over its parts, or a line that names no subject
        items.append(
            ProcurementItem(
                ctx.source_file,
                ctx.table_id,
                line.number,
                index + 1,
                name,
                None,
                None,
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


def _is_total(label: str) -> bool:
    return bool(_TOTAL.match(re.sub(r"\s", "", normalise_text(label))))


def _first_label(line: Line) -> str:
    """The line's first cell after its 序号 (a row number printed in a column of its own)."""
    return next((text for text in line.filled if not re.fullmatch(r"\s*\d{1,3}\s*", text)), "")


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
        if _adds_up(total, parts):
            subtotals.add(line.number)
    return subtotals


def _uncategorised_subtotals(rows: list[Line], columns: dict[str, int]) -> set[int]:
    """Where items state their category (采购目录 "A02010105台式计算机"), a row without one whose
    amount is the sum of the categorised rows after it, up to the next row without one, sums
    them (Shaanxi: a 资金性质 line and a unit's line over its purchases, all one indent, even
    over a single purchase)."""
    if "category" not in columns:
        return set()
    categorised = [bool(_category(cell(line, columns["category"]))) for line in rows]
    amounts = [_silent_amount(cell(line, columns["amount"])) for line in rows]
    subtotals: set[int] = set()
    for pos, line in enumerate(rows):
        if categorised[pos] or amounts[pos] is None:
            continue
        parts: list[Amount] = []
        for later in range(pos + 1, len(rows)):
            if not categorised[later]:
                if parts:
                    break
                continue
            if amounts[later] is None:
                parts = []
                break
            parts.append(amounts[later])
        if parts and _adds_up(amounts[pos], parts):
            subtotals.add(line.number)
    return subtotals


def _adds_up(total: Amount, parts: list[Amount]) -> bool:
    """Within the rounding envelope: half a unit of the last printed decimal of each figure."""
    tolerance = sum(Decimal(5) / 10 ** (figure.decimals + 1) for figure in [total, *parts])
    return abs(sum(part.value for part in parts) - total.value) <= tolerance


def _silent_amount(text: str | None) -> Amount | None:
    try:
        return parse_amount(text)
    except ValueError:
        return None  # the row's own reading reports it


def _looks_like_amount(text: str) -> bool:
    return bool(re.match(r"^[\d,]+\.\d+$|^[\d,]{2,}$", normalise_text(text).strip()))
