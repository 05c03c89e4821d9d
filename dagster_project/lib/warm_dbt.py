"""dbt started before it is needed: the Python start-up of a `dbt build` off the build's path.

dagster-dbt runs dbt as a subprocess (the `dbt` command line), and that process spends its
first 3-4 s importing dbt, before it reads a file. `budgetwh build` therefore starts a warm
dbt when it starts (`WarmDbt`): a process that imports dbt and the DuckDB adapter on the
other core while Dagster starts and the disclosures are extracted, then waits on a Unix
socket. The dbt command line that dagster-dbt starts is `budgetwh-dbt` (the `client` below):
when a warm dbt is waiting it hands over its arguments, working folder, environment and
its own stdout and stderr (the descriptors themselves), so the warm process runs the
command exactly as `dbt` would, writing dbt's JSON events to the pipe dagster-dbt reads.
The client then exits with dbt's exit code, once the warm process has ended, so the
warehouse file is closed and checkpointed as by a `dbt` process of its own.

A warm dbt serves one command and ends. Without one (the Dagster UI, a second dbt command
in the same run), `budgetwh-dbt` becomes the plain `dbt` of this environment: the
behaviour is the same, only the start-up is not saved.

This module is also the client's entry point, so it imports nothing at the top beyond the
standard library: a client starts in milliseconds.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

# Where a warm dbt waits, for the dbt commands the build starts (they inherit it).
WARM_DBT_ENV = "BUDGETWH_WARM_DBT"
# The arguments, folder and environment of one command: far below this.
_REQUEST_LIMIT = 1 << 22
_IMPORT_NICENESS = 10
# A warm dbt told to end does so at once, unless it still runs a command (then its dbt is
# left the time a checkpoint of the warehouse file takes).
_ENDING_SECONDS = 60


def _dbt_executable() -> str:
    """The plain dbt command line installed beside this interpreter."""
    return str(Path(sys.executable).parent / "dbt")


def _import_dbt() -> None:
    """Import dbt at a low priority: on a machine of few cores the build's own start-up, which
    the build waits for, comes first. Linux gives each thread its priority, so the command
    itself runs at the build's (on the listening thread, and the threads dbt starts)."""
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _IMPORT_NICENESS)
    # The adapter is otherwise imported when the command's profile is read.
    import dbt.adapters.duckdb
    import dbt.cli.main  # noqa: F401


def serve(listening: int) -> None:
    """The warm process: import dbt while a command may already be waiting on the socket it
    was given, listening (it waits for this import, never for a second start-up), then run
    the one command handed over."""
    listener = socket.socket(fileno=listening)
    importing = threading.Thread(target=_import_dbt, daemon=True)
    importing.start()
    # The build holds this process's stdin: it closes it at its end, or dies, and then a warm
    # dbt nobody asked for ends at once (mid-import: nothing of it to keep).
    asked, _, _ = select.select([listener, sys.stdin], [], [])
    if listener not in asked:
        os._exit(0)
    connection, _ = listener.accept()
    listener.close()
    importing.join()
    from dbt.cli.main import cli

    message, descriptors, _, _ = socket.recv_fds(connection, _REQUEST_LIMIT, 2)
    while not message.endswith(b"\n"):  # the rest of a request the socket split
        rest = connection.recv(_REQUEST_LIMIT)
        if not rest:  # the client went before its request was whole: nothing to run
            os._exit(1)
        message += rest
    request = json.loads(message)
    connection.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
    os.dup2(descriptors[0], 1)
    os.dup2(descriptors[1], 2)
    for descriptor in descriptors:
        os.close(descriptor)
    # Each of dbt's event lines reaches dagster-dbt as it is written, as with the unbuffered
    # output dagster-dbt asks of a dbt process of its own.
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["dbt", *request["args"]]
    try:
        cli.main(args=request["args"], prog_name="dbt")  # exits as the `dbt` command does
        code = 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    _close_warehouse()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    connection.sendall(json.dumps({"exit": code}).encode() + b"\n")
    # The warehouse file is closed and dbt's files and output are written: the process ends
    # without the teardown of an interpreter that holds dbt (about 1 s of a one-change
    # rebuild). The client waits for the end before it exits.
    os._exit(code)


