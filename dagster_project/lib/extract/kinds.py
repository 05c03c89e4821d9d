"""What kind of fiscal document a file is, read from its title and its tables' titles.

A county's folder holds more than budgets. Final accounts (部门决算 / 单位决算) print tables that
look like a budget's (收入支出决算总表, 一般公共预算财政拨款支出决算表 …) but state what was spent; a
budget execution report (预算执行情况的报告) speaks of a year under way; a blank template has the
tables and no figures. Only a budget disclosure is loaded: the others are refused with their
kind named (docs/data-contracts.md), so the budget marts never mix them.

A budget disclosure is a department's (部门预算, consolidated over its units) or one unit's own
(单位预算); the two are different documents of the same body, both current.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .amounts import normalise_text

BUDGET = "budget"

# Fund names contain 预算 without saying what the document is: 一般公共预算财政拨款支出决算表 is a
# final-accounts table. So is 预算单位 (a unit that has a budget) and 预算数 (a column).
_FUND_NAMES = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算|预算单位|预算数|年初预算")
_FINAL = re.compile(r"决算")
_BUDGET = re.compile(r"预算")
_TABLE_TITLE = re.compile(r"^\S.{0,40}表\s*(?:[(（]续[)）])?$")
_EXECUTION = re.compile(r"预算执行情况|执行情况(?:的|和)?.{0,12}报告|预算执行报告")
_TEMPLATE = re.compile(r"模板|样表|参考格式|格式文本|填报说明")
# A cover names whose budget it is: 部门预算 (the department's) or 单位预算 (one unit's own).
_UNIT_SCOPE = re.compile(r"单位预算|预算单位\s*[:：]|单位\s*(?:19|20)\d{2}\s*年")
_DEPARTMENT_SCOPE = re.compile(r"部门预算|预算主管部门\s*[:：]|部门\s*(?:19|20)\d{2}\s*年")

COVER_LINES = 12
_TITLE_LENGTH = 40
# Final accounts title themselves and their tables so throughout: one stray 决算 is not enough.
_FINAL_TITLES = 2


@dataclass(frozen=True)
class DocumentKind:
    kind: str  # budget | final_accounts | execution_report | blank_template
    label: str  # as the refusal names it: 部门决算, 预算执行报告 …
    explanation: str

    @property
    def is_budget(self) -> bool:
        return self.kind == BUDGET


def _cover(texts: list[str]) -> list[str]:
    return [text for text in texts if text.strip()][:COVER_LINES]


def _title_lines(texts: list[str]) -> list[str]:
    """The cover's short lines (titles, not prose) and every line that reads as a table's title."""
    titles = [text.strip() for text in texts if _TABLE_TITLE.match(text.strip())]
    return [text for text in _cover(texts) if len(text.strip()) <= _TITLE_LENGTH] + titles


def recognise(texts: list[str]) -> DocumentKind:
    """The kind of document whose lines (normalised text, in order) these are."""
    titles = [_FUND_NAMES.sub("", text) for text in _title_lines(texts)]
    finals = sum(1 for text in titles if _FINAL.search(text))
    budgets = sum(1 for text in titles if _BUDGET.search(text))
    if finals >= _FINAL_TITLES and finals > budgets:
        scope = "单位决算" if any("单位决算" in text for text in titles) else "部门决算"
        return DocumentKind("final_accounts", scope, "final accounts, not a budget disclosure")
    cover = _cover(texts)
    if any(_EXECUTION.search(text) for text in cover[:5]) and not any(
        _TABLE_TITLE.match(text) and "预算" in text for text in titles
    ):
        return DocumentKind("execution_report", "预算执行报告", "a budget execution report, not a budget disclosure")
    if any(_TEMPLATE.search(text) for text in cover[:5]):
        return DocumentKind("blank_template", "空白模板", "a blank template, not a unit's disclosure")
    return DocumentKind(BUDGET, "预算", "a budget disclosure")


def blank_template() -> DocumentKind:
    """Tables recognised and not one figure in them or in the prose: the template itself."""
    return DocumentKind("blank_template", "空白模板", "a blank template: its tables and text state no figure")


def scope(texts: list[str]) -> str | None:
    """department (部门预算) or unit (单位预算), as the cover names it; None when it does not."""
    for text in _cover([normalise_text(t) for t in texts]):
        if len(text.strip()) > _TITLE_LENGTH:  # prose ("纳入本部门2024年度…") names no scope
            continue
        unit, department = _UNIT_SCOPE.search(text), _DEPARTMENT_SCOPE.search(text)
        if unit and (not department or unit.start() < department.start()):
            return "unit"
        if department:
            return "department"
    return None
