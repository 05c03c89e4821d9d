"""A real PostgreSQL server for the tests: Debian's `postgresql` package (installed by `make
test`), started in a temporary data directory on a free port, and stopped afterwards.

PostgreSQL refuses to run as root: when the tests run as root (as on CI) the server runs as
the `postgres` user the package creates. Connections over TCP need a password (scram), as a
BI tool's would; the socket directory is the server's own, so nothing of the machine's
other servers is touched.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SUPERUSER_PASSWORD = "builder-secret"
DATABASE = "budget"
# `make test` sets it: there the server must be found, a skip would hide a missing install.
REQUIRE_ENV = "BUDGETWH_REQUIRE_POSTGRES"


class NoPostgres(RuntimeError):
    pass


@dataclass(frozen=True)
class PostgresServer:
    port: int
    data_dir: Path

    def url(self, user: str = "postgres", password: str = SUPERUSER_PASSWORD) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{DATABASE}"


def binaries() -> Path:
    """The bin folder of the newest PostgreSQL installed from Debian's packages."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(Path(path).parts[4]))
    if not found:
        raise NoPostgres("no PostgreSQL server installed (Debian's postgresql package; `make test` installs it)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def running_server() -> Iterator[PostgresServer]:
    """A server for the duration of the block, its data directory removed afterwards. The
    directory is made directly under the system's temporary folder: pytest's own folders are
    private to the user running the tests, which the server's user may not enter."""
    bin_dir = binaries()
    root = Path(tempfile.mkdtemp(prefix="budgetwh-postgres-"))
    data_dir, socket_dir = root / "data", root / "socket"
    socket_dir.mkdir()
    password_file = root / "password"
    password_file.write_text(SUPERUSER_PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(socket_dir, "postgres")
        shutil.chown(password_file, "postgres")
    port = _free_port()
    _run(
        _as_server_user(
            [
                str(bin_dir / "initdb"),
                *("-D", str(data_dir), "-U", "postgres", f"--pwfile={password_file}"),
                *("--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"),
            ]
        )
    )
    options = f"-p {port} -k {socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
    log = root / "server.log"
    _run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-o", options, "-l", str(log), "-w", "start"]))
    try:
        server = PostgresServer(port, data_dir)
        _create_database(server)
        yield server
    finally:
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", "fast", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise NoPostgres(f"{' '.join(command)} failed: {result.stderr.strip() or result.stdout.strip()}")


def _create_database(server: PostgresServer) -> None:
    import psycopg2

    deadline = time.monotonic() + 30
    while True:
        try:
            connection = psycopg2.connect(server.url().rsplit("/", 1)[0] + "/postgres")
            break
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"create database {DATABASE}")
    connection.close()
