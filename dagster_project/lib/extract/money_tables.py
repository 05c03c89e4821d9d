"""Parsers for the money tables: T1 (收支总表), T2/T5/T8 and T3 (subject tables), T4 (三公)."""

from __future__ import annotations

import re

from .amounts import is_amount, normalise_text
from .classification import function_class_code
from .grid import TableContext, cell, header_columns, is_note, is_unit_line
from .layout import Line
from .records import SubjectCell, SummaryCell, ThreePublicCell

_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})$")
_CODE_AND_NAME = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*(\D.*)$")
_TOTAL_LABEL = re.compile(r"^(?:合计|总计)$")

_FUNCTION_COLUMNS = [
    ("basic", re.compile(r"基本支出")),
    ("project", re.compile(r"项目支出")),
    ("reserve", re.compile(r"预留|机动")),
    ("code", re.compile(r"编码|代码")),
    ("name", re.compile(r"名称")),
    ("total", re.compile(r"总计|合计|预算数|小计|金额$")),
]
# T7 部门收入总表: function subjects × income sources.
_INCOME_COLUMNS = [
    ("fiscal", re.compile(r"财政拨款")),  # Shanghai: all 财政拨款 in one column
    ("general_public", re.compile(r"一般公共预算")),
    ("gov_fund", re.compile(r"政府性基金")),
    ("state_capital", re.compile(r"国有资本")),
    ("special_account", re.compile(r"财政专户")),
    ("operating", re.compile(r"经营收入")),
    ("business", re.compile(r"事业收入")),
    ("other_income", re.compile(r"其他收入")),
    ("carryover", re.compile(r"上年结转|结转结余")),
    ("code", re.compile(r"编码|代码")),
    ("name", re.compile(r"名称")),
    ("total", re.compile(r"总计|合计|小计")),
]
INCOME_SOURCE_COLUMNS = tuple(key for key, _ in _INCOME_COLUMNS if key not in ("code", "name", "total"))
_ECONOMIC_COLUMNS = [
    ("personnel", re.compile(r"人员")),
    ("public", re.compile(r"公用")),
    ("code", re.compile(r"编码|代码")),
    ("name", re.compile(r"名称")),
    ("total", re.compile(r"总计|合计|预算数|小计|金额$")),
]


def _label_key(text: str) -> str:
    return re.sub(r"\s", "", normalise_text(text))


def parse_subject_table(ctx: TableContext) -> list[SubjectCell]:
    """T2, T3, T5, T7, T8: one line per subject code (类/款/项) and a 合计 line."""
    economic = ctx.table_id == "T3"
    vocabulary = {"T3": _ECONOMIC_COLUMNS, "T7": _INCOME_COLUMNS}.get(ctx.table_id, _FUNCTION_COLUMNS)
    lines = [line for line in ctx.segment.lines if not line.is_blank and not is_unit_line(line)]
    first_data = next((pos for pos, line in enumerate(lines) if _data_row_start(line)), None)
    if first_data is None:
        totals = _totals_only_row(ctx, lines, vocabulary)
        if not totals and ctx.table_id == "T7":
            totals = _income_list(ctx, lines)
        if totals:
            return totals
        with_amounts = next((line for line in lines if any(is_amount(c) for c in line.cells)), None)
        if with_amounts is not None:
            # Amounts but no line by subject code (Jiangsu's 收入预算总表 lists income sources,
            # its 支出预算总表 one line of totals): a layout this parser does not read, not an
            # empty table.
            ctx.problem(with_amounts, f"{ctx.table_id}: amounts without subject-code lines; this layout is not read")
        return []
    columns = header_columns(lines[:first_data], vocabulary)
    amount_keys = [
        key
        for key in ("total", "basic", "project", "reserve", "personnel", "public", *INCOME_SOURCE_COLUMNS)
        if key in columns
    ]
    if "total" not in columns:
        ctx.problem(lines[first_data], "no 总计/合计 column found in the header")
        return []
    cells: list[SubjectCell] = []
    for order, line in enumerate(lines[first_data:], start=1):
        if is_note(line):
            continue
        parsed = _subject_and_values(line, columns)
        if parsed is None:
            ctx.problem(line, f"unrecognised row in {ctx.table_id}: {line.plain[:60]!r}")
            continue
        code, name, shift = parsed
        if code is None and not _TOTAL_LABEL.match(_label_key(name)):
            ctx.problem(line, f"row without a subject code: {name[:40]!r}")
            continue
        name, trailing_amount = _split_trailing_amount(name)
        for key in amount_keys:
            text = cell(line, columns[key] + shift)
            if amount_keys == ["total"] and not is_amount(text or ""):
                # One amount column: a row whose cells a PDF's ruling shifted (Jiangsu) still
                # has its one amount, the last number printed on it.
                text = trailing_amount or next((c for c in reversed(line.cells) if is_amount(c)), text)
            amount = ctx.amount(line, text)
            cells.append(
                SubjectCell(
                    ctx.source_file,
                    ctx.table_id,
                    "economic" if economic else "function",
                    line.number,
                    order,
                    code,
                    name,
                    key,
                    amount.value if amount else None,
                    amount.decimals if amount else None,
                )
            )
    return cells


