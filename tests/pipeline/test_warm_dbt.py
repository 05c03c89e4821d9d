"""budgetwh-dbt, the dbt command line dagster-dbt starts: run by a warm dbt when the build
started one, by plain dbt otherwise, and the same to its caller either way (lib/warm_dbt.py).

Real processes throughout: the warm dbt, the budgetwh-dbt client and plain dbt."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from dbt.version import __version__ as DBT_VERSION

from dagster_project.lib.dbt_project import dbt_project
from dagster_project.lib.warm_dbt import WARM_DBT_ENV, WarmDbt

CLIENT = str(Path(sys.executable).parent / "budgetwh-dbt")
PLAIN = str(Path(sys.executable).parent / "dbt")


def _run(command: list[str], environment: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    # stdout and stderr as separate pipes: each must reach the caller as dbt writes it.
    return subprocess.run(command, capture_output=True, text=True, env=environment, cwd=cwd, timeout=300)


@pytest.fixture
def warm_dbt():
    warm = WarmDbt()
    try:
        yield warm
    finally:
        warm.close()
    assert WARM_DBT_ENV not in os.environ


def _served(warm: WarmDbt) -> bool:
    """A warm dbt serves one command and then ends."""
    try:
        warm._process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        return False
    return True


def test_a_command_gets_what_plain_dbt_gives_and_the_warm_dbt_serves_it(warm_dbt, tmp_path):
    environment = dict(os.environ)
    warm = _run([CLIENT, "--version"], environment, tmp_path)
    unwarmed = {key: value for key, value in environment.items() if key != WARM_DBT_ENV}
    plain = _run([PLAIN, "--version"], unwarmed, tmp_path)
    assert warm.returncode == plain.returncode == 0
    assert f"installed: {DBT_VERSION}" in warm.stdout
    assert warm.stdout == plain.stdout
    assert _served(warm_dbt), "the warm dbt was not the one that ran the command"


def test_a_failing_command_fails_with_dbt_s_exit_code_and_message(warm_dbt, tmp_path):
    """dbt build where there is no dbt profile: dbt's own error, on the caller's stderr."""
    environment = dict(os.environ, DBT_PROFILES_DIR=str(tmp_path / "no profiles here"))
    warm = _run([CLIENT, "build"], environment, tmp_path)
    assert _served(warm_dbt)
    plain = _run([PLAIN, "build"], environment, tmp_path)
    assert warm.returncode == plain.returncode == 2
    assert "no profiles here" in warm.stderr
    assert (warm.stdout, warm.stderr) == (plain.stdout, plain.stderr)


def test_after_the_one_command_it_serves_budgetwh_dbt_is_plain_dbt(warm_dbt, tmp_path):
    environment = dict(os.environ)
    first = _run([CLIENT, "--version"], environment, tmp_path)
    assert _served(warm_dbt)
    second = _run([CLIENT, "--version"], environment, tmp_path)
    without = _run([CLIENT, "--version"], {k: v for k, v in environment.items() if k != WARM_DBT_ENV}, tmp_path)
    assert first.returncode == second.returncode == without.returncode == 0
    assert first.stdout == second.stdout == without.stdout


def test_the_warm_dbt_runs_the_command_in_the_caller_s_folder_and_environment(warm_dbt, tmp_path):
    """dbt ls of the project: it reads the project of the folder it is started in and the
    profile's variables of the environment it is given, not those the warm dbt started with."""
    target = tmp_path / "target"
    environment = dict(
        os.environ,
        BUDGETWH_DBT_DATABASE=str(tmp_path / "listed.duckdb"),
        DBT_TARGET_PATH=str(target),
        DBT_LOG_PATH=str(target),
    )
    command = [CLIENT, "ls", "--resource-type", "model", "--output", "name", "-q"]
    listed = _run(command, environment, dbt_project.project_dir)
    assert _served(warm_dbt)
    assert listed.returncode == 0, listed.stdout + listed.stderr
    models = set(listed.stdout.split())
    assert {"fct_reconciliation_findings", "mart_data_quality", "dim_units"} <= models
    assert (target / "manifest.json").exists()


def test_when_the_client_returns_the_warm_dbt_has_closed_the_file_it_wrote_and_its_logs(warm_dbt, tmp_path):
    """The warm dbt ends without an interpreter's teardown: it must still close the DuckDB
    file as a dbt process does at its end (checkpointed, no write-ahead log, the lock
    released for the next step) and leave dbt's log file whole."""
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: closing\nversion: '1.0.0'\nprofile: closing\n")
    (project / "models" / "figures.sql").write_text("select 1 as figure")
    database = tmp_path / "written.duckdb"
    (project / "profiles.yml").write_text(
        f"closing:\n  target: local\n  outputs:\n    local:\n      type: duckdb\n      path: '{database}'\n"
    )
    logs = tmp_path / "logs"
    environment = dict(os.environ, DBT_PROFILES_DIR=str(project), DBT_LOG_PATH=str(logs), DBT_LOG_LEVEL_FILE="debug")
    ran = _run([CLIENT, "run"], environment, project)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert _served(warm_dbt)
    assert not database.with_name(f"{database.name}.wal").exists()
    con = duckdb.connect(str(database))  # read-write: nobody holds the file any more
    try:
        assert con.execute("select figure from main.figures").fetchall() == [(1,)]
    finally:
        con.close()
    assert "Completed successfully" in (logs / "dbt.log").read_text(encoding="utf-8")


def test_a_warm_dbt_nobody_asks_ends_with_the_build_even_when_the_build_dies(tmp_path):
    """A build killed before its dbt step leaves no warm dbt waiting behind it."""
    build = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; from dagster_project.lib.warm_dbt import WarmDbt; "
            "warm = WarmDbt(); print(warm._process.pid, flush=True); os._exit(9)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert build.returncode == 9
    orphan = int(build.stdout.split()[0])
    deadline = time.monotonic() + 30
    while _alive(orphan) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(orphan), f"the warm dbt {orphan} outlived the build that started it"


def test_closing_an_unasked_warm_dbt_ends_it_and_removes_its_socket():
    warm = WarmDbt()
    address = Path(warm.address)
    assert address.is_socket()
    warm.close()
    assert warm._process.returncode == 0
    assert not address.parent.exists()


def _alive(pid: int) -> bool:
    """Whether the process runs (not merely waits to be reaped: an orphan is reaped by init)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
