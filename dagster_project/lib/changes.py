"""What changed under raw/: the one definition the build, the ingest step and the sensor share.

A disclosure's id is its path under raw/, its version the hash of its content. A disclosure is
pending when its current version is not among the known ones: for the build and the ingest
step, the version of each disclosure the warehouse loaded last, when this extractor version
extracted it (a new extractor re-extracts everything); for the sensor, the versions it saw
at its last look. The warehouse makes the version loaded last current, so a file put back as
it was before a correction is loaded again, and its earlier version is current again.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from .extract import EXTRACTOR_VERSION
from .raw_files import RawDisclosure, discover
from .warehouse.connection import connect
from .warehouse.loader import retirements

Version = tuple[str, str]  # (disclosure id, version id)


def version_id(content_hash: str) -> str:
    return content_hash[:16]


def current_versions(disclosures: Iterable[RawDisclosure]) -> dict[str, str]:
    """Disclosure id → version id of its files as they are now."""
    return {disclosure.key: version_id(disclosure.content_hash()) for disclosure in disclosures}


def pending(current: dict[str, str], known: set[Version]) -> list[str]:
    """The disclosures whose current version is not known, in the order of `current`."""
    return [key for key, version in current.items() if (key, version) not in known]


def loaded_versions(con: duckdb.DuckDBPyConnection) -> set[Version]:
    """Each disclosure's version the warehouse loaded last, when this extractor version
    extracted it. Earlier versions stay as history, but are not current: a file that goes
    back to one of them is pending."""
    if not con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = 'disclosures'"
    ).fetchone()[0]:
        return set()
    rows = con.execute(
        "select disclosure_id, version_id from raw.disclosures "
        "qualify row_number() over (partition by disclosure_id order by extracted_at desc) = 1 "
        "and extractor_version = ?",
        [EXTRACTOR_VERSION],
    ).fetchall()
    return {(disclosure_id, version) for disclosure_id, version in rows}


def loaded_versions_in(warehouse: Path) -> set[Version]:
    """`loaded_versions` of a warehouse file, opened read-only (none when it does not exist yet)."""
    if not warehouse.exists():
        return set()
    con = connect(warehouse, read_only=True)
    try:
        return loaded_versions(con)
    finally:
        con.close()


def out_of_date(raw_dir: Path, warehouse: Path) -> list[str]:
    """What a build would change in the published warehouse, as the disclosures it concerns:
    those whose current version it has neither loaded nor refused, those it holds whose file
    is gone, and those it retired whose file came back. Empty: a build would publish the same
    warehouse (a file saved unchanged, an editor's scratch file)."""
    current = current_versions(discover(raw_dir))
    if not warehouse.exists():
        return list(current)
    con = connect(warehouse, read_only=True)
    try:
        known = loaded_versions(con) | set(
            con.execute("select disclosure_id, version_id from raw.rejected_files").fetchall()
        )
        # What the ingest would retire or reinstate, as it decides it.
        gone, back = retirements(con, set(current))
    finally:
        con.close()
    return pending(current, known) + gone + back
