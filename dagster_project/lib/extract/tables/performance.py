"""Parsers for the performance tables: T10 (整体绩效目标) and T11 (项目绩效目标, one block per project).

Published indicator rows are often shifted by a column (a merged label cell dropped or
doubled when the PDF was turned into text). Each row is anchored on its operator cell
(`=`, `>`, `≥`, `定性`…), whose column the header names, and every other field is read at
the header's position plus that row's shift. A row that still lacks a weight cell has
truly lost it (RULES T11-a: 电子政务外网等级测评), and keeps `weight = None`.
"""

from __future__ import annotations

import re

from ..amounts import find_unit_declaration, normalise_text, parse_amount
from ..lines import Line
from ..records import IndicatorRecord, PerformanceTarget, ProjectRecord
from ..segments import classify_title
from .grid import TableContext, cell, header_columns, is_unit_line

_OPERATORS = {"=", ">", "<", "≥", "≤", ">=", "<=", "≧", "≦", "定性", "定量", "-", "—"}
_LEVEL1 = {"产出指标", "效益指标", "满意度指标", "成本指标"}
# The merged 绩效指标 label printed vertically leaves single characters in column 0.
_LABEL_FRAGMENT = re.compile(r"^[绩效指标\s]+$")

_INDICATOR_COLUMNS = [
    ("weight", re.compile(r"权重|分值")),
    ("unit", re.compile(r"计量单位|度量单位|单位")),
    ("operator", re.compile(r"性质|符号")),
    ("value", re.compile(r"指标值|目标值")),
    ("level1", re.compile(r"一级")),
    ("level2", re.compile(r"二级")),
    ("label", re.compile(r"^绩效指标$|^绩$")),
    ("name", re.compile(r"三级|指标名称|^指标$")),
]
_CODE_NAME = re.compile(r"^([0-9A-Za-z]{3,})\s*[-－—]\s*(.+)$")


def _key(text: str | None) -> str:
    return re.sub(r"\s", "", normalise_text(text or ""))


def _is_indicator_header(line: Line) -> bool:
    keys = [_key(text) for text in line.cells]
    named = any("三级" in k or k == "指标" for k in keys)
    return named and any("权重" in k or "指标值" in k or "目标值" in k for k in keys)


def _labelled_value(line: Line, label: re.Pattern[str]) -> tuple[str | None, int | None]:
    """The value that follows a label: after its colon in the same cell, or in the next filled cell."""
    for pos, text in enumerate(line.cells):
        key = normalise_text(text)
        match = label.search(key)
        if not match:
            continue
        rest = key[match.end() :].lstrip(":：) ")
        if rest and not rest.startswith("("):
            return rest.strip(), pos
        following = next((c for c in line.cells[pos + 1 :] if c), None)
        return following, pos
    return None, None


def read_indicators(
    ctx: TableContext, header: Line, rows: list[Line], project_code: str | None, project_name: str | None
) -> list[IndicatorRecord]:
    columns = header_columns([header], _INDICATOR_COLUMNS)
    if "operator" not in columns and "name" in columns and "value" in columns:
        return _inline_indicators(ctx, columns, rows, project_code, project_name)
    if "operator" not in columns or "name" not in columns:
        ctx.problem(header, "indicator header lacks 指标性质 or the indicator name column")
        return []
    indicators: list[IndicatorRecord] = []
    level1 = level2 = None
    for line in rows:
        if line.is_blank:
            continue
        shift = _operator_shift(line, columns["operator"])
        if shift is None:
            ctx.problem(line, f"indicator row without an operator cell: {line.plain[:50]!r}")
            continue
        name_pos = columns["name"] + shift
        name = cell(line, name_pos)
        if not name:
            ctx.problem(line, "indicator row without an indicator name")
            continue
        labels = [
            text
            for text in line.cells[: max(name_pos, 0)]
            if text and _key(text) != _key(name) and not (_LABEL_FRAGMENT.match(text) and _key(text) not in _LEVEL1)
        ]
        row_level1 = next((t for t in labels if _key(t) in _LEVEL1), None)
        row_level2 = next((t for t in reversed(labels) if _key(t).endswith("指标") and _key(t) not in _LEVEL1), None)
        if row_level1:
            level1, level2 = row_level1, None
        if row_level2:
            level2 = row_level2
        weight_text = cell(line, columns["weight"] + shift) if "weight" in columns else None
        try:
            weight = parse_amount(weight_text)
        except ValueError:
            ctx.problem(line, f"cannot read weight {weight_text!r}")
            weight = None
        positional_level1 = cell(line, columns["level1"] + shift) if "level1" in columns else None
        target = (
            normalise_text(cell(line, columns["operator"] + shift) or "") or None,
            cell(line, columns["value"] + shift) if "value" in columns else None,
            cell(line, columns["unit"] + shift) if "unit" in columns else None,
        )
        realigned = shift != 0 or (bool(positional_level1) and _key(positional_level1) not in _LEVEL1)
        project = (project_code, project_name)
        weight_value = weight.value if weight else None
        indicators.append(
            _indicator(ctx, line, project, len(indicators) + 1, (level1, level2), name, target, weight_value, realigned)
        )
    return indicators


