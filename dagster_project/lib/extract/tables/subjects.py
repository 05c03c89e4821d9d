"""Subject tables: T2, T5 and T8 by function subject, T3 by economic subject, T7 by income
source; one row per code (类/款/项) and a 合计 row."""

from __future__ import annotations

import re

from ..amounts import is_amount, normalise_text
from ..lines import Line
from ..records import SubjectCell
from .grid import TableContext, cell, header_columns, is_note, is_unit_line, label_key
from .subject_layouts import (
    CODE,
    CODE_AND_NAME,
    aligned_shift,
    amount_columns,
    by_subject,
    coded_by_parts,
    cross_classified,
    kinds_without_subtotal,
    sum_of,
    unit_total_row,
)

_TOTAL_LABEL = re.compile(r"^(?:合计|总计)$")

_FUNCTION_COLUMNS = [
    ("basic", re.compile(r"基本支出")),
    ("project", re.compile(r"项目支出|专项业务经费")),  # Shaanxi: 专项业务经费支出
    # 单位预留机动经费; not "预留给中小企业" (a procurement column beside the kinds).
    ("reserve", re.compile(r"预留(?!给)|机动")),
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
    unit_total = unit_total_row(lines, first_data)
    header = lines[: first_data - 1] if unit_total else lines[:first_data]
    columns = header_columns(header, vocabulary)
    if economic:
        # 政府经济分类 beside 部门经济分类 (Beijing): T3's subjects are the 部门 codes (301…).
        department = next(
            (
                column
                for column in range(max(len(line.cells) for line in header))
                # the codes' column, not the names' ("部门经济分类科目名称" beside a 科目编码 column)
                if re.search(r"部门.*经济分类(?!.*名称)", "".join(label_key(cell(row, column) or "") for row in header))
            ),
            None,
        )
        if department is not None:
            columns["code"] = department
    if "fiscal" in columns and "general_public" in columns:
        # 财政拨款 over its funds (小计 | 一般公共预算 | 政府性基金 …): the funds are the sources,
        # the 财政拨款 column their subtotal, not one more source to add.
        del columns["fiscal"]
    amount_keys = [
        key
        for key in ("total", "basic", "project", "reserve", "personnel", "public", *INCOME_SOURCE_COLUMNS)
        if key in columns
    ]
    if "total" not in columns:
        ctx.problem(lines[first_data], "no 总计/合计 column found in the header")
        return []
    cells: list[SubjectCell] = []
    parents: dict[int, str] = {}
    amount_positions = amount_columns(header)
    split_kinds = kinds_without_subtotal(header, columns)
    if not economic and "basic" not in columns:
        # 基本支出 printed as its two parts only (Shaanxi: 人员经费支出 | 公用经费支出).
        parts = header_columns(header, _ECONOMIC_COLUMNS)
        if "personnel" in parts and "public" in parts:
            columns["basic"] = parts["personnel"]
            split_kinds["basic"] = [parts["personnel"], parts["public"]]
            amount_keys.insert(1, "basic")
    first_header = label_key(header[0].filled[0]) if header and header[0].filled else ""
    # A table by unit: its first column names the unit (单位名称 | 总计 | …), or its code column
    # is the unit's (Shaanxi: 序号 | 单位编码 | 单位名称 | 合计 …, the department's 119 and its
    # units' 119001 under the 合计 line). Its lines are units, not subjects.
    unit_codes = "code" in columns and "单位" in "".join(label_key(cell(row, columns["code"]) or "") for row in header)
    by_unit = unit_codes or bool(re.search(r"单位名称|预算单位|单位$", first_header))
    # A table carried over pages repeats its title and header rows: they are not subject lines.
    repeated = {label_key(line.plain) for line in header} | {label_key(ctx.segment.title)}
    for order, line in enumerate(lines[len(header) :], start=1):
        if is_note(line) or label_key(line.plain) in repeated:
            continue
        parsed = (
            (None, "合计", 0)
            if line is unit_total
            else coded_by_parts(line, parents, columns.get("name", 1)) or _subject_and_values(line, columns)
        )
        if parsed is not None and parsed[0] is not None and len(parsed[0]) in (3, 5):
            parents[len(parsed[0])] = parsed[0]  # the 类 and 款 the next parts belong to
        if by_unit and (parsed is None or (unit_codes and parsed[0] is not None)):
            continue  # one line per unit under the 合计 line (单位名称 | 总计 | …): not a subject
        if parsed is None:
            ctx.problem(line, f"unrecognised row in {ctx.table_id}: {line.plain[:60]!r}")
            continue
        code, name, shift = parsed
        if len(amount_keys) > 1:
            shift = aligned_shift(line, amount_positions, shift)
        if code is None and not _TOTAL_LABEL.match(label_key(name)):
            ctx.problem(line, f"row without a subject code: {name[:40]!r}")
            continue
        name, trailing_amount = _split_trailing_amount(name)
        line, name = _name_run_into_amount(line, columns["total"] + shift, name)
        for key in amount_keys:
            text = cell(line, columns[key] + shift)
            if amount_keys == ["total"] and not is_amount(text or ""):
                # One amount column: a row whose cells a PDF's ruling shifted (Jiangsu) still
                # has its one amount, the last number printed on it.
                text = trailing_amount or next((c for c in reversed(line.cells) if is_amount(c)), text)
            if key in split_kinds:
                amount = sum_of(ctx, line, [column + shift for column in split_kinds[key]])
            else:
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
    if cross_classified(header, economic):
        return by_subject(cells)
    return cells


def _totals_only_row(ctx: TableContext, lines: list[Line], vocabulary) -> list[SubjectCell]:
    """A table of one unlabelled row of amounts under its column names (Jiangsu's 支出预算总表:
    合计 | 基本支出 | 项目支出 | 单位预留机动经费): its 合计 row. The amounts go to the names at
    their positions, or, where a PDF's ruling shifted them, in order."""
    # Amounts only, or (Shenzhen) the unit's name and its amounts.
    rows = [
        line
        for line in lines
        if len(line.filled) >= 2 and all(is_amount(c) for c in line.filled[1:]) and not CODE.match(line.filled[0])
    ]
    if len(rows) != 1:
        return []
    row = rows[0]
    header = lines[: lines.index(row)]
    named = [
        (position, key)
        for line in header
        for position, text in enumerate(line.cells)
        if text.strip() and (key := next((k for k, pattern in vocabulary if pattern.search(label_key(text))), None))
    ]
    named = [(position, key) for position, key in named if key not in ("code", "name")]
    if not any(key == "total" for _, key in named):
        return []
    amounts = [(position, text) for position, text in enumerate(row.cells) if is_amount(text)]
    names = _column_roles(header, vocabulary)
    if all(position in names for position, _ in amounts):
        pairs = [(names[position], text) for position, text in amounts if names[position]]
    else:
        pairs = [(key, text) for (_, key), (_, text) in zip(named, amounts, strict=False)]
    return [_total_row_cell(ctx, row, row, key, text) for key, text in pairs]


_CARRYOVER = re.compile(r"上年结转|结转结余")


def _column_roles(header: list[Line], vocabulary) -> dict[int, str | None]:
    """Each header column's role, reading a group label over the columns it spans (Beijing's
    收入总表: 合计 | 本年收入 over 小计 + its sources | 上年结转结余 over 小计 + its funds).
    A group's 小计 and the parts of the carry-over group are not sources of their own (None):
    the sources are this year's parts and the carry-over's 小计."""
    width = max((len(line.cells) for line in header), default=0)
    spanned: list[list[str]] = [[] for _ in range(width)]
    for depth, line in enumerate(header):
        carried = ""
        for column in range(width):
            text = label_key(cell(line, column) or "")
            if text:
                carried = text
            # Only a label above the last header row spans the columns to its right.
            spanned[column].append(text or (carried if depth < len(header) - 1 else ""))
    roles: dict[int, str | None] = {}
    groups_with_subtotal = {texts[0] for texts in spanned if len(texts) > 1 and "小计" in "".join(texts[1:])}
    for column, texts in enumerate(spanned):
        own, joined = texts[-1] if texts else "", "".join(dict.fromkeys(t for t in texts if t))
        if not joined:
            continue
        group = texts[0] if len(texts) > 1 else ""
        if _CARRYOVER.search(joined):
            subtotal = "小计" in own or group not in groups_with_subtotal
            roles[column] = "carryover" if subtotal else None
        elif "小计" in own and group and group != own:
            roles[column] = None  # the subtotal of a group's sources
        else:
            roles[column] = next((key for key, pattern in vocabulary if pattern.search(joined)), None)
    return {column: role for column, role in roles.items() if role not in ("code", "name")}


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
        key = label_key(text)
        return next((k for k, pattern in _INCOME_COLUMNS if k in INCOME_SOURCE_COLUMNS and pattern.search(key)), None)

    labelled = [(line, [t for t in line.cells if t.strip() and not is_amount(t)]) for line in lines]
    labelled = [(line, labels) for line, labels in labelled if labels]
    depth = {line.number: next(pos for pos, t in enumerate(line.cells) if t.strip()) for line, _ in labelled}
    top = min(depth.values(), default=0)
    found: dict[str, tuple[Line, str | None]] = {}
    group_keyed = False
    for line, labels in labelled:
        if "收入总计" in label_key("".join(labels)) or label_key(labels[0]) in ("合计", "总计"):
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


_RUN_ON_NAME = re.compile(r"([^\d\s.,-][^\d]*?)\s*(-?[\d,]*\.?\d+)")


def _name_run_into_amount(line: Line, column: int, name: str) -> tuple[Line, str]:
    """A name too long for its cell that the PDF ran on into the amount's ("机关事业单位职业年金" |
    "缴费支出43608.96"): the text is the name's end, the number the amount."""
    text = (cell(line, column) or "").strip()
    run_on = _RUN_ON_NAME.fullmatch(text) if text and not is_amount(text) else None
    if run_on is None:
        return line, name
    cells = list(line.cells)
    cells[column] = run_on.group(2)
    return Line(line.number, line.text, tuple(cells)), name + run_on.group(1)


def _data_row_start(line: Line) -> bool:
    """A subject line starts with its code; the 合计 line is recognised by carrying amounts."""
    first = normalise_text(line.filled[0]) if line.filled else ""
    if CODE.match(first) or CODE_AND_NAME.match(first):
        return True
    # The first filled cells: PDF grids can put empty cells before the label.
    labelled_total = any(_TOTAL_LABEL.match(label_key(text)) for text in line.filled[:2])
    return labelled_total and any(is_amount(text) for text in line.cells)


def _subject_and_values(line: Line, columns: dict[str, int]) -> tuple[str | None, str, int] | None:
    """(code, name, column shift) of a subject line; the shift is -1 when code and name share a cell."""
    code_col = columns.get("code", 0)
    name_col = columns.get("name", code_col + 1)
    first = normalise_text(cell(line, code_col) or "").strip()
    if code := CODE.match(first):
        return code.group(1), (cell(line, name_col) or "").strip(), 0
    merged = CODE_AND_NAME.match(first)
    if merged and name_col in (code_col, code_col + 1):
        # Code and name in one cell: under the code's header (amounts one column left of the
        # header's), or under one 科目名称 header that holds both (amounts where the header says).
        return merged.group(1), merged.group(2).strip(), -1 if "name" in columns and name_col == code_col + 1 else 0
    label = label_key(first) or label_key(cell(line, name_col) or "")
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
    if code := CODE.match(first):
        name = next((t for t in line.cells[position + 1 :] if t.strip() and not is_amount(t)), "")
        return code.group(1), name.strip(), position - code_col
    merged = CODE_AND_NAME.match(first)
    if merged:
        return merged.group(1), merged.group(2).strip(), position - code_col - 1
    return None
