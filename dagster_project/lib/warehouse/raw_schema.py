"""The raw.* tables, one per family of extracted rows.

Each table's columns are the fields of its record dataclass (lib/extract/records.py)
preceded by the disclosure and version keys, so the schema cannot drift from what the
extractor yields. Money is DECIMAL(20, 6): 元 converted to 万元 needs six decimals.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass
from decimal import Decimal

import pyarrow as pa

from ..extract import records
from ..extract.problems import Problem

_SQL_TYPES = {str: "VARCHAR", int: "INTEGER", bool: "BOOLEAN", Decimal: "DECIMAL(20, 6)"}
_ARROW_TYPES = {str: pa.string(), int: pa.int32(), bool: pa.bool_(), Decimal: pa.decimal128(20, 6)}
KEY_COLUMNS = ("disclosure_id", "version_id")


@dataclass(frozen=True)
class RawFamily:
    table: str  # name in schema raw
    record: type
    extraction_attribute: str  # the Extraction list it is filled from
    description: str

    def fields(self) -> list[tuple[str, type]]:
        return _record_fields(self.record)

    def create_sql(self) -> str:
        columns = ["disclosure_id VARCHAR NOT NULL", "version_id VARCHAR NOT NULL"]
        columns += [f"{name} {_SQL_TYPES[kind]}" for name, kind in self.fields()]
        return f"CREATE TABLE IF NOT EXISTS raw.{self.table} ({', '.join(columns)})"

    def arrow_schema(self) -> pa.Schema:
        keys = [pa.field(name, pa.string()) for name in KEY_COLUMNS]
        return pa.schema(keys + [pa.field(name, _ARROW_TYPES[kind]) for name, kind in self.fields()])


@functools.cache
def _record_fields(record: type) -> list[tuple[str, type]]:
    """(name, type) of each field of a record dataclass. Cached: resolving the type hints
    costs a compile per field, and the loader asks for every table of every batch."""
    hints = typing.get_type_hints(record)
    return [(f.name, _base_type(hints[f.name])) for f in dataclasses.fields(record)]


def _base_type(hint: object) -> type:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        kinds = [a for a in typing.get_args(hint) if a is not type(None)]
        return kinds[0]
    return hint  # type: ignore[return-value]


FAMILIES: tuple[RawFamily, ...] = (
    RawFamily("disclosure_tables", records.TableRecord, "tables", "Standard tables present in each disclosure"),
    RawFamily("table_index_entries", records.IndexRecord, "index", "Tables each disclosure's 附表 index lists"),
    RawFamily("narrative_paragraphs", records.NarrativeParagraph, "paragraphs", "The narrative's paragraphs"),
    RawFamily("narrative_figures", records.NarrativeFigure, "figures", "Figures the narrative (情况说明) states"),
    RawFamily("budget_summary_cells", records.SummaryCell, "summary_cells", "T1 财政拨款收支总表 amounts"),
    RawFamily(
        "subject_expenditure_cells",
        records.SubjectCell,
        "subject_cells",
        "T2/T5/T7/T8 (function) and T3 (economic) subject amounts",
    ),
    RawFamily("three_public_cells", records.ThreePublicCell, "three_public_cells", "T4 三公 amounts by year"),
    RawFamily("performance_targets", records.PerformanceTarget, "performance_targets", "T10 department targets"),
    RawFamily("projects", records.ProjectRecord, "projects", "T11 project blocks"),
    RawFamily("performance_indicators", records.IndicatorRecord, "indicators", "T10/T11 indicators"),
    RawFamily("procurement_items", records.ProcurementItem, "procurement_items", "T9 政府采购 lines"),
    RawFamily("extraction_problems", Problem, "problems", "What the extractor could not read"),
    RawFamily("source_pages", records.SourcePage, "pages", "PDF pages: the lines of a file each page printed"),
)

DISCLOSURES_SQL = """
CREATE TABLE IF NOT EXISTS raw.disclosures (
    disclosure_id VARCHAR NOT NULL,
    version_id VARCHAR NOT NULL,
    source_files VARCHAR NOT NULL,
    county_code VARCHAR,
    year INTEGER,
    unit_name VARCHAR,
    disclosure_kind VARCHAR,
    extractor_version VARCHAR NOT NULL,
    extracted_at TIMESTAMP NOT NULL,
    problem_count INTEGER NOT NULL,
    PRIMARY KEY (disclosure_id, version_id)
)"""

REJECTED_FILES_SQL = """
CREATE TABLE IF NOT EXISTS raw.rejected_files (
    disclosure_id VARCHAR NOT NULL,
    version_id VARCHAR NOT NULL,
    source_files VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    rejected_at TIMESTAMP NOT NULL,
    rejected_by VARCHAR NOT NULL DEFAULT 'extractor',
    PRIMARY KEY (disclosure_id, version_id)
)"""
# Warehouses built before the column existed: their rejections were all the extractor's.
REJECTED_BY_SQL = "ALTER TABLE raw.rejected_files ADD COLUMN IF NOT EXISTS rejected_by VARCHAR DEFAULT 'extractor'"
# Who set a file version aside: the extractor (the file cannot be read as a disclosure), the
# loader (its rows cannot be stored), or the integrity checks (rows fail a GX suite).
REJECTED_BY_EXTRACTOR = "extractor"
REJECTED_BY_LOADER = "loader"  # rows the warehouse cannot hold
REJECTED_BY_CHECKS = "integrity checks"
REJECTED_BY_MODEL_TESTS = "model tests"  # rows that break a dbt test of the warehouse models

RETIRED_SQL = """
CREATE TABLE IF NOT EXISTS raw.retired_disclosures (
    disclosure_id VARCHAR NOT NULL PRIMARY KEY,
    retired_at TIMESTAMP NOT NULL
)"""

# raw.retired_disclosures is keyed by disclosure alone: it is not replaced per version.
ALL_TABLES = ("disclosures", "rejected_files", *(family.table for family in FAMILIES))
WAREHOUSE_TABLES = (*ALL_TABLES, "retired_disclosures")
