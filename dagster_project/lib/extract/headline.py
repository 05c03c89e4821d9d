"""The headline figures of a disclosure, defined once for `budgetwh extract` and the warehouse.

Which table, row and column states each figure, and in which order of preference, is data: the
dbt seeds `summary_total_figures`, `summary_income_figures`, `subject_total_figures` (what a
table states) and `headline_measure_sources` (which stated figures give a measure, first
preferred). `int_table_figures` and `int_department_year_figures` join the same seeds, so
`fct_department_years` and `budgetwh extract` cannot drift apart (a test compares them on every
document the project has).

The reading: for each figure, a table line that states it (a blank cell states nothing), the
preferred table first (T6 before T1 for totals, since T6 counts every source of income), then
the first line; a measure takes the
first of its figures a table states, else the first the narrative states for the budget year.
A figure nothing states is absent, never 0.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from .classification import SEEDS_DIR
from .records import NarrativeFigure

HEADLINE_MEASURES = (
    "total_income",
    "total_expenditure",
    "general_public_budget",
    "gov_fund_budget",
    "basic_expenditure",
    "project_expenditure",
    "three_public_total",
)


@cache
def _seed(name: str) -> tuple[dict[str, str], ...]:
    with (SEEDS_DIR / f"{name}.csv").open(encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


@dataclass(frozen=True)
class TableFigure:
    figure_key: str
    amount: Decimal | None  # a blank cell of a printed line is None
    preference: int
    source_line: int


def table_figures(extraction) -> dict[str, TableFigure]:
    """Each headline figure as the tables state it: its best line (int_table_figures)."""
    found: list[TableFigure] = []
    for rule in _seed("summary_total_figures"):
        only_preferred = rule["only_preferred"].lower() == "true"
        found += [
            TableFigure(
                rule["figure_key"], c.amount_wan_yuan, 1 if c.table_id == rule["preferred_table"] else 2, c.source_line
            )
            for c in extraction.summary_cells
            if c.row_role == "grand_total"
            and c.side == rule["side"]
            and c.column_key == rule["column_key"]
            and (not only_preferred or c.table_id == rule["preferred_table"])
        ]
    for rule in _seed("summary_income_figures"):
        found += [
            TableFigure(rule["figure_key"], c.amount_wan_yuan, 1, c.source_line)
            for c in extraction.summary_cells
            if c.table_id == rule["table_id"]
            and c.side == "income"
            and c.row_role == "source"
            and c.column_key == "amount"
            and rule["label_word"] in (c.row_label or "")
        ]
    for rule in _seed("subject_total_figures"):
        found += [
            TableFigure(rule["figure_key"], c.amount_wan_yuan, 1, c.source_line)
            for c in extraction.subject_cells
            if c.table_id == rule["table_id"] and c.column_key == rule["column_key"] and c.subject_code is None
        ]
    found += [
        TableFigure(f"three_public_{c.item}", c.amount_wan_yuan, 1, c.source_line)
        for c in extraction.three_public_cells
        if c.budget_year == extraction.year
    ]
    found += [
        TableFigure("procurement_total", item.amount_wan_yuan, 1, item.source_line)
        for item in extraction.procurement_items
        if item.is_total_row
    ]
    # A 政府性基金 table published empty with a note saying there is none states a zero.
    none = [row["wording"] for row in _seed("stated_none_wordings")]
    found += [
        TableFigure("gov_fund_expenditure", Decimal(0), 1, t.note_line or t.source_line)
        for t in extraction.tables
        if t.table_id == "T5" and t.data_rows == 0 and any(word in (t.note or "") for word in none)
    ]
    best: dict[str, TableFigure] = {}
    # A line that states the figure before a blank one; then the preferred table, the first line.
    for figure in sorted(found, key=lambda f: (f.amount is None, f.preference, f.source_line)):
        best.setdefault(figure.figure_key, figure)
    return best


def _narrative_levels(figures: list[NarrativeFigure], year: int | None) -> dict[str, Decimal]:
    """The first figure the narrative states for the budget year, per figure key."""
    levels: dict[str, Decimal] = {}
    for figure in sorted(figures, key=lambda f: f.source_line or 0):
        if (
            figure.figure_kind == "level"
            and figure.measure_unit == "万元"
            and figure.subject_code is None
            and figure.year == year
        ):
            levels.setdefault(figure.figure_key, figure.value)
    return levels


def measures(extraction) -> dict[str, Decimal]:
    """Measure → value, as int_department_year_figures chooses it for the budget year."""
    tables = table_figures(extraction)
    narrative = _narrative_levels(extraction.figures, extraction.year)
    candidates: dict[str, list[tuple[int, int, Decimal]]] = {}
    for source in _seed("headline_measure_sources"):
        stated = tables.get(source["figure_key"])
        table_amount = stated.amount if stated else None
        value = table_amount if table_amount is not None else narrative.get(source["figure_key"])
        if value is not None:
            rank = (0 if table_amount is not None else 1, int(source["preference"]))
            candidates.setdefault(source["measure"], []).append((*rank, value))
    return {measure: min(options)[2] for measure, options in candidates.items()}
