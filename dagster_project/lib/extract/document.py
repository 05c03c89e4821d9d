"""One disclosure (one file, or the several files it was published as) to typed rows."""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import kinds
from .amounts import normalise_text
from .classification import function_class_code, name_key
from .headline import HEADLINE_MEASURES, measures
from .lines import Line
from .narrative import read_narrative
from .narrative.subjects import NAMED_SUBJECT_PREFIX
from .problems import Problem
from .readers import UnreadableFile, read_file
from .records import (
    IndexRecord,
    IndicatorRecord,
    NarrativeFigure,
    NarrativeParagraph,
    PerformanceTarget,
    ProcurementItem,
    ProjectRecord,
    SourcePage,
    SubjectCell,
    SummaryCell,
    TableRecord,
    ThreePublicCell,
)
from .segments import PART_HEADING, TableSegment, split_layout
from .tables.grid import TableContext
from .tables.performance import parse_department_target, parse_project_targets
from .tables.procurement import parse_procurement_table
from .tables.subjects import parse_subject_table
from .tables.summary import parse_summary_table
from .tables.three_public import parse_three_public_table

EXTRACTOR_VERSION = "5"

# How disclosures name themselves: "某局 2025 年部门预算", "某局单位2025年…预算",
# "2025年某乡人民政府部门预算…", or the name alone on the line above "2025年情况说明".
_NAME = r"[^\s\d#、，,。：:（(]{2}[^\s\d#、，,。：:]{0,38}?"
_TITLES = (
    re.compile(
        rf"(?:^|[\s、，。：:])(?P<name>{_NAME})\s*(?P<kind>部门|单位)?\s*(?P<year>(?:19|20)\d{{2}})\s*年\s*度?"
        r"\s*(?P<kind2>部门|单位)?[^\n。，,]{0,14}?预算"
    ),
    re.compile(rf"(?P<year>(?:19|20)\d{{2}})\s*年\s*度?\s*(?:关于)?(?P<name>{_NAME})(?P<kind>部门|单位)预算"),
)
# A cover page naming the department: "预算主管部门：上海市普陀区人民政府办公室".
_NAMED_DEPARTMENT = re.compile(r"(?:预算主管部门|预算单位|部门名称)\s*[:：]\s*(?P<name>[^\s\d:：]{4,40})")
_YEAR_ONLY_TITLE = re.compile(r"^\s*(?P<year>(?:19|20)\d{2})\s*年[^\d]{0,10}(?:情况说明|预算)\s*$")
_NOT_A_NAME = re.compile(r"^[一二三四五六七八九十]+、|^[(（][一二三四五六七八九十\d]+[)）]|预算|说明|情况|目录")
_BUDGET_YEAR = re.compile(r"((?:19|20)\d{2})\s*年[^\n。，,]{0,12}?(?:预算|收支)")


# A budget disclosure speaks of a budget (预算) and of its income, spending or 三公; a
# meeting note or a scanned form does not.
_BUDGET_WORD = re.compile(r"预算")
_DISCLOSURE_WORDS = re.compile(r"收入|支出|收支|拨款|三公|经费")


class NotADisclosure(ValueError):
    """The file is readable text but not a budget disclosure (or not readable at all)."""


@dataclass
class Extraction:
    source_files: list[str]
    unit_name: str | None
    year: int | None
    disclosure_kind: str | None  # department (部门) | unit (单位)
    county_code: str | None
    tables: list[TableRecord] = field(default_factory=list)
    index: list[IndexRecord] = field(default_factory=list)
    summary_cells: list[SummaryCell] = field(default_factory=list)
    subject_cells: list[SubjectCell] = field(default_factory=list)
    three_public_cells: list[ThreePublicCell] = field(default_factory=list)
    performance_targets: list[PerformanceTarget] = field(default_factory=list)
    projects: list[ProjectRecord] = field(default_factory=list)
    indicators: list[IndicatorRecord] = field(default_factory=list)
    procurement_items: list[ProcurementItem] = field(default_factory=list)
    pages: list[SourcePage] = field(default_factory=list)
    figures: list[NarrativeFigure] = field(default_factory=list)
    paragraphs: list[NarrativeParagraph] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _titled(match: re.Match[str]) -> tuple[str, int, str | None]:
    """(unit, year, kind) from a title pattern's match: 部门 → department, 单位 → unit."""
    groups = match.groupdict()
    kind = {"部门": "department", "单位": "unit"}.get(groups.get("kind") or groups.get("kind2") or "")
    return match.group("name").strip(" :：-—#").removeprefix("关于"), int(match.group("year")), kind


