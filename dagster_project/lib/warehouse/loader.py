"""Write one disclosure version into raw.* in a single transaction.

Re-loading a version replaces exactly that version's rows (never duplicates them);
other versions of the same disclosure stay as history. A failure rolls the whole
version back, so nothing already loaded is lost or half-replaced.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from ..extract import EXTRACTOR_VERSION, Extraction
from ..extract.problems import Problem
from ..quality.raw_suites import unique_keys
from .raw_schema import (
    ALL_TABLES,
    DISCLOSURES_SQL,
    FAMILIES,
    REJECTED_BY_CHECKS,
    REJECTED_BY_EXTRACTOR,
    REJECTED_BY_SQL,
    REJECTED_FILES_SQL,
    RETIRED_SQL,
    RawFamily,
)


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(DISCLOSURES_SQL)
    con.execute(REJECTED_FILES_SQL)
    con.execute(REJECTED_BY_SQL)
    con.execute(RETIRED_SQL)
    for family in FAMILIES:
        con.execute(family.create_sql())


def _arrow_rows(family: RawFamily, disclosure_id: str, version_id: str, rows: list) -> pa.Table:
    schema = family.arrow_schema()
    columns: dict[str, list] = {name: [] for name in schema.names}
    for row in rows:
        values = dataclasses.asdict(row)
        columns["disclosure_id"].append(disclosure_id)
        columns["version_id"].append(version_id)
        for name, _ in family.fields():
            columns[name].append(values[name])
    return pa.table(columns, schema=schema)


def _delete_version(con: duckdb.DuckDBPyConnection, disclosure_id: str, version_id: str) -> None:
    """Every row of one version, its rejection included: it is about to be loaded or set aside anew."""
    con.execute(
        "DELETE FROM raw.rejected_files WHERE disclosure_id = ? AND version_id = ?", [disclosure_id, version_id]
    )
    # Scanning every raw table costs as much as the county is large: skip it for a new version.
    exists = con.execute(
        "SELECT count(*) FROM raw.disclosures WHERE disclosure_id = ? AND version_id = ?", [disclosure_id, version_id]
    ).fetchone()[0]
    if not exists:
        return
    for table in ALL_TABLES:
        con.execute(f"DELETE FROM raw.{table} WHERE disclosure_id = ? AND version_id = ?", [disclosure_id, version_id])


def load_version(
    con: duckdb.DuckDBPyConnection,
    disclosure_id: str,
    version_id: str,
    extraction: Extraction,
    county_code: str | None,
    year: int | None,
) -> dict[str, int]:
    """Replace one version's rows in every raw table; returns rows written per table."""
    extraction = _without_repeated_rows(extraction)
    counts: dict[str, int] = {}
    con.begin()
    try:
        _delete_version(con, disclosure_id, version_id)
        con.execute(
            "INSERT INTO raw.disclosures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                disclosure_id,
                version_id,
                "; ".join(extraction.source_files),
                county_code or extraction.county_code,
                year or extraction.year,
                extraction.unit_name,
                extraction.disclosure_kind,
                EXTRACTOR_VERSION,
                datetime.now(UTC).replace(tzinfo=None),
                len(extraction.problems),
            ],
        )
        for family in FAMILIES:
            rows = getattr(extraction, family.extraction_attribute)
            batch = _arrow_rows(family, disclosure_id, version_id, rows)
            con.register("incoming_rows", batch)
            con.execute(f"INSERT INTO raw.{family.table} BY NAME SELECT * FROM incoming_rows")
            con.unregister("incoming_rows")
            counts[family.table] = len(rows)
        con.commit()
    except Exception:
        con.rollback()
        raise
    return counts


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


def reject_version(
    con: duckdb.DuckDBPyConnection,
    disclosure_id: str,
    version_id: str,
    files: list[str],
    reason: str,
    rejected_by: str = REJECTED_BY_EXTRACTOR,
) -> None:
    """Quarantine a version: its rows (if any were loaded) leave raw.* and it is listed in
    raw.rejected_files with the reason. Earlier good versions of the file stay loaded."""
    con.begin()
    try:
        _delete_version(con, disclosure_id, version_id)
        con.execute(
            "INSERT INTO raw.rejected_files (disclosure_id, version_id, source_files, reason, rejected_at, rejected_by)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [disclosure_id, version_id, "; ".join(files), reason, datetime.now(UTC).replace(tzinfo=None), rejected_by],
        )
        con.commit()
    except Exception:
        con.rollback()
        raise


def quarantine_failing_version(
    con: duckdb.DuckDBPyConnection,
    disclosure_id: str,
    version_id: str,
    reason: str,
    rejected_by: str = REJECTED_BY_CHECKS,
) -> None:
    """Set aside a loaded version whose rows fail an integrity suite or a dbt test of the
    models. One document misread into rows the warehouse forbids must not hold back the
    county's build: its rows leave raw.*, it is listed as rejected (by the integrity checks or
    the model tests), and the version loaded before it (if any) stays current. The next build
    tries it again, so a fixed extractor takes it in."""
    row = con.execute(
        "SELECT source_files FROM raw.disclosures WHERE disclosure_id = ? AND version_id = ?",
        [disclosure_id, version_id],
    ).fetchone()
    files = row[0].split("; ") if row else [disclosure_id]
    reject_version(con, disclosure_id, version_id, files, reason, rejected_by=rejected_by)


def retire_missing(con: duckdb.DuckDBPyConnection, present: set[str]) -> tuple[list[str], list[str]]:
    """Retire the disclosures whose files left raw/ (their rows stay, as history, but are no
    longer current) and reinstate any that came back. Returns (retired, reinstated)."""
    loaded = {row[0] for row in con.execute("SELECT DISTINCT disclosure_id FROM raw.disclosures").fetchall()}
    retired = {row[0] for row in con.execute("SELECT disclosure_id FROM raw.retired_disclosures").fetchall()}
    newly_retired = sorted(loaded - present - retired)
    reinstated = sorted(retired & present)
    con.begin()
    try:
        now = datetime.now(UTC).replace(tzinfo=None)
        for key in newly_retired:
            con.execute("INSERT INTO raw.retired_disclosures VALUES (?, ?)", [key, now])
        for key in reinstated:
            con.execute("DELETE FROM raw.retired_disclosures WHERE disclosure_id = ?", [key])
        con.commit()
    except Exception:
        con.rollback()
        raise
    return newly_retired, reinstated
