"""Extract and load a set of disclosures (one Dagster run over many partitions).

Each disclosure is handled on its own: a file that cannot be read is quarantined in
raw.rejected_files with its reason and the others go on; a loaded version replaces only
its own rows. The disclosure id is its path under raw/, the version its content hash.
Extraction is CPU-bound and independent per disclosure, so it runs on every core; loading
is columnar, a batch of versions per transaction.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import time
import traceback
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .changes import loaded_versions, version_id
from .extract import NotADisclosure, extract_disclosure
from .raw_files import discover, resolve
from .warehouse.columns import VersionRows, VersionToLoad, version_rows
from .warehouse.loader import BackgroundCheckpoint, ensure_raw_schema, load_batch, reject_version, retire_missing
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


# Disclosures loaded per transaction: large enough that a county loads in a few inserts per
# table and that the largest tables' inserts pass DuckDB's row group (122,880 rows), which it
# writes straight to the file instead of its log (load 7.3 s against 10.1 s at 250, 4,002
# disclosures); small enough that a batch's rows (about 0.2 MB a disclosure in Arrow) sit
# comfortably in memory.
BATCH_SIZE = 1000
# Disclosures a worker extracts in one task: their rows come back as one Arrow table per raw
# table, not one per disclosure (pickling a table costs about 3 ms a disclosure on its own,
# 0.2 ms in a chunk of 25). Fewer for a small county, so that every worker gets several tasks.
CHUNK_SIZE = 25
# Below this many disclosures to extract, a process pool costs more to start than it saves
# (the one-change rebuild extracts one).
_POOL_FROM = 8
WORKERS_ENV = "BUDGETWH_WORKERS"
_WORKER_NICENESS = 5
# Extractions a pool runs ahead of the loader: a batch's worth, so that one is being
# extracted while the previous is loaded.
IN_FLIGHT = BATCH_SIZE
# Disclosures loaded between two checkpoints. Until DuckDB writes a table into the file, it
# holds what the inserts allocated besides its buffer pool (which the memory limit bounds:
# 38 MB of the 650 MiB a connection held after loading 4,002 disclosures): one connection
# through a county grew by about 100 MiB per 1,000 disclosures (1.1 GB at 10,002). A
# checkpoint gives it back; it costs about 0.4 s, as it rewrites the row groups an insert
# completed, so not one a batch, and it runs while the workers extract the next batch
# (warehouse/loader.py, BackgroundCheckpoint).
CHECKPOINT_EVERY = 3 * BATCH_SIZE


def extraction_workers() -> int:
    """Processes that extract: BUDGETWH_WORKERS, or every core this process may use."""
    configured = os.environ.get(WORKERS_ENV)
    return max(1, int(configured)) if configured else len(os.sched_getaffinity(0))


@dataclass(frozen=True)
class _Pending:
    """A disclosure to extract: new, or changed since it was loaded."""

    key: str
    version: str
    files: tuple[Path, ...]
    names: list[str]
    county_code: str | None
    year: int | None


@dataclass(frozen=True)
class _Outcome:
    """What became of one disclosure of a chunk: "extracted" (its rows are in the chunk's),
    or why not ("not a disclosure", "failed", or "unloadable" when its rows do not fit the
    raw tables' types) with the message, and the traceback of a failure."""

    outcome: str
    message: str = ""
    trace: str = ""


def _extract_chunk(chunk: list[_Pending]) -> tuple[list[_Outcome], VersionRows | None]:
    """Extract a chunk of disclosures (in a worker process) and put the rows of those that
    were read into the raw tables' columns: the loader then only inserts, and the conversion
    runs on every core. Never raises, so one file cannot stop a pool or its chunk."""
    outcomes: list[_Outcome] = []
    extracted: list[VersionToLoad] = []
    for pending in chunk:
        try:
            extraction = extract_disclosure(list(pending.files), pending.names, pending.year)
        except NotADisclosure as exc:
            outcomes.append(_Outcome("not a disclosure", str(exc)))
            continue
        except Exception as exc:
            # A layout no parser foresaw can still break one: that file is set aside with the
            # error, for a developer to look at, and the county goes on.
            outcomes.append(_Outcome("failed", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            continue
        outcomes.append(_Outcome("extracted"))
        extracted.append(VersionToLoad(pending.key, pending.version, extraction, pending.county_code, pending.year))
    rows, unfit = version_rows(extracted)
    unloadable = {version.disclosure_id: exc for version, exc in unfit}
    for index, pending in enumerate(chunk):
        if pending.key in unloadable:  # e.g. an amount DECIMAL(20, 6) cannot hold
            exc = unloadable[pending.key]
            outcomes[index] = _Outcome("unloadable", f"{type(exc).__name__}: {exc}")
    return outcomes, rows


def _forkserver() -> multiprocessing.context.ForkServerContext:
    """The context the pool's workers start from: a clean process that imported the extractor
    once, not a copy of this one (its threads and DuckDB connection are not fork-safe).
    Started at once: its imports (0.6 s) then overlap the reading and hashing of the files."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["dagster_project.lib.extract", "dagster_project.lib.warehouse.columns"])
    multiprocessing.forkserver.ensure_running()
    return context


def _chunks(pending: list[_Pending], workers: int) -> list[list[_Pending]]:
    size = max(1, min(CHUNK_SIZE, len(pending) // (workers * 4)))
    return [pending[start : start + size] for start in range(0, len(pending), size)]


def _extracted(
    pending: list[_Pending], workers: int
) -> Iterator[tuple[list[_Pending], list[_Outcome], VersionRows | None]]:
    """Each chunk of the pending disclosures with its outcomes and rows, in the order given
    whatever the number of workers (results are taken in submission order), so a build's
    output never depends on the machine."""
    chunks = _chunks(pending, workers)
    if workers <= 1 or len(pending) < _POOL_FROM:
        for chunk in chunks:
            yield chunk, *_extract_chunk(chunk)
        return
    # The workers yield the CPU to this process (nice 5): its loads are the one writer every
    # batch waits for, and they ran a third slower while both cores extracted (7.1 s against
    # 5.5 s at 4,002 disclosures, the same total).
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=_forkserver(), initializer=os.nice, initargs=(_WORKER_NICENESS,)
    ) as pool:
        # At most IN_FLIGHT disclosures submitted and not yet taken: the workers stay ahead
        # of the loader without holding the county in memory (executor.map submits every
        # disclosure at once, and its results waited for the loader: 2.5 GB at 4,000).
        waiting: deque = deque()
        remaining = iter(chunks)
        for chunk in itertools.islice(remaining, max(1, IN_FLIGHT // len(chunks[0]))):
            waiting.append((chunk, pool.submit(_extract_chunk, chunk)))
        while waiting:
            chunk, future = waiting.popleft()
            following = next(remaining, None)
            if following is not None:
                waiting.append((following, pool.submit(_extract_chunk, following)))
            yield chunk, *future.result()


def ingest_disclosures(
    con: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    keys: list[str],
    log: logging.Logger | None = None,
    force: bool = False,
    progress: logging.Logger | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Extract and load each disclosure; one whose content is already loaded is skipped
    unless `force` (a rebuild after one changed file re-extracts only that file).

    Extraction runs on `workers` processes (default: every core); loading takes the
    extractions in batches of BATCH_SIZE, one transaction each, and falls back to one
    transaction per disclosure when a batch fails, so one bad document cannot lose the
    others. `progress` receives a line every tenth of the way, for people watching a long
    build."""
    report = IngestReport()
    log = log or logging.getLogger(__name__)
    ensure_raw_schema(con)
    loaded = set() if force else loaded_versions(con)

    checkpoint = BackgroundCheckpoint(con)

    def reject(key: str, version: str, names: list[str], reason: str, by: str = REJECTED_BY_EXTRACTOR, **log_args):
        checkpoint.wait()
        reject_version(con, key, version, names, reason, rejected_by=by)
        report.rejected.append((key, reason))
        log.warning("rejected %s", reason, **log_args)

    workers = workers or extraction_workers()
    if workers > 1 and len(keys) >= _POOL_FROM:
        _forkserver()
    pending: list[_Pending] = []
    for key in keys:
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
        pending.append(_Pending(key, version, disclosure.files, names, disclosure.county_code, disclosure.year))

    step = max(1, len(pending) // 10)
    # DuckDB writes the tables into the file (a checkpoint) whenever its log passes 16 MB, a
    # few times a batch; every CHECKPOINT_EVERY disclosures and at the end is enough.
    (threshold,) = con.execute("SELECT current_setting('checkpoint_threshold')").fetchone()
    con.execute("SET checkpoint_threshold = '1GB'")
    by_key = {item.key: item for item in pending}
    batch: list[VersionRows] = []
    in_batch = done = uncheckpointed = 0
    started = time.perf_counter()
    try:
        for chunk, outcomes, rows in _extracted(pending, workers):
            for item, outcome in zip(chunk, outcomes, strict=True):
                done += 1
                if progress and (done % step == 0 or done == len(pending)):
                    progress.info("  extracting: %d of %d disclosures", done, len(pending))
                if outcome.outcome == "not a disclosure":
                    reject(item.key, item.version, item.names, outcome.message)
                elif outcome.outcome == "failed":
                    reason = f"{item.key}: the extractor failed on this file ({outcome.message})"
                    reject(item.key, item.version, item.names, reason)
                    log.warning("the extractor's traceback for %s:\n%s", item.key, outcome.trace)
                elif outcome.outcome == "unloadable":
                    reason = f"{item.key}: its rows could not be loaded ({outcome.message})"
                    reject(item.key, item.version, item.names, reason, REJECTED_BY_LOADER)
            if rows is not None:
                batch.append(rows)
                in_batch += len(rows)
            if in_batch >= BATCH_SIZE or (done == len(pending) and batch):
                loading = time.perf_counter()
                report.extract_seconds += loading - started
                checkpoint.wait()
                _load_batch(con, batch, by_key, report, log, reject)
                uncheckpointed += in_batch
                if uncheckpointed >= CHECKPOINT_EVERY and done < len(pending):
                    checkpoint.start()  # while the workers extract the next batch
                    uncheckpointed = 0
                batch, in_batch = [], 0
                started = time.perf_counter()
                report.load_seconds += started - loading
    except BaseException:
        # The caller closes the connection: not while a checkpoint still runs on it.
        checkpoint.wait(raise_error=False)
        raise
    report.extract_seconds += time.perf_counter() - started
    loading = time.perf_counter()
    checkpoint.wait()
    con.execute(f"SET checkpoint_threshold = '{threshold}'")
    con.execute("CHECKPOINT")
    report.load_seconds += time.perf_counter() - loading
    report.retired, _ = retire_missing(con, {disclosure.key for disclosure in discover(raw_dir)})
    for key in report.retired:
        log.info("retired %s: its file is no longer under raw/", key)
    return report


def _load_batch(con, batch: list[VersionRows], pending: dict[str, _Pending], report: IngestReport, log, reject) -> None:
    """One transaction for the batch; if it fails, one per disclosure, and a disclosure whose
    rows cannot be stored is rejected alone with the loader's reason."""
    loaded, failed = load_batch(con, batch)
    if failed:
        log.warning(
            "a batch of %d disclosures could not be loaded at once: loaded one by one", len(loaded) + len(failed)
        )
    for version, exc in failed:
        item = pending[version.disclosure_id]
        reason = f"{item.key}: its rows could not be loaded ({type(exc).__name__}: {exc})"
        reject(item.key, item.version, item.names, reason, REJECTED_BY_LOADER)
    # One line a batch, not one a disclosure or problem: each line is an event in Dagster's
    # log (0.6 ms apiece), and the problems are in marts.fct_extraction_problems with their
    # files and lines.
    problems = 0
    for version, counts in loaded:
        report.loaded.append(version.disclosure_id)
        problems += version.problem_count
        report.rows.update(counts)
    report.problems += problems
    if loaded:
        log.info(
            "loaded %d disclosure versions (%s … %s); %d things they print could not be read "
            "(marts.fct_extraction_problems)",
            len(loaded),
            loaded[0][0].disclosure_id,
            loaded[-1][0].disclosure_id,
            problems,
        )


def _names(files: tuple[Path, ...]) -> list[str]:
    return [path.name for path in files]