def _totals_only_row(ctx: TableContext, lines: list[Line], vocabulary) -> list[SubjectCell]:
    """A table of one unlabelled row of amounts under its column names (Jiangsu's 支出预算总表:
    合计 | 基本支出 | 项目支出 | 单位预留机动经费): its 合计 row. The amounts go to the names at
    their positions, or, where a PDF's ruling shifted them, in order."""
    rows = [line for line in lines if line.filled and all(is_amount(c) for c in line.filled)]
    if len(rows) != 1:
        return []
    row = rows[0]
    header = lines[: lines.index(row)]
    named = [
        (position, key)
        for line in header
        for position, text in enumerate(line.cells)
        if text.strip() and (key := next((k for k, pattern in vocabulary if pattern.search(_label_key(text))), None))
    ]
    named = [(position, key) for position, key in named if key not in ("code", "name")]
    if not any(key == "total" for _, key in named):
        return []
    amounts = [(position, text) for position, text in enumerate(row.cells) if text.strip()]
    names = dict(named)
    if all(position in names for position, _ in amounts):
        pairs = [(names[position], text) for position, text in amounts]
    else:
        pairs = [(key, text) for (_, key), (_, text) in zip(named, amounts, strict=False)]
    return [_total_row_cell(ctx, row, row, key, text) for key, text in pairs]


def _total_row_cell(ctx: TableContext, row: Line, amount_line: Line, key: str, text: str | None) -> SubjectCell:
    """One cell of a table's 合计 row (subject_code null), on `row`, read from `amount_line`."""
    amount = ctx.amount(amount_line, text)
    return SubjectCell(
        ctx.source_file,
        ctx.table_id,
        "economic" if ctx.table_id == "T3" else "function",
        row.number,
        1,
        None,
        "合计",
        key,
        amount.value if amount else None,
        amount.decimals if amount else None,
    )


def _income_list(ctx: TableContext, lines: list[Line]) -> list[SubjectCell]:
    """Income sources listed down the page instead of across (Jiangsu's 收入预算总表: 收入总计,
    then 一般公共预算资金 小计 over its own sources, …, 其他资金 over 事业收入 and 其他收入): the
    合计 row of a T7, one cell per source. A group line that names a source stands for the
    lines indented under it; a group that names none (其他资金) is stood for by them. All cells
    carry the 收入总计 line, as the cells of one row do."""

    def source(text: str) -> str | None:
        key = _label_key(text)
        return next((k for k, pattern in _INCOME_COLUMNS if k in INCOME_SOURCE_COLUMNS and pattern.search(key)), None)

    labelled = [(line, [t for t in line.cells if t.strip() and not is_amount(t)]) for line in lines]
    labelled = [(line, labels) for line, labels in labelled if labels]
    depth = {line.number: next(pos for pos, t in enumerate(line.cells) if t.strip()) for line, _ in labelled}
    top = min(depth.values(), default=0)
    found: dict[str, tuple[Line, str | None]] = {}
    group_keyed = False
    for line, labels in labelled:
        if "收入总计" in _label_key("".join(labels)) or _label_key(labels[0]) in ("合计", "总计"):
            key: str | None = "total"
        elif depth[line.number] == top:
            # A group's line, its name vertically centred beside one of its parts.
            key = source(labels[0])
            group_keyed = key is not None
            if key is None and len(labels) > 1:
                key = source(labels[1])
        elif group_keyed:
            continue  # a part of a source already taken whole
        else:
            key = source(labels[0])
        if key is not None and key not in found:
            found[key] = (line, next((text for text in reversed(line.cells) if is_amount(text)), None))
    if "total" not in found or len(found) < 2:
        return []
    total_line = found["total"][0]
    return [_total_row_cell(ctx, total_line, line, key, text) for key, (line, text) in found.items()]