def _identity(lines: list[Line]) -> tuple[str | None, int | None, str | None]:
    """The unit, budget year and kind (部门 → department, 单位 → unit) a disclosure names."""
    texts = [PART_HEADING.sub("", normalise_text(line.plain).strip()) for line in lines[:60]]
    named = next((m for m in map(_NAMED_DEPARTMENT.search, texts[:10]) if m), None)
    if named:
        year = next((int(m.group(1)) for m in map(_BUDGET_YEAR.search, texts[:10]) if m), None)
        return named.group("name"), year, "department"
    for position, text in enumerate(texts):
        for pattern in _TITLES:
            match = pattern.search(text)
            if match:
                return _titled(match)
        year_only = _YEAR_ONLY_TITLE.match(text)
        previous = next((t for t in reversed(texts[:position]) if t), "")
        if (
            year_only
            and previous
            and len(previous) <= 40
            and not re.search(r"[\d，,。：:]", previous)
            and not (_NOT_A_NAME.search(previous))
        ):
            return previous.lstrip("# "), int(year_only.group("year")), None
    # A cover title broken over two printed lines: "江苏省政协办公厅 2018 年度" / "部门预算公开".
    for first, second in itertools.pairwise(texts[:13]):
        for pattern in _TITLES:
            match = pattern.search(f"{first}{second}")
            if match and match.start("name") < len(first):
                return _titled(match)
    for text in texts:
        match = _BUDGET_YEAR.search(text)
        if match:
            return None, int(match.group(1)), None
    return None, None, None


def _parse_table(source: str, segment: TableSegment, year: int | None, extraction: Extraction) -> None:
    ctx = TableContext(source, segment)
    try:
        rows = _read_table_rows(ctx, segment, year, extraction)
    except Exception as exc:  # a layout no parser foresaw: report it, keep the rest of the document
        ctx.problem(None, f"{segment.table_id} ({segment.title}) could not be read: {type(exc).__name__}: {exc}")
        rows = 0
    note, note_line = ctx.note()
    extraction.tables.append(
        TableRecord(
            source,
            segment.table_id,
            segment.title,
            segment.printed_number,
            ctx.unit,
            ctx.declared_unit is not None,
            segment.title_line,
            rows,
            note,
            note_line,
        )
    )
    extraction.problems.extend(ctx.problems)


def _read_table_rows(ctx: TableContext, segment: TableSegment, year: int | None, extraction: Extraction) -> int:
    """Parse one table into the extraction's row lists; returns its number of data rows."""
    rows = 0
    if segment.table_id in ("T1", "T6"):
        cells = parse_summary_table(ctx)
        extraction.summary_cells.extend(cells)
        rows = len({c.source_line for c in cells})
    elif segment.table_id in ("T2", "T3", "T5", "T7", "T8"):
        cells = parse_subject_table(ctx)
        extraction.subject_cells.extend(cells)
        rows = len({c.source_line for c in cells})
    elif segment.table_id == "T4":
        cells = parse_three_public_table(ctx, year)
        extraction.three_public_cells.extend(cells)
        rows = len({c.source_line for c in cells})
    elif segment.table_id == "T10":
        target, indicators = parse_department_target(ctx)
        if target:
            extraction.performance_targets.append(target)
        extraction.indicators.extend(indicators)
        rows = len(indicators)
    elif segment.table_id == "T11":
        projects, indicators = parse_project_targets(ctx)
        extraction.projects.extend(projects)
        extraction.indicators.extend(indicators)
        rows = len(projects)
    elif segment.table_id == "T9":
        items = parse_procurement_table(ctx)
        extraction.procurement_items.extend(items)
        rows = len(items)
    else:
        ctx.problem(None, f"{segment.table_id} ({segment.title}) is recognised but not parsed by this extractor yet")
    return rows


