"""Typed rows the extractor yields: one dataclass per raw table family.

Money is `Decimal` in 万元 (converted exactly from the unit the table declares) with the
number of decimals it was printed to; `None` means the cell was blank, which is not 0.
Every row carries the line of the source it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class TableRecord:
    """One standard table present in the document."""

    source_file: str
    table_id: str
    title: str
    printed_number: int | None
    measure_unit: str
    unit_declared: bool
    source_line: int
    data_rows: int
    note: str | None = None
    note_line: int | None = None


@dataclass(frozen=True)
class IndexRecord:
    """One entry of the 附表 index: a table the document says it publishes."""

    source_file: str
    listed_number: int
    title: str
    table_id: str | None
    source_line: int


@dataclass(frozen=True)
class SummaryCell:
    """T1 财政拨款收支总表 or T6 部门收支总表: one amount of one income or expenditure line."""

    source_file: str
    table_id: str
    source_line: int
    side: str  # income | expenditure
    row_order: int
    row_label: str
    # current_total, source, source_part (a numbered line under a 一、 source), carryover_total,
    # carryover_source, grand_total, class (function class), class_part (a 款 or 项 named under
    # its class, in a hierarchy given by names), heading (一、部门预算 over the classes, the
    # total restated), kind (基本支出, 项目支出… where a template lists expenditure by kind),
    # carryforward
    row_role: str
    function_code: str | None
    column_key: str  # amount (income), total, general_public, gov_fund, state_capital
    amount_wan_yuan: Decimal | None
    decimals: int | None


@dataclass(frozen=True)
class SubjectCell:
    """T2/T5/T7/T8 (function subjects) or T3 (economic subjects): one amount of one subject line."""

    source_file: str
    table_id: str
    classification: str  # function | economic
    source_line: int
    row_order: int
    subject_code: str | None  # None on the 合计 line
    subject_name: str
    column_key: str  # total, basic, project, reserve | total, personnel, public | T7: total and income sources
    amount_wan_yuan: Decimal | None
    decimals: int | None


@dataclass(frozen=True)
class ThreePublicCell:
    """T4 三公: one item of one year's block (prior year and budget year)."""

    source_file: str
    table_id: str
    source_line: int
    budget_year: int
    item: str  # total, overseas, vehicle_subtotal, vehicle_purchase, vehicle_operation, reception
    amount_wan_yuan: Decimal | None
    decimals: int | None


@dataclass(frozen=True)
class PerformanceTarget:
    """T10 header: the department-wide target."""

    source_file: str
    table_id: str
    source_line: int
    unit_name: str | None
    budget_wan_yuan: Decimal | None
    budget_decimals: int | None
    budget_line: int | None
    goal: str | None


@dataclass(frozen=True)
class ProjectRecord:
    """T11: one project block."""

    source_file: str
    table_id: str
    source_line: int
    project_code: str | None
    project_name: str
    unit_code: str | None
    unit_name: str | None
    department_code: str | None
    department_name: str | None
    execution_weight: Decimal | None
    total_wan_yuan: Decimal | None
    fiscal_wan_yuan: Decimal | None
    other_wan_yuan: Decimal | None
    amount_decimals: int | None
    funds_line: int | None
    goal: str | None
    goal_line: int | None


@dataclass(frozen=True)
class IndicatorRecord:
    """T10 or T11: one performance indicator (project_code is None for T10)."""

    source_file: str
    table_id: str
    source_line: int
    project_code: str | None
    project_name: str | None
    indicator_order: int
    level1: str | None
    level2: str | None
    indicator_name: str
    operator: str | None
    target_value: str | None
    measure_unit: str | None
    weight: Decimal | None
    was_realigned: bool


@dataclass(frozen=True)
class NarrativeFigure:
    """A figure the narrative states: a level, a change against a prior year, or a part of a change."""

    source_file: str
    figure_key: str
    figure_kind: str  # level | change | change_part | share (% of the total) | growth (% on last year)
    subject_code: str | None  # function class code for function_class figures
    year: int | None
    compare_year: int | None
    compare_year_stated: bool
    value: Decimal
    measure_unit: str  # 万元 | 辆 | %
    stated_unit: str
    decimals: int
    source_line: int
    paragraph_line: int  # first line of the paragraph: figures of one paragraph explain each other
    excerpt: str


@dataclass(frozen=True)
class NarrativeParagraph:
    """A paragraph of the narrative, joined across PDF line breaks, with the topic it was read under."""

    source_file: str
    first_line: int
    last_line: int
    topic: str | None
    text: str


@dataclass(frozen=True)
class ProcurementItem:
    """T9 政府采购明细表: one procurement line (or the 合计 line, with is_total_row)."""

    source_file: str
    table_id: str
    source_line: int
    row_order: int
    item_name: str
    category: str | None  # goods | works | services
    quantity: str | None
    amount_wan_yuan: Decimal | None
    decimals: int | None
    is_total_row: bool


@dataclass(frozen=True)
class SourcePage:
    """A page of a PDF: the lines of its file (as numbered in every record's source_line)
    that the page printed, so that any row can name the page to open."""

    source_file: str
    page: int
    first_line: int
    last_line: int