def _split_trailing_amount(name: str) -> tuple[str, str | None]:
    """ "案件审判 1,833.30" (code, name and amount printed as one cell): the name and the amount."""
    parts = name.rsplit(maxsplit=1)
    if len(parts) == 2 and is_amount(parts[1]):
        return parts[0], parts[1]
    return name, None


def _data_row_start(line: Line) -> bool:
    """A subject line starts with its code; the 合计 line is recognised by carrying amounts."""
    first = normalise_text(line.filled[0]) if line.filled else ""
    if _CODE.match(first) or _CODE_AND_NAME.match(first):
        return True
    # The first filled cells: PDF grids can put empty cells before the label.
    labelled_total = any(_TOTAL_LABEL.match(_label_key(text)) for text in line.filled[:2])
    return labelled_total and any(is_amount(text) for text in line.cells)


def _subject_and_values(line: Line, columns: dict[str, int]) -> tuple[str | None, str, int] | None:
    """(code, name, column shift) of a subject line; the shift is -1 when code and name share a cell."""
    code_col = columns.get("code", 0)
    name_col = columns.get("name", code_col + 1)
    first = normalise_text(cell(line, code_col) or "").strip()
    if _CODE.match(first):
        return first, (cell(line, name_col) or "").strip(), 0
    merged = _CODE_AND_NAME.match(first)
    if merged and name_col == code_col + 1:
        return merged.group(1), merged.group(2).strip(), -1
    label = _label_key(first) or _label_key(cell(line, name_col) or "")
    if _TOTAL_LABEL.match(label):
        return None, label, 0
    return _displaced_subject(line, code_col)


def _displaced_subject(line: Line, code_col: int) -> tuple[str | None, str, int] | None:
    """A subject line whose cells a PDF's ruling moved off the header's columns (Jiangsu:
    the code under no header, or code, name and amount in one cell): the code is the first
    filled cell, the name the next text; the shift is how far the code moved."""
    position = next((pos for pos, text in enumerate(line.cells) if text.strip()), None)
    if position is None or position == code_col:
        return None
    first = normalise_text(line.cells[position]).strip()
    if _CODE.match(first):
        name = next((t for t in line.cells[position + 1 :] if t.strip() and not is_amount(t)), "")
        return first, name.strip(), position - code_col
    merged = _CODE_AND_NAME.match(first)
    if merged:
        return merged.group(1), merged.group(2).strip(), position - code_col - 1
    return None


# --- T1 财政拨款收支总表 -------------------------------------------------------

_T1_EXPENDITURE_COLUMNS = [
    ("general_public", re.compile(r"一般公共预算")),
    ("gov_fund", re.compile(r"政府性基金")),
    ("state_capital", re.compile(r"国有资本")),
    ("total", re.compile(r"合计|小计|总计|预算数|金额")),
]


# Expenditure by kind (支出用途), where a template lists it instead of function classes.
_EXPENDITURE_KIND = re.compile(
    r"^(?:[一二三四五六七八九十]+、)?(?:基本支出|项目支出|单位预留机动经费|事业单位经营支出|上缴上级支出)$"
)