def _read_file(path: Path, name: str) -> tuple[list[Line], list[SourcePage], list[Problem]]:
    try:
        read = read_file(path)
    except UnreadableFile as exc:
        raise NotADisclosure(f"{name}: {exc}") from exc
    pages = [SourcePage(name, page, first, last) for page, first, last in read.pages]
    damaged = [Problem(name, None, None, f"damaged PDF, not read: {why}") for _, why in read.damaged_pages]
    return read.lines, pages, damaged


def extract_disclosure(
    paths: list[Path], display_names: list[str] | None = None, filed_year: int | None = None
) -> Extraction:
    """Extract every table, index entry and narrative figure of one disclosure.

    `display_names` are the file names recorded as provenance (paths relative to raw/).
    `filed_year` is the year folder the disclosure was filed under (raw/<county>/<year>/): the
    warehouse's year for it, so it is the budget year the tables and narrative are read for
    (which 三公 column is this year's, which figures are the budget year's).
    Raises NotADisclosure for a file that is empty, binary or not a budget disclosure.
    """
    names = display_names or [str(p) for p in paths]
    all_lines: list[tuple[str, list[Line]]] = []
    pages: list[SourcePage] = []
    damaged: list[Problem] = []
    for path, name in zip(paths, names, strict=True):
        if path.stat().st_size == 0:
            raise NotADisclosure(f"{name}: the file is empty")
        lines, file_pages, file_damage = _read_file(path, name)
        pages.extend(file_pages)
        damaged.extend(file_damage)
        text = "\n".join(line.text for line in lines)
        if not text.strip():
            raise NotADisclosure(f"{name}: the file is empty")
        if "\x00" in text:
            raise NotADisclosure(f"{name}: binary content, not a text document")
        all_lines.append((name, lines))
    line_texts = [normalise_text(line.plain) for _, lines in all_lines for line in lines]
    document_kind = kinds.recognise(line_texts)
    if not document_kind.is_budget:
        raise NotADisclosure(f"{', '.join(names)}: {document_kind.label}: {document_kind.explanation}")

    texts = [normalise_text("\n".join(line.text for line in lines)) for _, lines in all_lines]
    if not any(_BUDGET_WORD.search(text) and _DISCLOSURE_WORDS.search(text) for text in texts):
        raise NotADisclosure(f"{', '.join(names)}: no budget disclosure found (no 预算 with 收入/支出/三公 wording)")

    unit_name = year = kind = None
    for _, lines in all_lines:
        unit_name, year, kind = _identity(lines)
        if unit_name:
            break
    year = filed_year or year
    # 部门预算 or 单位预算 as the cover says; a title's own word (某局单位2025年…) otherwise.
    kind = next((found for _, lines in all_lines if (found := kinds.scope([line.plain for line in lines]))), kind)
    extraction = Extraction(names, unit_name, year, kind, None, pages=pages, problems=damaged)
    for name, lines in all_lines:
        layout = split_layout(lines)
        extraction.index.extend(IndexRecord(name, e.listed_number, e.title, e.table_id, e.line) for e in layout.index)
        try:
            paragraph_texts, figures, unread = read_narrative(name, layout.narrative, year)
        except Exception as exc:  # the tables still load when the prose defeats the reader
            extraction.problems.append(Problem(name, None, None, f"narrative could not be read: {exc}"))
            paragraph_texts, figures, unread = [], [], []
        if unread:
            # One problem per file: a text layer out of order is one defect of the file, however
            # many paragraphs it spoils.
            where = ", ".join(str(p.first_line) for p in unread)
            extraction.problems.append(
                Problem(
                    name,
                    unread[0].first_line,
                    None,
                    f"words and numbers out of order in the text layer: {len(unread)} "
                    f"paragraph(s) not read (lines {where}), e.g. {unread[0].text[:30]!r}",
                )
            )
        extraction.paragraphs.extend(paragraph_texts)
        extraction.figures.extend(figures)
        cut = _cut_off(lines, layout.narrative)
        if cut is not None:
            extraction.problems.append(
                Problem(
                    name,
                    cut.number,
                    None,
                    f"the text ends mid-sentence ({cut.plain[-20:]!r}): cut off? What it states before the cut is read",
                )
            )
        for segment in layout.tables:
            _parse_table(name, segment, year, extraction)
        for title, line in layout.skipped:
            extraction.problems.append(
                Problem(name, line.number, None, f"a second table of the same kind is not read: {title[:40]!r}")
            )
    extraction.figures = resolve_named_subjects(extraction.figures, extraction.subject_cells)
    extraction.county_code = next(
        (p.project_code[:6] for p in extraction.projects if p.project_code and p.project_code[:6].isdigit()), None
    )
    if _is_blank_template(extraction):
        template = kinds.blank_template()
        raise NotADisclosure(f"{', '.join(names)}: {template.label}: {template.explanation}")
    return extraction