def _close_warehouse() -> None:
    """Close the DuckDB database dbt worked in, as the end of a `dbt` process does: DuckDB
    checkpoints the file on its close. dbt-duckdb keeps one database for the process, which
    its connection manager lets go of; the collection closes it. Should anything still hold
    it, the write-ahead log stays beside the file, durable, and the publish step's checkpoint
    folds it in (lib/warehouse/publish.py)."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # not the DuckDB adapter's process
        return
    DuckDBConnectionManager.close_all_connections()
    gc.collect()


def client() -> None:
    """`budgetwh-dbt`: the dbt command line, run by the warm dbt when one is waiting."""
    args = sys.argv[1:]
    address = os.environ.get(WARM_DBT_ENV)
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        if not address:
            raise ConnectionRefusedError
        connection.connect(address)
    except OSError:  # no warm dbt waits there (any more)
        connection.close()
        os.execv(_dbt_executable(), [_dbt_executable(), *args])
    # Used once: a dbt command this one starts, or a later one, starts its own dbt.
    environment = {key: value for key, value in os.environ.items() if key != WARM_DBT_ENV}
    request = json.dumps({"args": args, "cwd": os.getcwd(), "env": environment}).encode() + b"\n"
    socket.send_fds(connection, [request], [sys.stdout.fileno(), sys.stderr.fileno()])
    answers = connection.makefile("r", encoding="utf-8")
    accepted = answers.readline()
    if not accepted:  # the warm process ended before it took the command: nothing has run
        connection.close()
        os.execv(_dbt_executable(), [_dbt_executable(), *args])
    server = json.loads(accepted)["pid"]
    # An interrupted dbt command (a run cancelled in Dagster) interrupts the dbt running it.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda received, _frame: os.kill(server, received))
    line = answers.readline()
    if not line:  # the warm process died (killed, out of memory) before dbt returned
        sys.stderr.write("budgetwh-dbt: the warm dbt process ended without an exit code\n")
        sys.exit(2)
    code = json.loads(line)["exit"]
    _wait_for_exit(server)
    sys.exit(code)


def _wait_for_exit(pid: int) -> None:
    """Until the process has ended (it is not this process's child: a pidfd tells)."""
    try:
        descriptor = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        select.select([descriptor], [], [])
    finally:
        os.close(descriptor)


class WarmDbt:
    """A warm dbt for the build's process and the dbt commands it starts (one command)."""

    def __init__(self) -> None:
        self._folder = tempfile.mkdtemp(prefix="budgetwh-dbt-")
        self.address = os.path.join(self._folder, "dbt.sock")
        # Listening from here on, before the process has started: a dbt command started at
        # once connects, and waits for the import instead of missing the warm dbt.
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
            listener.bind(self.address)
            listener.listen(1)
            self._process = subprocess.Popen(
                [sys.executable, "-m", "dagster_project.lib.warm_dbt", str(listener.fileno())],
                pass_fds=[listener.fileno()],
                stdin=subprocess.PIPE,
            )
        os.environ[WARM_DBT_ENV] = self.address

    def close(self) -> None:
        if os.environ.get(WARM_DBT_ENV) == self.address:
            del os.environ[WARM_DBT_ENV]
        # Unasked, the warm dbt ends on this; having served, it has ended with its command
        # (budgetwh-dbt waits for that).
        assert self._process.stdin is not None
        self._process.stdin.close()
        try:
            self._process.wait(timeout=_ENDING_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for path in Path(self._folder).glob("*"):
            path.unlink()
        os.rmdir(self._folder)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