def _t1_role(side: str, label: str, section: str | None) -> tuple[str, str | None]:
    """(row role, section after this row) from the label's meaning."""
    key = _label_key(label)
    if side == "income":
        if "本年收入" in key or "当年收入" in key:
            return "current_total", "current"
        if "收入总计" in key or key in ("总计", "收入合计"):
            return "grand_total", section
        if "上年结转" in key or "结转结余" in key:
            return "carryover_total", "carryover"
        return ("carryover_source" if section == "carryover" else "source"), section
    # 本年支出合计 (this year's subtotal) also contains 支出合计: the specific label first.
    if "本年支出" in key or "当年支出" in key:
        return "current_total", "current"
    if "结转下年" in key or "年末结转" in key:
        return "carryforward", "carryforward"
    if "支出合计" in key or "支出总计" in key or key in ("合计", "总计"):
        return "grand_total", section
    if _EXPENDITURE_KIND.search(key):
        return "kind", section
    return "class", section


def _summary_columns(lines: list[Line]) -> tuple[int, int, int, int, dict[str, int]] | None:
    """(last header row, income label, income amount, expenditure label, expenditure amount
    columns) of a T1/T6 table: one header row naming 项目 twice, or (Jiangsu) several rows
    whose joined text names 项目 for income and 功能科目名称 for expenditure by class."""
    header_pos = next(
        (pos for pos, line in enumerate(lines) if sum("项目" in _label_key(c) for c in line.cells) >= 2), None
    )
    if header_pos is not None:
        header = lines[header_pos]
        item_columns = [pos for pos, text in enumerate(header.cells) if "项目" in _label_key(text)]
        income_label, expenditure_label = item_columns[0], item_columns[1]
        exp_header = Line(header.number, header.text, header.cells[expenditure_label + 1 :])
        exp_columns = {
            key: pos + expenditure_label + 1
            for key, pos in header_columns([exp_header], _T1_EXPENDITURE_COLUMNS).items()
        }
        return header_pos, income_label, income_label + 1, expenditure_label, exp_columns
    first_data = next((pos for pos, line in enumerate(lines) if any(is_amount(c) for c in line.cells)), None)
    if not first_data:
        return None
    width = max(len(line.cells) for line in lines[:first_data])
    joined = [_label_key("".join(cell(line, c) or "" for line in lines[:first_data])) for c in range(width)]
    income_label = next((c for c, text in enumerate(joined) if "项目" in text), None)
    expenditure_label = next((c for c, text in enumerate(joined) if "功能" in text and "名称" in text), None)
    if expenditure_label is None and income_label is not None:
        # Expenditure by kind only (Jiangsu 财政拨款收支预算总表: 支出用途 | 项目名称 | 金额).
        expenditure_label = next(
            (c for c, text in enumerate(joined) if c > income_label and ("名称" in text or "项目" in text)), None
        )
    if income_label is None or expenditure_label is None or expenditure_label <= income_label:
        return None
    # 金额 under the income block; PDF grids can leave empty columns between label and amount.
    income_amount = next((c for c in range(income_label + 1, expenditure_label) if "金额" in joined[c]), None)
    exp_columns: dict[str, int] = {}
    for column in range(expenditure_label + 1, width):
        if "名称" in joined[column] or "项目" in joined[column]:
            break  # the next block (支出用途: expenditure by kind) starts
        for key, pattern in _T1_EXPENDITURE_COLUMNS:
            if pattern.search(joined[column]) and key not in exp_columns:
                exp_columns[key] = column
                break
    return first_data - 1, income_label, income_amount or income_label + 1, expenditure_label, exp_columns


# Income listed at two levels (Jiangsu 收支预算总表: "一、财政拨款" over "1.一般公共预算" and
# "2.政府性基金预算"): the numbered lines under a 一、 line are its parts, not more sources.
_TOP_ITEM = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")
_SUB_ITEM = re.compile(r"^(?:\d+\s*[.、．]|[(（]\d+[)）])")
# Rows whose amount a template may print under another block's column (Jiangsu prints
# 当年支出小计 and 支出合计 in the last column, under 支出用途, not under 功能分类).
_TOTAL_ROLES = ("current_total", "carryforward", "grand_total")


