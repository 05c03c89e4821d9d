"""A disclosure version's extraction as the raw tables' columns, built where the extraction
is (an extraction worker, lib/ingest.py), so that the loader (loader.py) only inserts.

Pickling an Arrow table back from a worker has a fixed cost per column, so a worker converts
a chunk of versions at once: one table per raw table for them all.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from operator import attrgetter

import pyarrow as pa

from ..extract import EXTRACTOR_VERSION, Extraction
from ..extract.problems import Problem
from ..quality.raw_suites import unique_keys
from .raw_schema import FAMILIES, RawFamily


@dataclass(frozen=True)
class VersionToLoad:
    """One extracted disclosure version, ready to be written."""

    disclosure_id: str
    version_id: str
    extraction: Extraction
    county_code: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class VersionSummary:
    """What the loader tells its caller about a version it loaded or could not load."""

    disclosure_id: str
    version_id: str
    problem_count: int


@dataclass(frozen=True)
class VersionRows:
    """Disclosure versions (one, or an extraction worker's chunk of them) in the raw tables'
    columns: their raw.disclosures rows (but the load time) and one Arrow table per family
    that has rows, each table's rows in the order of the versions (`counts`: how many rows
    each version has in it). Built where the extraction is (a worker, lib/ingest.py), so the
    loader only concatenates and inserts; a chunk's tables travel back in one piece each,
    which costs a twentieth of sending each version's own (pickling an Arrow table has a
    fixed cost per column)."""

    disclosures: tuple[dict[str, object], ...]
    tables: dict[str, pa.Table]
    counts: dict[str, tuple[int, ...]]

    def __len__(self) -> int:
        return len(self.disclosures)

    def keys(self) -> list[tuple[str, str]]:
        return [(row["disclosure_id"], row["version_id"]) for row in self.disclosures]  # type: ignore[misc]

    def summaries(self) -> list[VersionSummary]:
        return [
            VersionSummary(row["disclosure_id"], row["version_id"], row["problem_count"])  # type: ignore[arg-type]
            for row in self.disclosures
        ]

    def row_counts(self) -> list[dict[str, int]]:
        """Rows written per table, for each version."""
        return [
            {
                family.table: self.counts[family.table][index] if family.table in self.counts else 0
                for family in FAMILIES
            }
            for index in range(len(self))
        ]

    def split(self) -> list[VersionRows]:
        """One VersionRows per version: slices of these tables, no copy."""
        starts = {table: list(itertools.accumulate(counts, initial=0)) for table, counts in self.counts.items()}
        return [
            VersionRows(
                (disclosure,),
                {
                    table: rows.slice(starts[table][index], self.counts[table][index])
                    for table, rows in self.tables.items()
                    if self.counts[table][index]
                },
                {table: (counts[index],) for table, counts in self.counts.items() if counts[index]},
            )
            for index, disclosure in enumerate(self.disclosures)
        ]


def version_rows(versions: list[VersionToLoad]) -> tuple[VersionRows | None, list[tuple[VersionToLoad, Exception]]]:
    """Versions' extractions as the columns of the raw tables, repeated readings of a cell set
    aside (_without_repeated_rows), one Arrow array per column for them all. A version whose
    rows do not fit the raw tables' types (an amount DECIMAL(20, 6) cannot hold) is returned
    with the error, the others converted without it (None when none is left)."""
    prepared = []
    failed: list[tuple[VersionToLoad, Exception]] = []
    for version in versions:
        try:
            prepared.append((version, _without_repeated_rows(version.extraction)))
        except Exception as exc:
            failed.append((version, exc))
    try:
        return (_columns(prepared) if prepared else None), failed
    except Exception:
        # Which version is it? Each on its own, then the others together again.
        fitting = []
        for item in prepared:
            try:
                _columns([item])
            except Exception as exc:
                failed.append((item[0], exc))
            else:
                fitting.append(item)
        return (_columns(fitting) if fitting else None), failed


def _columns(prepared: list[tuple[VersionToLoad, Extraction]]) -> VersionRows:
    disclosures = tuple(
        {
            "disclosure_id": version.disclosure_id,
            "version_id": version.version_id,
            "source_files": "; ".join(extraction.source_files),
            "county_code": version.county_code or extraction.county_code,
            "year": version.year or extraction.year,
            "unit_name": extraction.unit_name,
            "disclosure_kind": extraction.disclosure_kind,
            "extractor_version": EXTRACTOR_VERSION,
            "problem_count": len(extraction.problems),
        }
        for version, extraction in prepared
    )
    tables, counts = {}, {}
    for family in FAMILIES:
        rows = [getattr(extraction, family.extraction_attribute) for _, extraction in prepared]
        if any(rows):
            keys = [(version.disclosure_id, version.version_id) for version, _ in prepared]
            tables[family.table] = _arrow_rows(family, keys, rows)
            counts[family.table] = tuple(map(len, rows))
    return VersionRows(disclosures, tables, counts)


def _arrow_rows(family: RawFamily, keys: list[tuple[str, str]], rows_of_versions: list[list]) -> pa.Table:
    """Versions' rows of a family as one Arrow table, column by column."""
    schema = family.arrow_schema()
    rows = list(itertools.chain.from_iterable(rows_of_versions))
    owners = [key for key, its_rows in zip(keys, rows_of_versions, strict=True) for _ in its_rows]
    columns = [[key[0] for key in owners], [key[1] for key in owners]]
    columns += [list(map(attrgetter(name), rows)) for name, _ in family.fields()]
    return pa.Table.from_arrays([pa.array(c, f.type) for c, f in zip(columns, schema, strict=True)], schema=schema)


def _without_repeated_rows(extraction: Extraction) -> Extraction:
    """The extraction without rows that repeat a key its table's suite requires unique.

    A layout no parser foresaw can read one cell twice (two columns taken for the same item).
    Loaded, the repeat would fail the suite, a blocking check, and hold back the whole
    county's build for one document. The first reading is kept and each repeat is reported
    as a problem of that document, with its line.
    """
    keys = unique_keys()
    kept: dict[str, list] = {}
    problems = list(extraction.problems)
    for family in FAMILIES:
        rows = getattr(extraction, family.extraction_attribute)
        columns = keys.get(family.table)
        if not columns or family.extraction_attribute == "problems":
            continue
        seen: set[tuple] = set()
        unique_rows = []
        for row in rows:
            key = tuple(getattr(row, column) for column in columns)
            if key in seen:
                problems.append(
                    Problem(
                        getattr(row, "source_file", None) or "",
                        getattr(row, "source_line", None),
                        getattr(row, "table_id", None),
                        f"{family.table}: a second reading of the same cell is ignored "
                        f"({dict(zip(columns, key, strict=True))})",
                    )
                )
                continue
            seen.add(key)
            unique_rows.append(row)
        kept[family.extraction_attribute] = unique_rows
    return dataclasses.replace(extraction, problems=problems, **kept)