# "≥13459.00(平方米)": the operator, the value and its unit printed in one 指标值 cell.
_INLINE_VALUE = re.compile(r"^(?P<operator>>=|<=|≥|≤|≧|≦|>|<|=)?\s*(?P<value>[^()]*?)\s*(?:\((?P<unit>[^()]+)\))?$")


def _inline_indicators(
    ctx: TableContext, columns: dict[str, int], rows: list[Line], project_code: str | None, project_name: str | None
) -> list[IndicatorRecord]:
    """Indicators whose 指标值 carries its operator and unit (Shanghai's 财政项目支出绩效目标
    填报表: 一级 | 二级 | 三级指标 | 年度指标值, no 指标性质, 度量单位 or 权重 column). What the
    form does not print (an operator before a bare value, a weight) stays empty."""
    indicators: list[IndicatorRecord] = []
    project = (project_code, project_name)
    level1 = level2 = None
    for line in rows:
        name = (cell(line, columns["name"]) or "").strip()
        if line.is_blank or not name:
            continue
        printed_level1 = cell(line, columns.get("level1"))
        if printed_level1 and _key(printed_level1) in _LEVEL1:
            level1 = printed_level1
        level2 = (cell(line, columns.get("level2")) or "").strip() or level2
        written = normalise_text(cell(line, columns["value"]) or "").strip()
        match = _INLINE_VALUE.match(written)
        operator, value, unit = (
            (match.group("operator"), match.group("value"), match.group("unit")) if match else (None, written, None)
        )
        # As printed: an operator or weight the form does not print stays empty.
        target = (operator, value or None, unit)
        indicators.append(
            _indicator(ctx, line, project, len(indicators) + 1, (level1, level2), name, target, None, False)
        )
    return indicators


def _indicator(
    ctx: TableContext,
    line: Line,
    project: tuple[str | None, str | None],
    order: int,
    levels: tuple[str | None, str | None],
    name: str,
    target: tuple[str | None, str | None, str | None],
    weight,
    realigned: bool,
) -> IndicatorRecord:
    """An indicator row: project (code, name), levels (一级, 二级), target (operator, value, unit)."""
    return IndicatorRecord(
        ctx.source_file, ctx.table_id, line.number, *project, order, *levels, name, *target, weight, realigned
    )


def _operator_shift(line: Line, operator_column: int) -> int | None:
    positions = [pos for pos, text in enumerate(line.cells) if normalise_text(text).strip() in _OPERATORS]
    if not positions:
        return None
    return min(positions, key=lambda pos: abs(pos - operator_column)) - operator_column


# --- T10 ------------------------------------------------------------------------

_T10_UNIT = re.compile(r"(?:部门|单位).*名称")
_T10_BUDGET = re.compile(r"(?:支出)?预算数|资金总额")
_T10_GOAL = re.compile(r"整体绩效目标|年度.*目标|总体目标")


def parse_department_target(ctx: TableContext) -> tuple[PerformanceTarget | None, list[IndicatorRecord]]:
    lines = [line for line in ctx.segment.lines if not line.is_blank and not is_unit_line(line)]
    header_pos = next((pos for pos, line in enumerate(lines) if _is_indicator_header(line)), None)
    head = lines[:header_pos] if header_pos is not None else lines
    unit_name = budget = goal = None
    budget_line = None
    for line in head:
        unit_name = unit_name or _labelled_value(line, _T10_UNIT)[0]
        goal = goal or _labelled_value(line, _T10_GOAL)[0]
        value, _ = _labelled_value(line, _T10_BUDGET)
        if budget is None and value is not None:
            budget = ctx.amount(line, value)
            budget_line = line.number
    target = PerformanceTarget(
        ctx.source_file,
        ctx.table_id,
        lines[0].number if lines else ctx.segment.title_line,
        unit_name,
        budget.value if budget else None,
        budget.decimals if budget else None,
        budget_line,
        goal,
    )
    if header_pos is None:
        ctx.problem(lines[0] if lines else None, "T10 has no indicator header (指标 / 指标权重)")
        return target, []
    return target, read_indicators(ctx, lines[header_pos], lines[header_pos + 1 :], None, None)


