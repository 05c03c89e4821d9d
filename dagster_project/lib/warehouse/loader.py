"""Write disclosure versions into raw.*, a batch of them in one transaction.

Re-loading a version replaces exactly that version's rows (never duplicates them);
other versions of the same disclosure stay as history. A failure rolls the whole
batch back, so nothing already loaded is lost or half-replaced.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from ..extract import Extraction
from .columns import VersionRows, VersionSummary, VersionToLoad, version_rows
from .raw_schema import (
    ALL_TABLES,
    DISCLOSURES_SQL,
    FAMILIES,
    REJECTED_BY_CHECKS,
    REJECTED_BY_EXTRACTOR,
    REJECTED_BY_SQL,
    REJECTED_FILES_SQL,
    RETIRED_SQL,
)


class BackgroundCheckpoint:
    """A CHECKPOINT of the loader's database on a thread of its own, while the loader waits for
    the extraction of its next batch (DuckDB leaves Python's lock while it works). `wait()`
    before the connection is used again: DuckDB checkpoints only with no other transaction
    open. An error of the checkpoint is raised there."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        self.wait()
        cursor = self._con.cursor()

        def checkpoint() -> None:
            try:
                cursor.execute("CHECKPOINT")
            except BaseException as exc:  # raised by wait(), in the loader's thread
                self._error = exc
            finally:
                cursor.close()

        self._thread = threading.Thread(target=checkpoint, name="checkpoint")
        self._thread.start()

    def wait(self, raise_error: bool = True) -> None:
        """Until the checkpoint has ended; its error raised unless `raise_error` is false (the
        loader is already ending on an error of its own)."""
        if self._thread is None:
            return
        self._thread.join()
        self._thread = None
        error, self._error = self._error, None
        if error is not None and raise_error:
            raise error


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(DISCLOSURES_SQL)
    con.execute(REJECTED_FILES_SQL)
    con.execute(REJECTED_BY_SQL)
    con.execute(RETIRED_SQL)
    for family in FAMILIES:
        con.execute(family.create_sql())


_DISCLOSURE_SCHEMA = pa.schema(
    [
        ("disclosure_id", pa.string()),
        ("version_id", pa.string()),
        ("source_files", pa.string()),
        ("county_code", pa.string()),
        ("year", pa.int32()),
        ("unit_name", pa.string()),
        ("disclosure_kind", pa.string()),
        ("extractor_version", pa.string()),
        ("problem_count", pa.int32()),
        ("extracted_at", pa.timestamp("us")),
    ]
)


def _delete_versions(con: duckdb.DuckDBPyConnection) -> None:
    """Every row of the versions in `batch_versions`, their rejections included: they are
    about to be loaded or set aside anew."""
    matching = "WHERE (disclosure_id, version_id) IN (SELECT (disclosure_id, version_id) FROM batch_versions)"
    con.execute(f"DELETE FROM raw.rejected_files {matching}")
    # Scanning every raw table costs as much as the county is large: skip it for new versions.
    if not con.execute(f"SELECT count(*) FROM raw.disclosures {matching}").fetchone()[0]:
        return
    for table in ALL_TABLES:
        con.execute(f"DELETE FROM raw.{table} {matching}")


@contextmanager
def _versions_in_hand(con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str]]) -> Iterator[None]:
    con.register(
        "batch_versions", pa.table({"disclosure_id": [k[0] for k in keys], "version_id": [k[1] for k in keys]})
    )
    try:
        yield
    finally:
        con.unregister("batch_versions")


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    con.register("incoming_rows", rows)
    try:
        con.execute(f"INSERT INTO raw.{table} BY NAME SELECT * FROM incoming_rows")
    finally:
        con.unregister("incoming_rows")


