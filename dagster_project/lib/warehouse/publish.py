"""The published warehouse file, and the working copies builds write.

DuckDB lets one process open a file for writing and then nobody else open it, not even
read-only. So a build never writes the file that readers use (the dashboard, BI tools,
the DuckDB command line). Each run starts a working copy of its own from the published
file (`work/<name>.<run id>.duckdb`) and writes that. When the run has completed and its
integrity checks (GX suites, dbt tests) passed, the working copy, which lies beside the
published file, is renamed over it, which is atomic: a reader sees the old file or the new
one, never half of one. The file it replaced stays on disk as `<name>.previous.duckdb`,
the last good version before this one. Beside it, `<name>.exports/` holds its marts as
Parquet files and `<name>.data-docs/` the Data Docs of its reconciliation suites, both
switched to the new build's with it.

A run that fails leaves the published file as it was, and its working copy is discarded:
the next run starts again from what was published, so nothing unchecked is ever carried
into a later publish. Starting a working copy costs a copy of the published file (about
0.1 s for the 100 MB of a 1,000-disclosure warehouse); publishing it costs none.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .connection import connect


@dataclass(frozen=True)
class WarehouseFiles:
    """The files that make up one warehouse, named after the published one."""

    published: Path

    @property
    def work_dir(self) -> Path:
        return self.published.parent / "work"

    def working(self, run_id: str) -> Path:
        return self.work_dir / f"{self.published.stem}.{run_id}{self.published.suffix}"

    @property
    def dbt_link(self) -> Path:
        """The one name dbt opens: a link to the current run's working copy (see link_for_dbt)."""
        return self.work_dir / "dbt" / self.published.name

    @property
    def previous(self) -> Path:
        return self.published.with_name(f"{self.published.stem}.previous{self.published.suffix}")

    @property
    def exports(self) -> Path:
        """The marts as Parquet files, for tools that read files: a link to the directory of
        the published build (see _switch_link)."""
        return self.published.with_name(f"{self.published.stem}.exports")

    def exports_of(self, run_id: str) -> Path:
        return self.published.with_name(f".{self.published.stem}.exports.{run_id}")

    @property
    def data_docs(self) -> Path:
        """Great Expectations' Data Docs of the reconciliation suites (a static site, open
        index.html): a link to the site of the published build, as for the exports."""
        return self.published.with_name(f"{self.published.stem}.data-docs")

    def data_docs_of(self, run_id: str) -> Path:
        return self.published.with_name(f".{self.published.stem}.data-docs.{run_id}")

    @property
    def incoming(self) -> Path:
        """Where the new version is copied before the rename when work/ is another filesystem
        than the published file's (see _incoming): same folder as it."""
        return self.published.with_name(f".{self.published.name}.incoming")


def _copy_durably(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())


def _sync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prepare_working_copy(files: WarehouseFiles, run_id: str) -> Path:
    """The run's working copy, started from the published file at the run's first use."""
    working = files.working(run_id)
    if not working.exists():
        files.work_dir.mkdir(parents=True, exist_ok=True)
        if files.published.exists():
            # Through a temporary name: an interrupted copy must not pass for a working copy.
            partial = working.with_name(f".{working.name}.partial")
            shutil.copyfile(files.published, partial)
            os.replace(partial, working)
    return working


def link_for_dbt(files: WarehouseFiles, run_id: str) -> Path:
    """Point the stable name dbt opens at this run's working copy, and return that name.

    dbt re-parses the whole project (1.6 s) when its profile changes, and the database path
    is part of the profile: a path naming the run would cost that on every build. dbt opens
    `work/dbt/<name>` instead, a symbolic link to the run's working copy. DuckDB resolves
    the link: it locks the working copy, keeps its write-ahead log beside it, and names the
    catalog after it (`budget.<run id>.duckdb` is catalog `budget`, as the published file
    is), so the views dbt creates read the same in the published file. Steps that open the
    file run one at a time (the `warehouse_writer` pool), so no other dbt uses the link.
    """
    link = files.dbt_link
    link.parent.mkdir(parents=True, exist_ok=True)
    staged = link.with_name(f".{link.name}.{run_id}")
    staged.unlink(missing_ok=True)
    staged.symlink_to(prepare_working_copy(files, run_id).resolve())
    os.replace(staged, link)
    return link


def discard_working_copies(files: WarehouseFiles) -> None:
    """Remove the working copies of finished runs, and dbt's link to them (call it holding
    the build lock)."""
    if files.work_dir.exists():
        for path in files.work_dir.glob(f"*{files.published.stem}.*"):
            path.unlink(missing_ok=True)
    if files.dbt_link.parent.exists():
        for path in files.dbt_link.parent.glob(f"*{files.published.name}*"):
            path.unlink(missing_ok=True)


