"""Extract and load a set of disclosures (one Dagster run over many partitions).

Each disclosure is handled on its own: a file that cannot be read is quarantined in
raw.rejected_files with its reason and the others go on; a loaded version replaces only
its own rows. The disclosure id is its path under raw/, the version its content hash.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .changes import loaded_versions, version_id
from .extract import NotADisclosure, extract_disclosure
from .raw_files import discover, resolve
from .warehouse.loader import ensure_raw_schema, load_version, reject_version, retire_missing
from .warehouse.raw_schema import REJECTED_BY_EXTRACTOR, REJECTED_BY_LOADER


@dataclass
class IngestReport:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # already loaded in this version: not re-extracted
    retired: list[str] = field(default_factory=list)  # files gone from raw/: their rows leave the marts
    extract_seconds: float = 0.0
    load_seconds: float = 0.0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    problems: int = 0
    rows: Counter = field(default_factory=Counter)


def ingest_disclosures(
    con: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    keys: list[str],
    log: logging.Logger | None = None,
    force: bool = False,
    progress: logging.Logger | None = None,
) -> IngestReport:
    """Extract and load each disclosure; one whose content is already loaded is skipped
    unless `force` (a rebuild after one changed file re-extracts only that file). `progress`
    receives a line every tenth of the way, for people watching a long build."""
    report = IngestReport()
    log = log or logging.getLogger(__name__)
    ensure_raw_schema(con)
    loaded = set() if force else loaded_versions(con)
    step = max(1, len(keys) // 10)

    def reject(key: str, version: str, names: list[str], reason: str, by: str = REJECTED_BY_EXTRACTOR, **log_args):
        reject_version(con, key, version, names, reason, rejected_by=by)
        report.rejected.append((key, reason))
        log.warning("rejected %s", reason, **log_args)

    for number, key in enumerate(keys, start=1):
        if progress and (number % step == 0 or number == len(keys)):
            progress.info("  extracting: %d of %d disclosures", number, len(keys))
        disclosure = resolve(raw_dir, key)
        names = [f"{key}/{name}" if len(disclosure.files) > 1 else key for name in _names(disclosure.files)]
        if not disclosure.files or not all(path.is_file() for path in disclosure.files):
            reject(
                key,
                "missing",
                names or [key],
                f"{key}: no file to read (the disclosure folder is empty or the file is gone)",
            )
            continue
        version = version_id(disclosure.content_hash())
        if (key, version) in loaded:
            report.unchanged.append(key)
            continue
        started = time.perf_counter()
        try:
            extraction = extract_disclosure(list(disclosure.files), names, disclosure.year)
        except NotADisclosure as exc:
            reject(key, version, names, str(exc))
            continue
        except Exception as exc:
            # A layout no parser foresaw can still break one: that file is set aside with
            # the error, for a developer to look at, and the county goes on.
            reason = f"{key}: the extractor failed on this file ({type(exc).__name__}: {exc})"
            reject(key, version, names, reason, exc_info=True)
            continue
        extracted = time.perf_counter()
        report.extract_seconds += extracted - started
        try:
            counts = load_version(con, key, version, extraction, disclosure.county_code, disclosure.year)
        except Exception as exc:  # load_version has rolled the version back
            reason = f"{key}: its rows could not be loaded ({type(exc).__name__}: {exc})"
            reject(key, version, names, reason, REJECTED_BY_LOADER, exc_info=True)
            continue
        report.load_seconds += time.perf_counter() - extracted
        report.loaded.append(key)
        report.problems += len(extraction.problems)
        report.rows.update(counts)
        for problem in extraction.problems:
            log.warning(
                "%s line %s (%s): %s", problem.source_file, problem.source_line, problem.table_id, problem.reason
            )
        log.info("[%d/%d] loaded %s version %s: %s", number, len(keys), key, version, extraction.unit_name)
    report.retired, _ = retire_missing(con, {disclosure.key for disclosure in discover(raw_dir)})
    for key in report.retired:
        log.info("retired %s: its file is no longer under raw/", key)
    return report


def _names(files: tuple[Path, ...]) -> list[str]:
    return [path.name for path in files]
