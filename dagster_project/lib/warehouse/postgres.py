"""The warehouse served on PostgreSQL, for the bureau's BI tools.

DuckDB stays the warehouse of record: Dagster extracts into its raw layer (with the history
of every disclosure version) and dbt builds and checks the DuckDB file. `budgetwh build
--target postgres` then serves the same warehouse on a PostgreSQL server (or a compatible
one: openGauss, KingbaseES), which BI tools reach over the network with a user and a role:

1. the published file's raw layer is copied into schema `raw__building` (COPY, exact
   decimals: numeric(20, 6) as in DuckDB);
2. the same dbt project builds every model and runs every test there (`dbt build --target
   postgres`), into `reference__building`, `staging__building`, ... (the suffix comes from
   BUDGETWH_SCHEMA_SUFFIX, read by dbt/macros/generate_schema_name.sql);
3. one transaction renames the schemas of the last build to `…__previous` and the new ones
   to their names, and grants the read-only role `budget_reader` the marts and the `bi`
   views: PostgreSQL's DDL is transactional, so a reader sees the old warehouse or the new
   one, never half of one. A build that fails at any step leaves the served schemas as
   they were.

The connection comes from BUDGETWH_POSTGRES_URL (`postgresql://user:password@host:port/db`)
or else from libpq's own variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..paths import DBT_PROJECT_DIR, PROGRESS_LOGGER
from .connection import connect

URL_ENV = "BUDGETWH_POSTGRES_URL"
READER_PASSWORD_ENV = "BUDGETWH_READER_PASSWORD"
# Read by dbt/macros/generate_schema_name.sql and the raw source: the schemas a build writes.
SCHEMA_SUFFIX_ENV = "BUDGETWH_SCHEMA_SUFFIX"
BUILDING = "__building"
PREVIOUS = "__previous"
# Every schema the warehouse is made of, in the order they are swapped.
SCHEMAS = ("raw", "reference", "staging", "intermediate", "marts", "bi")
# What BI users read: the marts and their views with Chinese column names.
READER_ROLE = "budget_reader"
READER_SCHEMAS = ("marts", "bi")
# libpq's variables, as dbt's profile reads them (dbt/profiles.yml, target postgres).
_LIBPQ_VARIABLES = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
}
# DuckDB's types of the raw layer and their PostgreSQL names (lib/warehouse/raw_schema.py).
_POSTGRES_TYPES = {
    "VARCHAR": "text",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "BOOLEAN": "boolean",
    "TIMESTAMP": "timestamp",
    "DATE": "date",
}


class ServingFailed(RuntimeError):
    """The warehouse could not be served on PostgreSQL; what was served before still is."""


@dataclass(frozen=True)
class PostgresTarget:
    """Where the warehouse is served: libpq connection keywords."""

    parameters: Mapping[str, str]

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> PostgresTarget:
        import psycopg2.extensions

        url = environ.get(URL_ENV)
        if url:
            parameters = psycopg2.extensions.parse_dsn(url)
        else:
            parameters = {key: environ[name] for key, name in _LIBPQ_VARIABLES.items() if environ.get(name)}
        return cls({key: str(value) for key, value in parameters.items()})

    def describe(self) -> str:
        """The target without its password, for messages and metadata."""
        parameters = self.parameters
        host = parameters.get("host", "localhost")
        return f"{parameters.get('user', '(default user)')}@{host}:{parameters.get('port', '5432')}/" + parameters.get(
            "dbname", "(default database)"
        )

    @contextmanager
    def connect(self) -> Iterator:
        import psycopg2

        try:
            connection = psycopg2.connect(**self.parameters, connect_timeout=10, application_name="budgetwh")
        except psycopg2.OperationalError as error:
            raise ServingFailed(f"cannot connect to PostgreSQL at {self.describe()}: {error}".strip()) from error
        try:
            yield connection
        finally:
            connection.close()

    def dbt_environment(self, suffix: str) -> dict[str, str]:
        """The environment of a dbt run on this target, writing the schemas named with suffix."""
        environment = {key: value for key, value in os.environ.items() if key not in _LIBPQ_VARIABLES.values()}
        environment.update(
            {_LIBPQ_VARIABLES[key]: value for key, value in self.parameters.items() if key in _LIBPQ_VARIABLES}
        )
        environment[SCHEMA_SUFFIX_ENV] = suffix
        return environment


def serve(published: Path, target: PostgresTarget) -> dict[str, int]:
    """Serve the published DuckDB warehouse on target; returns the rows of each mart served."""
    progress = logging.getLogger(PROGRESS_LOGGER)
    progress.info(f"  serving on PostgreSQL ({target.describe()}): copying the raw layer")
    with target.connect() as connection:
        _drop_schemas(connection, BUILDING)
        copy_raw_layer(published, connection)
    progress.info("  serving on PostgreSQL: dbt build --target postgres")
    run_dbt(target, ["build"])
    with target.connect() as connection:
        rows = _switch_schemas(connection)
        _drop_schemas(connection, PREVIOUS)
    progress.info(f"  served on PostgreSQL: {len(rows)} marts, readable by {READER_ROLE}")
    return rows


def copy_raw_layer(published: Path, connection) -> dict[str, int]:
    """Every raw.* table of the DuckDB file into raw__building, same columns, same values.

    DuckDB writes each table as CSV (exact decimals; an empty string quoted, a NULL not),
    which PostgreSQL's COPY reads back as it was.
    """
    schema = f"raw{BUILDING}"
    copied: dict[str, int] = {}
    source = connect(published, read_only=True)
    try:
        tables = [
            row[0]
            for row in source.execute(
                "select table_name from information_schema.tables where table_schema = 'raw' order by table_name"
            ).fetchall()
        ]
        with connection.cursor() as cursor, tempfile.TemporaryDirectory(prefix="budgetwh-copy-") as scratch:
            cursor.execute(f"create schema {schema}")
            for table in tables:
                columns = source.execute(
                    "select column_name, data_type, is_nullable from information_schema.columns"
                    " where table_schema = 'raw' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
                definition = ", ".join(
                    f'"{name}" {_postgres_type(kind)}' + (" not null" if nullable == "NO" else "")
                    for name, kind, nullable in columns
                )
                cursor.execute(f'create table {schema}."{table}" ({definition})')
                csv_file = Path(scratch) / f"{table}.csv"
                source.execute(f"copy raw.\"{table}\" to '{csv_file}' (format csv, header false, quote '\"')")
                with csv_file.open("rb") as data:
                    cursor.copy_expert(f'copy {schema}."{table}" from stdin with (format csv)', data)
                copied[table] = cursor.rowcount
        connection.commit()
    finally:
        source.close()
    return copied


def _postgres_type(duckdb_type: str) -> str:
    if duckdb_type.startswith("DECIMAL"):
        return duckdb_type.replace("DECIMAL", "numeric")
    try:
        return _POSTGRES_TYPES[duckdb_type]
    except KeyError:
        raise ServingFailed(
            f"the raw layer has a column of type {duckdb_type}, which has no PostgreSQL type here"
        ) from None


def run_dbt(target: PostgresTarget, command: list[str]) -> None:
    """dbt on the postgres target, into the schemas being built. Its own target folder keeps
    the partial-parse state of these runs apart from the DuckDB runs'."""
    dbt = Path(sys.executable).parent / "dbt"
    arguments = [str(dbt), *command, "--target", "postgres", "--target-path", "target/postgres"]
    arguments += ["--profiles-dir", ".", "--project-dir", "."]
    result = subprocess.run(
        arguments,
        cwd=DBT_PROJECT_DIR,
        env=target.dbt_environment(BUILDING),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        errors = [line for line in result.stdout.splitlines() if "ERROR" in line or "FAIL" in line]
        raise ServingFailed(
            f"dbt {' '.join(command)} on PostgreSQL failed; the served warehouse is unchanged:\n"
            + "\n".join(errors[-20:] or result.stdout.splitlines()[-20:] + result.stderr.splitlines()[-5:])
        )


def _existing_schemas(cursor) -> set[str]:
    cursor.execute("select nspname from pg_namespace")
    return {row[0] for row in cursor.fetchall()}


def _drop_schemas(connection, suffix: str) -> None:
    with connection.cursor() as cursor:
        existing = _existing_schemas(cursor)
        for schema in SCHEMAS:
            if schema + suffix in existing:
                cursor.execute(f"drop schema {schema}{suffix} cascade")
    connection.commit()


def _switch_schemas(connection) -> dict[str, int]:
    """In one transaction: the built schemas take the served ones' names, the reader role is
    granted the marts and the bi views. Returns each mart's row count as served."""
    with connection.cursor() as cursor:
        existing = _existing_schemas(cursor)
        missing = [schema + BUILDING for schema in SCHEMAS if schema + BUILDING not in existing]
        if missing:
            raise ServingFailed(f"the build left no schema {', '.join(missing)}; the served warehouse is unchanged")
        for schema in SCHEMAS:
            if schema + PREVIOUS in existing:
                cursor.execute(f"drop schema {schema}{PREVIOUS} cascade")
            if schema in existing:
                cursor.execute(f"alter schema {schema} rename to {schema}{PREVIOUS}")
            cursor.execute(f"alter schema {schema}{BUILDING} rename to {schema}")
        _grant_reader(cursor)
        cursor.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by table_name"
        )
        marts = [row[0] for row in cursor.fetchall()]
        rows = {}
        for mart in marts:
            cursor.execute(f'select count(*) from marts."{mart}"')
            rows[mart] = cursor.fetchone()[0]
    connection.commit()
    return rows


def _grant_reader(cursor) -> None:
    """budget_reader may log in and read the marts and bi views, nothing else: no raw layer,
    no staging, no writing. Its password comes from BUDGETWH_READER_PASSWORD when set (or is
    set by an administrator with ALTER ROLE)."""
    cursor.execute("select 1 from pg_roles where rolname = %s", [READER_ROLE])
    if cursor.fetchone() is None:
        cursor.execute(f"create role {READER_ROLE} login")
    password = os.environ.get(READER_PASSWORD_ENV)
    if password:
        cursor.execute(f"alter role {READER_ROLE} password %s", [password])
    for schema in READER_SCHEMAS:
        cursor.execute(f"grant usage on schema {schema} to {READER_ROLE}")
        cursor.execute(f"grant select on all tables in schema {schema} to {READER_ROLE}")
