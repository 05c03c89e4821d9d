"""Where the narrative ends and each standard table begins.

Tables are recognised by what their titles mean (docs/data-contracts.md: numbering differs between
counties), never by line numbers. A title is a short line ending in 表 that names a
known table; a numbered entry (`3. …表`) is an entry of the 附表 index instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .amounts import find_unit_declaration, is_amount, normalise_text
from .lines import Line

# Most specific first: "基本支出" titles also contain "一般公共预算", and so on.
_TITLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # a project's form: 项目支出绩效目标表, or 部门专项业务经费绩效目标表 (Shaanxi), one per project
    ("T11", re.compile(r"项目.*绩效目标|专项.*绩效目标")),
    ("T10", re.compile(r"整体.*绩效目标|部门.*绩效目标")),
    ("T4", re.compile(r"三公")),
    ("T9", re.compile(r"政府采购")),
    ("T5", re.compile(r"政府性基金.*(?:支出|收支)")),
    ("T3", re.compile(r"基本支出")),
    ("T1", re.compile(r"财政拨款收支")),
    ("T2", re.compile(r"一般公共预算.*支出")),
    # "收支总表", "收支预算总表", or (Guangdong, Shandong, Hunan, Chongqing) "收支总体情况表".
    ("T6", re.compile(r"收支(?:预算)?总(?:体情况)?表")),
    ("T7", re.compile(r"收入(?:预算)?总(?:体情况)?表")),
    ("T8", re.compile(r"支出(?:预算)?总(?:体情况)?表")),
)

TABLE_NAMES = {
    "T1": "财政拨款收支总表",
    "T2": "一般公共预算财政拨款支出预算表",
    "T3": "一般公共预算财政拨款基本支出预算表",
    "T4": "一般公共预算“三公”经费支出表",
    "T5": "政府性基金预算支出表",
    "T6": "部门收支总表",
    "T7": "部门收入总表",
    "T8": "部门支出总表",
    "T9": "政府采购明细表",
    "T10": "部门（单位）整体绩效目标表",
    "T11": "项目绩效目标表",
}

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# "表二", "附表3", or Jiangsu's "公开08表".
_PRINTED_NUMBER = re.compile(r"^(?:(?:附)?表\s*([一二三四五六七八九十]+|\d+)|公开\s*(\d+)\s*表|公开表\s*(\d+))\s*$")
_INDEX_ENTRY = re.compile(r"^(?:附表\s*[:：]?\s*)?(\d{1,2})\s*[.、．]\s*(.{2,80}?表)\s*$")
_INDEX_START = re.compile(r"^附表\s*[:：]")
# A page's number printed in its footer ("- 18 -", "第 3 页", or digits alone, "1 9" where the
# PDF spaced them): not a line of the table.
_PAGE_NUMBER = re.compile(
    r"^[-—–－]\s*\d{1,3}\s*[-—–－]$|^第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?$|^\d(?:\s?\d){0,2}$"
)
# A narrative section after a table ("二、…情况说明") ends the table: the prose resumes.
_NARRATIVE_SECTION = re.compile(r"^\s*#*\s*[一二三四五六七八九十]+\s*、.*(?:说明|情况)\s*$")
# "第三部分 江苏省人大常委会办公厅": a part of the document begins (Jiangsu), and a table ends.
PART_HEADING = re.compile(r"^第[一二三四五六七八九十\d]+部分\s*")


# Tables some templates add beside the standard ones (Jiangsu: 财政拨款支出 and 财政拨款基本
# 支出 over all fiscal funds, 机关运行经费; Shanghai: 国有资本经营). They end the table before
# them but are not read as a standard table: their rows would double those of T2 and T3.
OTHER_TABLE = "other"
_OTHER_TITLE_PATTERNS = (
    re.compile(r"^(?!.*一般公共预算)(?!.*政府性基金).*财政拨款(?:基本)?支出(?:预算)?表"),
    re.compile(r"^(?!.*三公).*机关运行经费.*表"),
    re.compile(r"国有资本经营预算(?:拨款)?支出"),
    # Tables by the other dimension than the standard one: expenditure (all of it, or the
    # projects') by economic subject, basic expenditure by function subject; project tables
    # over all funds; purchased services, carry-over, meeting and training tables.
    re.compile(r"^(?!.*基本支出).*经济分类"),
    re.compile(r"基本支出.*(?:功能分类|按功能)"),
    re.compile(r"^(?!.*绩效)(?!.*一般公共预算支出).*项目支出.*(?:总表|情况表|预算表|明细表)"),
    re.compile(r"项目支出.*(?:经济分类|及其他支出)"),
    re.compile(r"^(?!.*三公).*(?:政府购买服务|结转(?:结余)?资金|专项业务经费支出|会议费|培训费)"),
)


def classify_title(text: str) -> str | None:
    """The standard table id (T1…T11) a title names, OTHER_TABLE for a known table outside
    the standard ones, or None."""
    normal = normalise_text(text)
    if any(pattern.search(normal) for pattern in _OTHER_TITLE_PATTERNS):
        return OTHER_TABLE
    for table_id, pattern in _TITLE_PATTERNS:
        if pattern.search(normal):
            return table_id
    return None


def chinese_number(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)


@dataclass
class IndexEntry:
    listed_number: int
    title: str
    table_id: str | None
    line: int


@dataclass
class TableSegment:
    table_id: str
    title: str
    title_line: int
    printed_number: int | None
    lines: list[Line] = field(default_factory=list)


@dataclass
class Layout:
    narrative: list[Line]
    index: list[IndexEntry]
    tables: list[TableSegment]
    skipped: list[tuple[str, Line]] = field(default_factory=list)  # (title, title line) not read


# A table of contents prints dot leaders and a page number after each title.
_LEADERS = re.compile(r"\s*[.…·．]{3,}\s*\d*\s*$")
# "详见…表" refers to a table, it does not title one.
_REFERENCE = re.compile(r"^(?:[一二三四五六七八九十]+、\s*\S{0,12}\s*)?(?:详见|参见|见)")


def _without_leaders(text: str) -> str:
    return _LEADERS.sub("", text)


# A title printed in one cell with the department and unit after it (Jiangsu):
# "收支预算总表部门：江苏省政协办公厅 单位：万元".
_TRAILING_DECLARATION = re.compile(r"(?<=表)\s*(?:编制)?(?:部门|单位)\s*[:：].*$")


def _unit_cells(line: Line) -> list[str]:
    """Cells of a title row that declare the money unit ("单位：万元" in the title row's last
    cell, as a table printed from a web page carries it); a lone cell is the title itself."""
    if len(line.filled) < 2:
        return []
    return [text for text in line.filled if find_unit_declaration(text)]


_QUALIFIER = re.compile(r"[(（][^()（）]{0,20}[)）]$")


def _title_candidate(line: Line) -> str | None:
    units = _unit_cells(line)
    filled = [text for text in line.filled if text not in units]
    if len(filled) != 1:
        return None
    text = _TRAILING_DECLARATION.sub("", _without_leaders(normalise_text(filled[0]).strip()))
    # A qualifier after the title: "一般公共预算支出情况表（按功能分类科目）".
    bare = _QUALIFIER.sub("", text)
    if len(text) > 80 or not bare.endswith("表") or _REFERENCE.match(text):
        return None
    if _INDEX_ENTRY.match(text) or _INDEX_START.match(text):
        return None
    return text if classify_title(text) else None


def _index_entry(line: Line) -> IndexEntry | None:
    text = _without_leaders(normalise_text(line.plain).strip())
    match = _INDEX_ENTRY.match(text)
    if not match:
        return None
    title = match.group(2).strip()
    table_id = classify_title(title)
    return IndexEntry(int(match.group(1)), title, None if table_id == OTHER_TABLE else table_id, line.number)


def _printed_number(lines: list[Line], title_pos: int) -> int | None:
    """`表二` printed just above a title (a blank line may sit between)."""
    for pos in range(title_pos - 1, max(title_pos - 3, -1), -1):
        if lines[pos].is_blank:
            continue
        match = _PRINTED_NUMBER.match(normalise_text(lines[pos].plain))
        return chinese_number(match.group(1) or match.group(2) or match.group(3)) if match else None
    return None


def is_column_numbering(line: Line) -> bool:
    """The row under a header that numbers its columns ("** | ** | 1 | 2 | 3", "栏次 | 1 | 2"):
    not a row of figures."""
    numbers = [text.strip() for text in line.filled if not re.fullmatch(r"\*+|栏次|[-—]+", text.strip())]
    return (
        len(numbers) >= 3
        and all(text.isdigit() for text in numbers)
        and [int(t) for t in numbers] == list(range(int(numbers[0]), int(numbers[0]) + len(numbers)))
    )


def _resumes_prose(text: str) -> bool:
    return bool(_NARRATIVE_SECTION.match(text) or PART_HEADING.match(text))


def split_layout(lines: list[Line]) -> Layout:
    """Cut the document into narrative, 附表 index and table segments."""
    starts = [(pos, _title_candidate(line)) for pos, line in enumerate(lines)]
    starts = [(pos, title) for pos, title in starts if title]
    first_table = starts[0][0] if starts else len(lines)

    index: list[IndexEntry] = []
    in_index = False
    for line in lines[:first_table]:
        if _INDEX_START.match(normalise_text(line.plain)):
            in_index = True
        if in_index:
            entry = _index_entry(line)
            if entry:
                index.append(entry)

    tables: list[TableSegment] = []
    skipped: list[tuple[str, Line]] = []
    in_tables: set[int] = set()
    for number, (pos, title) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        resumed = next(
            (at for at in range(pos + 1, end) if _resumes_prose(normalise_text(lines[at].plain).strip())), end
        )
        body = [
            line
            for line in lines[pos + 1 : resumed]
            if not _PRINTED_NUMBER.match(normalise_text(line.plain))
            and not _PAGE_NUMBER.match(line.plain.strip())
            and not is_column_numbering(line)
        ]
        declaration = _TRAILING_DECLARATION.search(normalise_text(lines[pos].plain))
        if declaration:
            body.insert(0, Line(lines[pos].number, declaration.group(0).strip(), (declaration.group(0).strip(),)))
        for unit in _unit_cells(lines[pos]):
            body.insert(0, Line(lines[pos].number, unit, (unit,)))
        table_id = classify_title(title)
        assert table_id is not None
        if not any(len(line.filled) >= 2 for line in body):
            continue  # a heading in the prose that names a table ("一、收支预算总表"), no table
        in_tables.update(range(pos, resumed))
        if table_id == OTHER_TABLE:
            continue  # its lines are neither narrative nor a standard table
        previous = tables[-1] if tables else None
        if previous and previous.table_id == table_id:
            # A repeated title continues the same table: the next project block of
            # table 11, or a table carried over a page break with its title repeated.
            previous.lines.append(lines[pos])
            previous.lines.extend(body)
            continue
        kept = next((table for table in tables if table.table_id == table_id), None)
        if (
            kept is not None
            and kept.title == title
            and not any(is_amount(c) for line in kept.lines for c in line.cells)
        ):
            # The same empty table printed again (Jiangsu's js_rd prints its 政府性基金 table
            # twice, the note "(无政府性基金支出）" under the second): one table, with its note.
            kept.lines.append(lines[pos])
            kept.lines.extend(body)
            continue
        if kept is not None:
            # The same kind of table again, elsewhere: a template's second table of that
            # kind (over other funds). The first is the standard one; this one is skipped.
            skipped.append((title, lines[pos]))
            continue
        tables.append(TableSegment(table_id, title, lines[pos].number, _printed_number(lines, pos), body))
    index_lines = {entry.line for entry in index}
    narrative = [
        line for position, line in enumerate(lines) if position not in in_tables and line.number not in index_lines
    ]
    return Layout(narrative, index, tables, skipped)