def publish(files: WarehouseFiles, run_id: str, while_exporting: Callable[[], object] | None = None) -> Path:
    """Replace the published file with the run's working copy in one rename; keep the old
    one as the previous version; switch the Parquet exports of its marts with it. Returns the
    published path.

    `while_exporting` (the reconciliation suites' judgement of the findings, which reads the
    same file from the GX worker's process) runs while the exports are written: both only
    read the checkpointed file, so neither waits for the other (the exports of 10,000
    disclosures take 6.5 s). An error in either leaves the published file as it was."""
    working = files.working(run_id)
    # Fold DuckDB's write-ahead log into the file, so that the file alone is the warehouse
    # and readers in other processes open it as it is.
    con = connect(working)
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="exports") as pool:
        exports = pool.submit(_write_exports, working, files.exports_of(run_id))
        try:
            if while_exporting is not None:
                while_exporting()
        finally:
            exports.result()
    files.published.parent.mkdir(parents=True, exist_ok=True)
    incoming = _incoming(files, working)
    if files.published.exists():
        # A second name for the current file, so it outlives the rename below.
        linked = files.previous.with_name(f".{files.previous.name}.partial")
        linked.unlink(missing_ok=True)
        os.link(files.published, linked)
        os.replace(linked, files.previous)
    os.replace(incoming, files.published)
    _sync_directory(files.published.parent)
    _switch_link(files.exports, files.exports_of(run_id))
    if files.data_docs_of(run_id).is_dir():  # validated by the run (lib/quality/reconciliation_suites.py)
        _switch_link(files.data_docs, files.data_docs_of(run_id))
    return files.published


def _incoming(files: WarehouseFiles, working: Path) -> Path:
    """The checkpointed working copy, durable on disk and on the published file's filesystem,
    to be renamed over it: the working copy itself, which lies beside it (a 10,000-disclosure
    warehouse is 1 GB, a copy of which cost every publish), or, where work/ is a filesystem of
    its own, a durable copy next to the published file. Nothing reads the working copy after
    the publish: the build's summary reads the published file it became."""
    wal = working.with_name(f"{working.name}.wal")
    if wal.exists() and wal.stat().st_size:
        raise RuntimeError(f"{working}: its write-ahead log is not folded into it; not published")
    if working.stat().st_dev != files.published.parent.stat().st_dev:
        _copy_durably(working, files.incoming)
        return files.incoming
    with open(working, "rb+") as handle:
        os.fsync(handle.fileno())
    return working


# DuckDB's memory for the Parquet exports (a row group at a time per file, whatever the county).
EXPORTS_MEMORY_LIMIT = "200MB"


def _write_exports(working: Path, directory: Path) -> None:
    """Every table of the marts schema as <name>.parquet: DECIMAL columns stay DECIMAL (exact
    money), and each file carries its rows only, never a half-written one (a fresh directory)."""
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    con = connect(working, read_only=True)
    try:
        # One thread: each thread's Parquet writer holds its own row groups. The exports of a
        # 10,000-disclosure county peaked at 1.1 GB on two threads and 0.5 GB on one, in the
        # same 6.5 s; and the reconciliation judgement has the other core meanwhile.
        con.execute("SET threads = 1")
        # The judgement of the findings runs meanwhile, in the GX worker: the exports take
        # less than the build's limit. The findings' export of 10,002 disclosures held
        # 505 MiB within 600 MB, 308 MiB within 200 MB (as fast: 4.5 s against 5.9 s).
        con.execute(f"SET memory_limit = '{EXPORTS_MEMORY_LIMIT}'")
        marts = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by table_name"
        ).fetchall()
        for (name,) in marts:
            target = str(directory / f"{name}.parquet").replace("'", "''")
            con.execute(f"copy marts.{name} to '{target}' (format parquet)")
    finally:
        con.close()


def _switch_link(link: Path, current: Path) -> None:
    """Point `link` (the exports, the Data Docs) at this build's directory in one rename of a
    link, so a reader sees one build's files, never a mix; then remove earlier builds'
    directories (named like `current`, with another run id)."""
    staged = link.with_name(f".{link.name}.link")
    staged.unlink(missing_ok=True)
    staged.symlink_to(current.name)
    os.replace(staged, link)
    prefix = current.name.rsplit(".", 1)[0]
    for old in current.parent.glob(f"{prefix}.*"):
        if old != current and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


class BuildInProgress(RuntimeError):
    """Another process is building this warehouse."""


@contextmanager
def exclusive_build(files: WarehouseFiles) -> Iterator[None]:
    """Hold the warehouse's build lock: one build at a time writes its working copy.

    A second build fails at once with a clear message instead of failing half-way on
    DuckDB's file lock. The lock is released when the process ends, however it ends.
    """
    files.work_dir.mkdir(parents=True, exist_ok=True)
    lock_path = files.work_dir / ".build.lock"
    with open(lock_path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise BuildInProgress(
                f"another build of {files.published} is running (process {holder}); "
                "the published warehouse stays readable meanwhile. Try again when it has finished."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