def resolve_named_subjects(figures: list[NarrativeFigure], cells: list[SubjectCell]) -> list[NarrativeFigure]:
    """A figure of a subject named by its 类, 款 and 项 names gets the code the document's own
    T2 gives those names; one the tables do not place is left out (never checked against a
    guess)."""
    lines = {(c.subject_code, name_key(c.subject_name)) for c in cells if c.table_id == "T2" and c.subject_code}
    resolved = []
    for figure in figures:
        code = figure.subject_code or ""
        if not code.startswith(NAMED_SUBJECT_PREFIX):
            resolved.append(figure)
            continue
        class_name, kuan, xiang = code.removeprefix(NAMED_SUBJECT_PREFIX).split("|")
        place = function_class_code(class_name)
        for name, length in ((kuan, 5), (xiang, 7)):
            if place is None or not name:
                break
            place = next(
                (c for c, n in lines if len(c) == length and c.startswith(place) and n == name_key(name)), None
            )
        if place is not None:
            resolved.append(dataclasses.replace(figure, subject_code=place))
    return resolved


_SENTENCE_CLOSE = tuple('。！？；;!?）)」』”"')


def _cut_off(lines: list[Line], narrative: list[Line]) -> Line | None:
    """The document's last line, when it is prose broken off mid-sentence (a web page cut off
    part-way): a long line of the narrative that ends on a word, not a sentence's end."""
    last = next((line for line in reversed(lines) if not line.is_blank), None)
    if last is None or not narrative or last is not narrative[-1]:
        return None
    text = normalise_text(last.plain).strip()
    if len(text) < 20 or text.endswith(_SENTENCE_CLOSE) or not re.search(r"[\u4e00-\u9fff\d]$", text):
        return None
    return last


def _is_blank_template(extraction: Extraction) -> bool:
    """Standard tables recognised, and not one amount in them nor a figure in the text."""
    amounts = [
        cell.amount_wan_yuan
        for family in (extraction.summary_cells, extraction.subject_cells, extraction.three_public_cells)
        for cell in family
    ]
    return (
        len(extraction.tables) >= 3
        and not extraction.figures
        and all(amount is None for amount in amounts)
        and not extraction.procurement_items
    )


def headline(extraction: Extraction) -> dict:
    """The figures a reader looks for first, in 万元: the measures as the warehouse defines them
    (headline.py, the same seeds as fct_department_years), the 三公 items and the function classes.

    A figure nothing states is absent (never a zero). Amounts are exact decimal strings.
    """
    figures: dict[str, Decimal] = {}
    for figure in extraction.figures:
        if figure.figure_kind == "level" and figure.measure_unit == "万元" and figure.subject_code is None:
            figures.setdefault(figure.figure_key, figure.value)
    three = {
        c.item: c.amount_wan_yuan
        for c in extraction.three_public_cells
        if c.budget_year == extraction.year and c.amount_wan_yuan is not None
    }
    items = {
        item: three.get(item) if three.get(item) is not None else figures.get(f"three_public_{item}")
        for item in ("overseas", "vehicle_purchase", "vehicle_operation", "reception")
    }
    classes: dict[str, Decimal] = {}
    for c in extraction.summary_cells:
        if c.row_role == "class" and c.column_key == "total" and c.function_code and c.amount_wan_yuan is not None:
            classes.setdefault(c.function_code, c.amount_wan_yuan)
    if not classes:
        for figure in extraction.figures:
            if figure.figure_key == "function_class" and figure.figure_kind == "level" and figure.subject_code:
                classes.setdefault(figure.subject_code, figure.value)
    stated = measures(extraction)
    result = {key: str(stated[key]) for key in HEADLINE_MEASURES if key in stated}
    if any(v is not None for v in items.values()):
        result["three_public"] = {key: str(value) for key, value in items.items() if value is not None}
    if classes:
        result["function_classes"] = {code: str(value) for code, value in sorted(classes.items())}
    return result