def parse_summary_table(ctx: TableContext) -> list[SummaryCell]:
    """T1 and T6: income sources on the left, expenditure by function class on the right."""
    lines = [line for line in ctx.segment.lines if not line.is_blank and not is_unit_line(line)]
    layout = _summary_columns(lines)
    if layout is None:
        ctx.problem(lines[0] if lines else None, "T1 header with income and expenditure 项目 columns not found")
        return []
    header_pos, income_label, income_amount, expenditure_label, exp_columns = layout
    cells: list[SummaryCell] = []
    sections: dict[str, str | None] = {"income": None, "expenditure": None}
    under_top_item = False
    rows = lines[header_pos + 1 :]
    for order, line in enumerate(rows, start=1):
        if is_note(line):
            continue
        for side, label_col, amount_cols in (
            ("income", income_label, {"amount": income_amount}),
            ("expenditure", expenditure_label, exp_columns),
        ):
            label = (cell(line, label_col) or "").strip()
            if side == "expenditure" and (not label or is_amount(label)):
                displaced = _displaced_expenditure_label(line, income_amount + 1)
                if displaced is None:
                    continue
                label_col, label = displaced
                amount_cols = {"total": None}  # the first amount right of the label
            if not label:
                continue
            role, sections[side] = _t1_role(side, label, sections[side])
            if side == "income" and role == "source":
                if _TOP_ITEM.match(normalise_text(label)):
                    under_top_item = True
                elif under_top_item and _SUB_ITEM.match(normalise_text(label)):
                    role = "source_part"
            code = function_class_code(label) if side == "expenditure" and role == "class" else None
            if side == "expenditure" and role == "class" and code is None:
                label, code = _wrapped_class_name(label, rows[order] if order < len(rows) else None)
            if side == "expenditure" and role == "class" and code is None:
                ctx.problem(line, f"expenditure line {label!r} names no known function class")
            for key, column in amount_cols.items():
                text = (
                    cell(line, column)
                    if column is not None
                    else next((c for c in line.cells[label_col + 1 :] if is_amount(c)), None)
                )
                if not text and side == "expenditure" and role in _TOTAL_ROLES and key == "total":
                    text = next((c for c in reversed(line.cells[label_col + 1 :]) if is_amount(c)), None)
                amount = ctx.amount(line, text)
                cells.append(
                    SummaryCell(
                        ctx.source_file,
                        ctx.table_id,
                        line.number,
                        side,
                        order,
                        label,
                        role,
                        code,
                        key,
                        amount.value if amount else None,
                        amount.decimals if amount else None,
                    )
                )
    return cells


def _displaced_expenditure_label(line: Line, first_column: int) -> tuple[int, str] | None:
    """An expenditure label printed off its column (a PDF whose rulings break mid-table, as
    in the Jiangsu 收支预算总表): the first cell right of the income block that names a
    function class, a kind of expenditure or an expenditure total, with its column."""
    for column in range(first_column - 1, len(line.cells)):
        text = (line.cells[column] or "").strip()
        if not text or is_amount(text):
            continue
        if function_class_code(text) is not None or _t1_role("expenditure", text, None)[0] in (*_TOTAL_ROLES, "kind"):
            return column, text
    return None


def _wrapped_class_name(label: str, following: Line | None) -> tuple[str, str | None]:
    """A class name broken over two lines ("八、社会保障和就" + "业支出"): the next line holds
    only the rest of it."""
    if following is not None and len(following.filled) == 1 and not is_amount(following.filled[0]):
        joined = label + following.filled[0].strip()
        code = function_class_code(joined)
        if code is not None:
            return joined, code
    return label, None


# --- T4 三公 -------------------------------------------------------------------

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
    if item in ("total", "vehicle_subtotal") and re.fullmatch(r"小计|合计|总计", _label_key(texts[deepest])):
        parents = [_label_key(text) for text in texts[:deepest]]
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
    key = _label_key(text)
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
