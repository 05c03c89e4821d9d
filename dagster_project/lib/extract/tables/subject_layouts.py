"""Layouts of subject tables beyond one line per code: codes printed as their 类 | 款 | 项
parts, the unit's own line as the total, kinds printed only as their parts, amounts a PDF moved
off their header's columns, and tables cross-classified by two dimensions."""

from __future__ import annotations

import dataclasses
import re

from ..amounts import Amount, is_amount, normalise_text
from ..lines import Line
from ..records import SubjectCell
from .grid import TableContext, cell, label_key

# A code alone, or before its name; some templates bracket it ("[2010501]行政运行").
CODE = re.compile(r"^[\[【]?(\d{3}(?:\d{2}){0,2})[\]】]?$")
# A code and its name in one cell ("2010301行政运行"); never an amount's digits ("15897.44").
CODE_AND_NAME = re.compile(r"^[\[【]?(\d{3}(?:\d{2}){0,2})[\]】]?\s*([^\d.,，\s].*)$")


def cross_classified(header: list[Line], economic: bool) -> bool:
    """A table whose lines pair a subject with a subject of another classification (Beijing's
    支出总表: 功能科目 × 经济科目; Shandong's T3: 部门经济分类 × 政府经济分类)."""
    texts = [label_key(text) for line in header for text in line.cells if text.strip()]
    if not economic:
        return any("经济分类" in text for text in texts)
    return sum("科目编码" in text or "经济分类科目名称" in text for text in texts) >= 3 or any(
        "政府预算支出经济分类" in text or "政府支出经济分类" in text for text in texts
    )


def coded_by_parts(line: Line, parents: dict[int, str], name_col: int) -> tuple[str, str, int] | None:
    """A 款 or 项 line whose code is printed as its own two digits in a 类 | 款 | 项 column
    (Shandong: "201 一般公共服务支出", then " | 05 | 统计信息事务", then " |  | 01 | 行政运行"):
    the full code from the 类 and 款 above it; the shift is how far its name moved."""
    filled = [(position, text.strip()) for position, text in enumerate(line.cells) if text.strip()]
    if not filled or not re.fullmatch(r"\d{2}", filled[0][1]) or filled[0][0] == 0 or 3 not in parents:
        return None
    position, part = filled[0]
    name = next(((p, t) for p, t in filled[1:] if not is_amount(t)), None)
    if name is None:
        return None
    parent = parents[3] if position == 1 or 5 not in parents else parents[5]
    if position == 1 and 5 in parents and parents[5][:3] != parents[3]:
        parents.pop(5)
    return parent + part, name[1], name[0] - name_col


def unit_total_row(lines: list[Line], first_data: int) -> Line | None:
    """The line just above the first subject line that carries the table's totals under the
    unit's name instead of 合计 (Shenzhen: 预算单位 | 科目编码 | 科目名称 | 支出总计 …, the
    unit's own line first), or None."""
    if first_data == 0:
        return None
    line = lines[first_data - 1]
    label = normalise_text(line.filled[0]) if line.filled else ""
    amounts = [text for text in line.filled[1:] if is_amount(text)]
    if not amounts or is_amount(label) or CODE.match(label) or len(amounts) < len(line.filled) - 1:
        return None
    return line


def kinds_without_subtotal(header: list[Line], columns: dict[str, int]) -> dict[str, list[int]]:
    """Kinds of expenditure printed only as their parts (Zhejiang: 基本支出 over 人员支出 |
    公用经费, no 小计 column): kind → the columns whose sum is the kind's amount."""
    if len(header) < 2:
        return {}
    top, below = header[0], header[1]
    split: dict[str, list[int]] = {}
    for key, word in (("basic", "基本支出"), ("project", "项目支出")):
        start = columns.get(key)
        if start is None or word not in label_key(cell(top, start) or ""):
            continue
        span = [start]
        while cell(top, span[-1] + 1) == "" and (cell(below, span[-1] + 1) or "").strip():
            span.append(span[-1] + 1)
        parts = [label_key(cell(below, column) or "") for column in span]
        if len(span) >= 2 and not any(re.search(r"小计|合计", part) for part in parts):
            split[key] = span
    return split


def sum_of(ctx: TableContext, line: Line, columns: list[int]):
    stated = [amount for column in columns if (amount := ctx.amount(line, cell(line, column))) is not None]
    if not stated:
        return None
    return Amount(sum(a.value for a in stated), max(a.decimals for a in stated))


_LABEL_HEADER = re.compile(r"科目|名称|编码|代码|单位|^项目$")


def amount_columns(header: list[Line]) -> tuple[set[int], set[int]]:
    """Header columns that can hold amounts (named, not naming a label) and the label columns
    (科目编码, 科目名称, …)."""
    width = max((len(row.cells) for row in header), default=0)
    texts = ["".join(label_key(row.cells[c]) for row in header if c < len(row.cells)) for c in range(width)]
    labels = {column for column, text in enumerate(texts) if text and _LABEL_HEADER.search(text)}
    return {column for column, text in enumerate(texts) if text and column not in labels}, labels


def aligned_shift(line: Line, columns: tuple[set[int], set[int]], shift: int) -> int:
    """The column shift under which every amount printed on the line sits under an amount
    column of the header. A merged label cell ("合 计" across the code and name columns)
    makes a PDF drop an empty cell, and the amounts move one column left of the header's. A
    number under a label column (a second classification's code, 50101) is not an amount."""
    amounts, labels = columns
    filled = [pos for pos, text in enumerate(line.cells) if text.strip()]
    printed = [
        pos
        for pos in filled[1:]
        if is_amount(line.cells[pos]) and not (pos - shift in labels and CODE.match(line.cells[pos].strip()))
    ]

    def fits(candidate: int) -> bool:
        return all(pos - candidate in amounts for pos in printed)

    if not printed or fits(shift):
        return shift
    return next((s for s in sorted(range(shift - 2, shift + 3), key=lambda s: abs(s - shift)) if fits(s)), shift)


def by_subject(cells: list[SubjectCell]) -> list[SubjectCell]:
    """A cross-classified table (one line per 功能科目 × 经济科目, or 部门经济科目 × 政府经济科目)
    states a subject's amount as the sum of its lines: one cell per subject and column, on the
    subject's first line."""
    merged: dict[tuple[str | None, str], SubjectCell] = {}
    for item in cells:
        key = (item.subject_code, item.column_key)
        kept = merged.get(key)
        if kept is None or item.subject_code is None:
            merged.setdefault(key, item)
            continue
        amounts = [a for a in (kept.amount_wan_yuan, item.amount_wan_yuan) if a is not None]
        merged[key] = dataclasses.replace(
            kept,
            amount_wan_yuan=sum(amounts) if amounts else None,
            decimals=max((d for d in (kept.decimals, item.decimals) if d is not None), default=None),
        )
    return list(merged.values())