# --- T11 ------------------------------------------------------------------------

_LABELS = {
    "unit": re.compile(r"填报单位"),
    "project": re.compile(r"项目名称"),
    "department": re.compile(r"主管部门"),
    "executor": re.compile(r"实施单位"),
    "execution_weight": re.compile(r"预算执行率权重(?:\([^)]*\))?"),
    "total": re.compile(r"年度资金(?:申请)?总额"),
    "fiscal": re.compile(r"财政拨款"),
    "other": re.compile(r"其他资金"),
    "goal": re.compile(r"总体目标|年度目标"),
}


def _split_code(text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    match = _CODE_NAME.match(normalise_text(text).strip())
    return (match.group(1), text.split(match.group(1), 1)[1].lstrip(" -－—")) if match else (None, text.strip())


def parse_project_targets(ctx: TableContext) -> tuple[list[ProjectRecord], list[IndicatorRecord]]:
    lines = [
        line
        for line in ctx.segment.lines
        if not line.is_blank and not is_unit_line(line) and not (len(line.filled) == 1 and classify_title(line.plain))
    ]
    starts = [pos for pos, line in enumerate(lines) if _labelled_value(line, _LABELS["unit"])[1] is not None]
    if not starts:
        starts = [pos for pos, line in enumerate(lines) if _labelled_value(line, _LABELS["project"])[1] is not None]
    projects: list[ProjectRecord] = []
    indicators: list[IndicatorRecord] = []
    unnamed: list[Line] = []
    for number, start in enumerate(starts):
        block = lines[start : starts[number + 1] if number + 1 < len(starts) else len(lines)]
        project, block_indicators = _parse_block(ctx, block)
        if project is not None:
            projects.append(project)
            indicators.extend(block_indicators)
        else:
            unnamed.append(block[0])
    if unnamed:
        # One problem for the table: a layout of projects this parser does not read (Beijing's
        # one row per project under a header row) spoils every block the same way.
        where = ", ".join(str(line.number) for line in unnamed)
        ctx.problem(unnamed[0], f"{len(unnamed)} project block(s) without a 项目名称 (lines {where}): not read")
    return projects, indicators


def _parse_block(ctx: TableContext, block: list[Line]) -> tuple[ProjectRecord | None, list[IndicatorRecord]]:
    found: dict[str, tuple[str | None, Line]] = {}
    header_pos = next((pos for pos, line in enumerate(block) if _is_indicator_header(line)), len(block))
    for line in block[:header_pos]:
        for key, label in _LABELS.items():
            if key not in found:
                value, pos = _labelled_value(line, label)
                if pos is not None:
                    found[key] = (value, line)
    project_value, project_line = found.get("project", (None, block[0]))
    project_code, project_name = _split_code(project_value)
    if not project_name:
        return None, []  # reported once for the table (parse_project_targets)
    unit_code, unit_name = _split_code((found.get("executor") or found.get("unit") or (None, None))[0])
    department_code, department_name = _split_code(found.get("department", (None, None))[0])
    # "项目资金（元）": the unit of the block's amounts, in the label of their row.
    labels = (normalise_text(line.plain).replace("(", "单位:") for line in block[:header_pos])
    money_unit = next((unit for label in labels if (unit := find_unit_declaration(label))), None)
    amounts = {}
    for key in ("total", "fiscal", "other"):
        value, line = found.get(key, (None, None))
        amounts[key] = ctx.amount(line, value, money_unit) if line is not None else None
    weight_value, weight_line = found.get("execution_weight", (None, None))
    try:
        weight = parse_amount(weight_value)
    except ValueError:
        ctx.problem(weight_line, f"cannot read 预算执行率权重 {weight_value!r}")
        weight = None
    funds_line = found.get("total", (None, None))[1]
    goal, goal_line = found.get("goal", (None, None))
    decimals = [a.decimals for a in amounts.values() if a is not None]
    project = ProjectRecord(
        ctx.source_file,
        ctx.table_id,
        project_line.number,
        project_code,
        project_name,
        unit_code,
        unit_name,
        department_code,
        department_name,
        weight.value if weight else None,
        *(amounts[k].value if amounts[k] else None for k in ("total", "fiscal", "other")),
        max(decimals) if decimals else None,
        funds_line.number if funds_line else None,
        goal,
        goal_line.number if goal_line else None,
    )
    if header_pos == len(block):
        ctx.problem(project_line, f"project {project_name!r} has no indicator table")
        return project, []
    return project, read_indicators(ctx, block[header_pos], block[header_pos + 1 :], project_code, project_name)
