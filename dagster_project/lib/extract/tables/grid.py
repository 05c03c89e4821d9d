"""Helpers shared by the table parsers: units, notes, header columns, amount cells."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..amounts import (
    WAN_YUAN,
    Amount,
    AmountOutOfRange,
    find_unit_declaration,
    is_amount,
    normalise_text,
    parse_amount,
)
from ..lines import Line
from ..problems import Problem
from ..segments import TableSegment

# "注：…", "备注：…", or a sentence in brackets saying there is nothing ("(无政府性基金支出）").
_NOTE = re.compile(r"^[(（]?\s*(?:备注|注|说明)\s*[:：]|^[(（]\s*(?:本(?:部门|单位))?无[^()（）]{1,30}[)）]$")


def label_key(text: str) -> str:
    """A header or row label as compared: normalised, without spaces (项 目 = 项目)."""
    return re.sub(r"\s", "", normalise_text(text))


@dataclass
class TableContext:
    """One table being parsed: its segment, declared unit and the problems found so far."""

    source_file: str
    segment: TableSegment
    problems: list[Problem] = field(default_factory=list)

    @property
    def table_id(self) -> str:
        return self.segment.table_id

    @property
    def unit(self) -> str:
        return self.declared_unit or WAN_YUAN

    @property
    def declared_unit(self) -> str | None:
        for line in self.segment.lines[:8]:
            unit = find_unit_declaration(line.plain)
            if unit:
                return unit
        return None

    def problem(self, line: Line | None, reason: str) -> None:
        self.problems.append(Problem(self.source_file, line.number if line else None, self.table_id, reason))

    def amount(self, line: Line, cell: str | None, unit: str | None = None) -> Amount | None:
        """A cell read as money in 万元; an unreadable cell is a problem and counts as blank."""
        try:
            amount = parse_amount(cell)
            return amount.to_wan_yuan(unit or self.unit) if amount else None
        except AmountOutOfRange as exc:
            self.problem(line, f"cannot read amount {cell!r}: {exc}")
        except ValueError:
            self.problem(line, f"cannot read amount {cell!r}")
        return None

    def note(self) -> tuple[str | None, int | None]:
        for line in self.segment.lines:
            text = normalise_text(line.plain).strip()
            if _NOTE.match(text):
                return line.plain.strip("()（） "), line.number
        return None, None


def is_note(line: Line) -> bool:
    return bool(_NOTE.match(normalise_text(line.plain).strip()))


def is_unit_line(line: Line) -> bool:
    """ "单位：万元", alone or beside the department's name ("部门：某局 … 单位：万元")."""
    if find_unit_declaration(line.plain) is None:
        return False
    return len(line.filled) <= 2 or (
        any(normalise_text(cell).startswith(("部门", "编制部门", "编制单位")) for cell in line.filled)
        and not any(is_amount(cell) for cell in line.filled)
    )


def header_columns(header_rows: list[Line], vocabulary: list[tuple[str, re.Pattern[str]]]) -> dict[str, int]:
    """Map roles to column positions from the (possibly multi-row) header.

    A column's header is the text of all header rows at that position joined
    ("2025年预算数" over "总计"); the first role whose pattern matches wins.
    """
    width = max((len(row.cells) for row in header_rows), default=0)
    roles: dict[str, int] = {}
    for column in range(width):
        text = label_key("".join(row.cells[column] for row in header_rows if column < len(row.cells)))
        if not text:
            continue
        for role, pattern in vocabulary:
            if pattern.search(text) and role not in roles:
                roles[role] = column
                break
    return roles


def cell(line: Line, column: int | None) -> str | None:
    if column is None or column >= len(line.cells):
        return None
    return line.cells[column]
