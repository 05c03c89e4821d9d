"""Publishing the warehouse file: a reader sees the old version or the new one, never a
build's half-written state; the replaced version stays as the last good one; one build at a
time. Real DuckDB files throughout."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.warehouse.connection import connect
from dagster_project.lib.warehouse.publish import (
    BuildInProgress,
    WarehouseFiles,
    discard_working_copies,
    exclusive_build,
    link_for_dbt,
    prepare_working_copy,
    publish,
)


def _write(path, value: str) -> None:
    con = duckdb.connect(str(path))
    con.execute("create or replace table marts.version as select ? as label", [value])
    con.close()


def _read(path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select label from marts.version").fetchone()[0]
    finally:
        con.close()


RUN = "run-1"


@pytest.fixture
def files(tmp_path):
    files = WarehouseFiles(tmp_path / "budget.duckdb")
    files.work_dir.mkdir(parents=True)
    con = duckdb.connect(str(files.working(RUN)))
    con.execute("create schema marts")
    con.close()
    return files


def test_publish_replaces_the_file_and_keeps_the_previous_version(files):
    _write(files.working(RUN), "first")
    publish(files, RUN)
    second = prepare_working_copy(files, "run-2")
    _write(second, "second")
    assert _read(files.published) == "first"  # a run's writes do not reach readers before publishing

    publish(files, "run-2")

    assert _read(files.published) == "second"
    assert _read(files.previous) == "first"
    assert not files.incoming.exists()
    # The working copy became the published file (renamed, not copied): nothing is left behind.
    assert not files.working("run-2").exists()
    assert (files.exports / "version.parquet").is_file()


def test_working_copies_on_another_filesystem_are_copied_into_place(tmp_path):
    """Where work/ is a filesystem of its own (a mounted scratch disk), the working copy cannot
    be renamed over the published file: it is copied beside it first, then renamed."""
    memory = Path("/dev/shm")
    if not memory.is_dir() or memory.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs /dev/shm on a filesystem other than the temporary folder's")
    scratch = Path(tempfile.mkdtemp(dir=memory))
    try:
        files = WarehouseFiles(tmp_path / "budget.duckdb")
        files.work_dir.symlink_to(scratch)
        con = duckdb.connect(str(files.working(RUN)))
        con.execute("create schema marts")
        con.close()
        _write(files.working(RUN), "first")

        publish(files, RUN)

        assert _read(files.published) == "first"
        assert files.published.stat().st_dev != files.working(RUN).stat().st_dev
        assert not files.incoming.exists()
    finally:
        shutil.rmtree(scratch)


def test_a_failed_judgement_during_the_exports_publishes_nothing(files):
    """The reconciliation judgement runs while the marts are exported: when it fails, the
    published file and its exports stay those of the last good build."""
    _write(files.working(RUN), "first")
    publish(files, RUN)
    _write(prepare_working_copy(files, "run-2"), "second")
    judged = []

    def failing_judgement():
        # It reads the checkpointed working copy, as the exports do meanwhile (here in the same
        # process, as without a GX worker: through the same connection settings).
        con = connect(files.working("run-2"), read_only=True)
        try:
            judged.append(con.execute("select label from marts.version").fetchone()[0])
        finally:
            con.close()
        raise RuntimeError("GX worker died")

    with pytest.raises(RuntimeError, match="GX worker died"):
        publish(files, "run-2", while_exporting=failing_judgement)

    assert judged == ["second"]
    assert _read(files.published) == "first"
    assert files.exports.resolve() == files.exports_of(RUN).resolve()


def test_a_reader_opened_before_a_publish_keeps_reading_its_version(files):
    _write(files.working(RUN), "first")
    publish(files, RUN)
    reader = duckdb.connect(str(files.published), read_only=True)
    _write(prepare_working_copy(files, "run-2"), "second")

    publish(files, "run-2")  # the reader still holds the file open: publishing does not wait for it

    assert reader.execute("select label from marts.version").fetchone()[0] == "first"
    reader.close()
    assert _read(files.published) == "second"


def test_each_run_starts_from_the_published_file_and_failed_runs_are_discarded(files):
    _write(files.working(RUN), "first")
    publish(files, RUN)
    failed = prepare_working_copy(files, "run-2")
    assert _read(failed) == "first"
    _write(failed, "unchecked")  # a run that never publishes

    discard_working_copies(files)

    assert not failed.exists()
    assert _read(prepare_working_copy(files, "run-3")) == "first"
    assert _read(prepare_working_copy(files, "run-3")) == "first"  # started once per run


def test_dbt_opens_one_stable_name_that_writes_the_runs_working_copy(files):
    """dbt's profile names one path for every run (so its partial parse holds); what it
    writes must land in that run's working copy, under the catalog name of the published
    file, which the views it creates refer to."""
    first = link_for_dbt(files, RUN)
    assert link_for_dbt(files, "run-2") == first
    con = duckdb.connect(str(first))
    try:
        assert con.execute("select current_database()").fetchone()[0] == "budget"
        con.execute("create schema if not exists marts")
        con.execute("create view marts.version as select 'through the link' as label")
    finally:
        con.close()
    assert _read(files.working("run-2")) == "through the link"
    with pytest.raises(duckdb.CatalogException):
        _read(files.working(RUN))

    discard_working_copies(files)
    assert not first.exists() and not first.is_symlink()


def test_a_second_build_is_refused_while_one_holds_the_lock(files):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from dagster_project.lib.warehouse.publish import WarehouseFiles, exclusive_build\n"
            "with exclusive_build(WarehouseFiles(Path(sys.argv[1]))):\n"
            "    print('locked', flush=True)\n"
            "    time.sleep(60)\n",
            str(files.published),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(BuildInProgress, match=f"another build of {files.published} is running"):
            with exclusive_build(files):
                pass
    finally:
        holder.kill()
        holder.wait()
    with exclusive_build(files):  # released when the holder ended
        pass
