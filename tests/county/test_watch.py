"""`budgetwh watch` (dagster_project/watch.py): one process that publishes each change under raw/
as it lands, through the same Dagster run as `budgetwh build`, and builds nothing for what
changes nothing."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from dagster_project.lib.warehouse.publish import WarehouseFiles, exclusive_build
from dagster_project.watch import watch
from synthetic.catalogue import COUNTY_CODE
from tests.county.conftest import copy_of_county, correct

CORRECTED = f"{COUNTY_CODE}/2025/101_人民政府办公室.txt"
CORRECTED_LATER = f"{COUNTY_CODE}/2024/101_人民政府办公室.txt"
REMOVED = f"{COUNTY_CODE}/2023/101_人民政府办公室.txt"
# Long enough for the watcher to have seen a change (it waits 0.2 s of quiet) and decided.
SETTLE_SECONDS = 3


def _versions(warehouse, disclosure_id: str) -> tuple[int, bool]:
    """(versions of the disclosure the published warehouse holds, whether one is current)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            "select count(*), coalesce(bool_or(is_current), false) from marts.fct_disclosure_versions "
            "where disclosure_id = ?",
            [disclosure_id],
        ).fetchone()
    finally:
        con.close()


def _wait_until(condition, watcher: threading.Thread, lines: list[str], what: str, seconds: float = 120) -> None:
    """Until `condition()` holds; the watcher must stay alive meanwhile."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert watcher.is_alive(), f"the watcher ended before it could {what}: {lines}"
        assert time.monotonic() < deadline, f"the watcher did not {what}: {lines}"
        time.sleep(0.2)


def test_the_watcher_publishes_each_change_and_nothing_for_what_changes_nothing(county, tmp_path):
    raw, warehouse = copy_of_county(county, tmp_path, "w")
    assert _versions(warehouse, CORRECTED) == (1, True)

    lines: list[str] = []
    builds: queue.Queue = queue.Queue()
    stop = threading.Event()
    watcher = threading.Thread(
        target=watch,
        args=(raw, warehouse, lines.append),
        kwargs={"stop": stop, "on_build": lambda changed, summary: builds.put((changed, summary))},
    )
    watcher.start()
    try:
        _wait_until(lambda: any(line.startswith("watching") for line in lines), watcher, lines, "start watching")
        # Raw and warehouse agree: nothing to build at the start, nor for a file saved as it
        # was or an editor's hidden scratch file.
        (raw / CORRECTED).write_bytes((raw / CORRECTED).read_bytes())
        (raw / CORRECTED).with_name(".~lock.101_人民政府办公室.txt#").write_text("scratch", encoding="utf-8")
        time.sleep(SETTLE_SECONDS)
        assert builds.empty(), "the watcher built although nothing under raw/ changed the warehouse"

        # A correction while another build holds the warehouse is not lost: it is published
        # once that build has ended, with no further change.
        with exclusive_build(WarehouseFiles(warehouse)):
            correct(raw / CORRECTED)
            time.sleep(SETTLE_SECONDS)
            assert builds.empty()
        assert any(line.startswith("not built now") for line in lines), lines
        changed, summary = builds.get(timeout=300)
        assert summary.success and summary.published == warehouse, summary.render()
        assert changed == [CORRECTED]
        assert summary.extracted == 1
        assert _versions(warehouse, CORRECTED) == (2, True)

        # The next changes are published by the same process, as the first was: a correction
        # and a removal (retired: its rows stay as history, no longer current).
        correct(raw / CORRECTED_LATER)
        (raw / REMOVED).unlink()
        changed, summary = builds.get(timeout=300)
        assert set(changed) == {CORRECTED_LATER, REMOVED} and summary.published == warehouse, summary.render()
        assert _versions(warehouse, CORRECTED_LATER) == (2, True)
        assert summary.retired == 1
        assert _versions(warehouse, REMOVED) == (1, False)
        assert any(line.startswith("published") for line in lines), lines
    finally:
        stop.set()
        watcher.join(timeout=60)
    assert not watcher.is_alive(), "the watcher did not stop when asked"


def test_the_watch_command_stops_on_sigterm_as_a_service_manager_stops_it(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    command = ["watch", "--raw", str(raw), "--warehouse", str(tmp_path / "w.duckdb")]
    watcher = subprocess.Popen(
        [sys.executable, "-m", "dagster_project.cli", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        assert watcher.stdout is not None
        for line in watcher.stdout:
            if "Ctrl-C stops" in line:
                break
        else:
            raise AssertionError(f"the watcher ended before it watched: {watcher.stderr.read()}")
        watcher.send_signal(signal.SIGTERM)
        assert watcher.wait(timeout=60) == 0
        assert "stopped" in watcher.stdout.read()
    finally:
        if watcher.poll() is None:
            watcher.kill()


def test_a_build_the_watcher_cannot_make_is_reported_and_the_watching_goes_on(county, tmp_path):
    raw, warehouse = copy_of_county(county, tmp_path, "w")
    warehouse.write_bytes(b"not a DuckDB file")  # e.g. a disk that filled during a copy
    lines: list[str] = []
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(raw, warehouse, lines.append), kwargs={"stop": stop})
    watcher.start()
    try:
        _wait_until(lambda: any(line.startswith("watching") for line in lines), watcher, lines, "start watching")
        assert any(line.startswith("not built:") and "DuckDB" in line for line in lines), lines
        correct(raw / CORRECTED)
        _wait_until(lambda: sum(line.startswith("not built:") for line in lines) == 2, watcher, lines, "try the change")
    finally:
        stop.set()
        watcher.join(timeout=60)
    assert not watcher.is_alive()


def test_preparing_build_after_build_leaves_the_environment_as_after_the_first(tmp_path, monkeypatch):
    """The watcher prepares the environment for every build: PATH must not grow with each (a
    variable beyond 128 KiB would stop every new process, dbt's among them)."""
    from dagster_project.build import prepare_environment

    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    prepare_environment(tmp_path / "budget.duckdb")
    first = os.environ["PATH"]
    for _ in range(3):
        prepare_environment(tmp_path / "budget.duckdb")
    assert os.environ["PATH"] == first
    assert first.split(os.pathsep)[0] == str(Path(sys.executable).parent)