def load_versions(con: duckdb.DuckDBPyConnection, versions: list[VersionRows | VersionToLoad]) -> list[dict[str, int]]:
    """Replace the rows of many versions in every raw table, in one transaction and one
    insert per table (DuckDB takes columnar batches from Arrow at millions of rows a second;
    a transaction per version and table cost ten times the extraction). All or nothing: on
    any error every version of the batch is rolled back, and the caller loads them one by one
    so one bad document cannot lose the others. Returns rows written per table, per version."""
    columnar = [v if isinstance(v, VersionRows) else _converted(v) for v in versions]
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [row | {"extracted_at": now} for v in columnar for row in v.disclosures]
    disclosures = pa.Table.from_pylist(rows, _DISCLOSURE_SCHEMA)
    with _versions_in_hand(con, [key for v in columnar for key in v.keys()]):
        con.begin()
        try:
            _delete_versions(con)
            _insert(con, "disclosures", disclosures)
            for family in FAMILIES:
                parts = [v.tables[family.table] for v in columnar if family.table in v.tables]
                if parts:
                    _insert(con, family.table, pa.concat_tables(parts).combine_chunks())
            con.commit()
        except Exception:
            con.rollback()
            raise
    return [counts for v in columnar for counts in v.row_counts()]


def _converted(version: VersionToLoad) -> VersionRows:
    rows, failed = version_rows([version])
    if failed:
        raise failed[0][1]
    return rows  # type: ignore[return-value]


def _summary(version: VersionRows | VersionToLoad) -> VersionSummary:
    if isinstance(version, VersionRows):
        (summary,) = version.summaries()
        return summary
    return VersionSummary(version.disclosure_id, version.version_id, len(version.extraction.problems))


def load_batch(
    con: duckdb.DuckDBPyConnection, versions: list[VersionRows | VersionToLoad]
) -> tuple[list[tuple[VersionSummary, dict[str, int]]], list[tuple[VersionSummary, Exception]]]:
    """Load a batch in one transaction; when that fails, each version in a transaction of its
    own, so that only the versions whose rows cannot be stored stay out. Returns the loaded
    versions with their row counts, and the failed ones with their errors."""
    try:
        counts = load_versions(con, versions)
    except Exception:  # load_versions rolled the whole batch back
        loaded, failed = [], []
        one_by_one = [single for v in versions for single in (v.split() if isinstance(v, VersionRows) else [v])]
        for version in one_by_one:
            try:
                (written,) = load_versions(con, [version])
            except Exception as exc:
                failed.append((_summary(version), exc))
                continue
            loaded.append((_summary(version), written))
        return loaded, failed
    summaries = [
        summary for v in versions for summary in (v.summaries() if isinstance(v, VersionRows) else [_summary(v)])
    ]
    return list(zip(summaries, counts, strict=True)), []


def load_version(
    con: duckdb.DuckDBPyConnection,
    disclosure_id: str,
    version_id: str,
    extraction: Extraction,
    county_code: str | None,
    year: int | None,
) -> dict[str, int]:
    """Replace one version's rows in every raw table; returns rows written per table."""
    (counts,) = load_versions(con, [VersionToLoad(disclosure_id, version_id, extraction, county_code, year)])
    return counts


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
    with _versions_in_hand(con, [(disclosure_id, version_id)]):
        con.begin()
        try:
            _delete_versions(con)
            con.execute(
                "INSERT INTO raw.rejected_files (disclosure_id, version_id, source_files, reason, rejected_at,"
                " rejected_by) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    disclosure_id,
                    version_id,
                    "; ".join(files),
                    reason,
                    datetime.now(UTC).replace(tzinfo=None),
                    rejected_by,
                ],
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


def retirements(con: duckdb.DuckDBPyConnection, present: set[str]) -> tuple[list[str], list[str]]:
    """(the disclosures loaded whose files left raw/ and are not retired yet, the retired ones
    whose files came back), given the disclosures `present` under raw/."""
    loaded = {row[0] for row in con.execute("SELECT DISTINCT disclosure_id FROM raw.disclosures").fetchall()}
    retired = {row[0] for row in con.execute("SELECT disclosure_id FROM raw.retired_disclosures").fetchall()}
    return sorted(loaded - present - retired), sorted(retired & present)


def retire_missing(con: duckdb.DuckDBPyConnection, present: set[str]) -> tuple[list[str], list[str]]:
    """Retire the disclosures whose files left raw/ (their rows stay, as history, but are no
    longer current) and reinstate any that came back (retirements). Returns (retired,
    reinstated)."""
    newly_retired, reinstated = retirements(con, present)
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
