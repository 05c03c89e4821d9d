"""Summary tables: T1 财政拨款收支总表 and T6 部门收支总表, income and expenditure side by side."""

from __future__ import annotations

import re

from ..amounts import is_amount, normalise_text
from ..classification import function_class_code
from ..lines import Line
from ..records import SummaryCell
from .grid import TableContext, cell, header_columns, is_note, is_unit_line, label_key

_T1_EXPENDITURE_COLUMNS = [
    ("general_public", re.compile(r"一般公共预算")),
    ("gov_fund", re.compile(r"政府性基金")),
    ("state_capital", re.compile(r"国有资本")),
    ("total", re.compile(r"合计|小计|总计|预算数|金额|^预算$")),
]


# Expenditure by kind (支出用途), where a template lists it instead of function classes.
_EXPENDITURE_KIND = re.compile(
    r"^(?:[一二三四五六七八九十]+、|\d+\s*[.、]|[(（]\d+[)）])?"
    r"(?:基本支出|项目支出|单位预留机动经费|事业单位经营支出|上缴上级支出|人员经费|人员支出|日常公用经费|公用经费)$"
)


_FUND_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、)?(?:部门预算|财政拨款)$")


def _t1_role(side: str, label: str, section: str | None) -> tuple[str, str | None]:
    """(row role, section after this row) from the label's meaning."""
    key = label_key(label)
    if side == "income":
        if "本年收入" in key or "当年收入" in key:
            return "current_total", "current"
        if "收入总计" in key or key in ("总计", "收入合计"):
            return "grand_total", section
        if re.search(r"上年结转|结转结余|上年结余|结余、?结转|结转和结余", key):
            return "carryover_total", "carryover"
        return ("carryover_source" if section == "carryover" else "source"), section
    if _FUND_HEADING.match(key):
        return "heading", section  # "一、部门预算" over the classes (Shaanxi): the total restated
    # 本年支出合计 (this year's subtotal) also contains 支出合计: the specific label first.
    if "本年支出" in key or "当年支出" in key:
        return "current_total", "current"
    if "结转下年" in key or "年末结转" in key or "年终结转" in key:  # Beijing: 年终结转结余
        return "carryforward", "carryforward"
    if "支出合计" in key or "支出总计" in key or key in ("合计", "总计"):
        return "grand_total", section
    if _EXPENDITURE_KIND.search(key):
        return "kind", section
    return "class", section


def _item_columns(line: Line) -> list[int]:
    """Label columns of a one-row header: 项目 for income, then 项目 or (Shaanxi) 支出功能分类科目
    for expenditure; later label columns (经济分类科目 beside it) follow."""
    keys = [label_key(text) for text in line.cells]
    income = next((pos for pos, key in enumerate(keys) if "项目" in key), None)
    if income is None:
        return []
    return [income] + [pos for pos, key in enumerate(keys) if pos > income and ("项目" in key or "科目" in key)]


def _summary_columns(lines: list[Line]) -> tuple[int, int, int, int, dict[str, int]] | None:
    """(last header row, income label, income amount, expenditure label, expenditure amount
    columns) of a T1/T6 table: one header row naming 项目 twice, or (Jiangsu) several rows
    whose joined text names 项目 for income and 功能科目名称 for expenditure by class."""
    header_pos = next((pos for pos, line in enumerate(lines) if len(_item_columns(line)) >= 2), None)
    if header_pos is not None:
        header = lines[header_pos]
        item_columns = _item_columns(header)
        income_label, expenditure_label = item_columns[:2]
        # The expenditure block ends where the next label column (经济分类科目) starts.
        end = item_columns[2] if len(item_columns) > 2 else len(header.cells)
        header_rows = [header]
        # A second header row naming the amount columns under 预算数 (Shandong: 总计 | 一般公共预算
        # | 政府性基金预算 | 国有资本经营预算), no amounts and nothing under the label columns: it
        # is the header's, not a 总计 line of the table.
        while header_pos + 1 < len(lines) and _names_amount_columns(
            lines[header_pos + 1], income_label, expenditure_label
        ):
            header_pos += 1
            header_rows.append(lines[header_pos])
        exp_header = [Line(row.number, row.text, row.cells[expenditure_label + 1 : end]) for row in header_rows]
        exp_columns = {
            key: pos + expenditure_label + 1 for key, pos in header_columns(exp_header, _T1_EXPENDITURE_COLUMNS).items()
        }
        return header_pos, income_label, income_label + 1, expenditure_label, exp_columns
    first_data = next((pos for pos, line in enumerate(lines) if any(is_amount(c) for c in line.cells)), None)
    if not first_data:
        return None
    width = max(len(line.cells) for line in lines[:first_data])
    joined = [label_key("".join(cell(line, c) or "" for line in lines[:first_data])) for c in range(width)]
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


def _names_amount_columns(line: Line, income_label: int, expenditure_label: int) -> bool:
    labels = (cell(line, income_label) or "").strip() or (cell(line, expenditure_label) or "").strip()
    names = [text for text in line.cells[expenditure_label + 1 :] if text.strip()]
    return not labels and len(names) >= 2 and not any(is_amount(text) for text in line.cells)


# Income listed at two levels (Jiangsu 收支预算总表: "一、财政拨款" over "1.一般公共预算" and
# "2.政府性基金预算"): the numbered lines under a 一、 line are its parts, not more sources.
_FUND = re.compile(r"^(?:一般公共预算|政府性基金|国有资本经营)")
_FISCAL = re.compile(r"(?:[一二三四五六七八九十]+[、.．])?财政拨款(?:收入)?")
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
    under_top_item = under_fiscal = False
    class_seen = False
    rows = lines[header_pos + 1 :]
    # A table carried over pages repeats its header rows: they are not rows of the table.
    repeated = {label_key(line.plain) for line in lines[: header_pos + 1]} | {label_key(ctx.segment.title)}
    for order, line in enumerate(rows, start=1):
        if is_note(line) or label_key(line.plain) in repeated:
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
                if under_fiscal and _FUND.search(label_key(label)):
                    # (Zhejiang) "一、财政拨款" over "一般公共预算", "政府性基金预算", unnumbered:
                    # the three funds are the parts of 财政拨款.
                    role = "source_part"
                elif not _SUB_ITEM.match(normalise_text(label)):
                    # "一、财政拨款", or (Shenzhen's T1) "财政拨款" unnumbered: the numbered
                    # lines under it ("1.一般公共预算拨款") are its parts.
                    under_top_item = True
                    under_fiscal = bool(_FISCAL.fullmatch(label_key(label)))
                elif under_top_item:
                    role = "source_part"
            code = function_class_code(label) if side == "expenditure" and role == "class" else None
            if side == "expenditure" and role == "class" and code is None:
                label, code = _wrapped_class_name(label, rows[order] if order < len(rows) else None)
            if side == "expenditure" and role == "class":
                if code is not None:
                    class_seen = True
                elif class_seen and not _TOP_ITEM.match(normalise_text(label)):
                    # The hierarchy given by names (Shenzhen: "一、一般公共服务支出" over
                    # "统计信息事务" over "行政运行"): a line under a class that names no class
                    # is one of its 款 or 项, a part of it, not another class to add.
                    role = "class_part"
                else:
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
