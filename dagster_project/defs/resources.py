"""The DuckDB warehouse and dbt as Dagster resources.

DuckDB allows one read-write process and then no readers at all, so every connection is
opened for one step and closed before the next (dbt runs as a subprocess and must find
the file free), and builds write a working copy, never the published file. `budgetwh build`
passes the paths as the run's resource configuration; a run started elsewhere (the UI, the
sensor) uses the project's defaults (lib/paths.py), read when the run starts, not at import.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource
from dagster_dbt.compat import DBT_PYTHON_VERSION
from packaging import version

from ..lib.dbt_project import dbt_project
from ..lib.paths import default_raw_dir, default_warehouse
from ..lib.warehouse.connection import connect as connect_warehouse
from ..lib.warehouse.loader import ensure_raw_schema
from ..lib.warehouse.postgres import URL_ENV, PostgresTarget
from ..lib.warehouse.publish import WarehouseFiles, link_for_dbt, prepare_working_copy


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse and the raw/ folder it is built from.

    `database` names the published file, the one readers open. The steps of a run write
    that run's working copy (lib/warehouse/publish.py), and the publish asset replaces the
    published file with it at the end of a run whose integrity checks passed.
    """

    database: str | None = None
    raw_dir: str | None = None

    def files(self) -> WarehouseFiles:
        return WarehouseFiles(Path(self.database).resolve() if self.database else default_warehouse())

    def working_path(self, run_id: str) -> Path:
        return prepare_working_copy(self.files(), run_id)

    def path_for_dbt(self, run_id: str) -> Path:
        """The stable name under which dbt opens the run's working copy."""
        return link_for_dbt(self.files(), run_id)

    def raw_path(self) -> Path:
        return Path(self.raw_dir).resolve() if self.raw_dir else default_raw_dir()

    @contextmanager
    def connect(self, run_id: str, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the run's working copy, for one step."""
        con = connect_warehouse(self.working_path(run_id), read_only=read_only)
        try:
            yield con
        finally:
            con.close()

    def ensure_raw_schema(self, run_id: str) -> None:
        with self.connect(run_id) as con:
            ensure_raw_schema(con)


class PostgresResource(dg.ConfigurableResource):
    """The PostgreSQL server the warehouse is served on. `url` (postgresql://user:pw@host/db)
    when given, else BUDGETWH_POSTGRES_URL, else libpq's PGHOST, PGUSER, PGDATABASE, ...,
    read when the run starts."""

    url: str | None = None

    def target(self) -> PostgresTarget:
        if self.url:
            return PostgresTarget.from_environment({URL_ENV: self.url})
        return PostgresTarget.from_environment()


class WarehouseDbtResource(DbtCliResource):
    """dagster-dbt's dbt CLI resource without two start-up costs this project does not use.

    Before every `dbt build`, dagster-dbt 0.29 (pinned exactly in pyproject.toml) runs
    `dbt --version` in a subprocess to learn the CLI's version, and opens a read-only dbt
    adapter in the Dagster process (loading every macro) for row-count and column metadata.
    Together that was 3.5 s of a 19 s one-disclosure rebuild. The dbt CLI here is the
    dbt-core installed beside this interpreter, so its version is the package's; and the
    warehouse's materialisations ask for no adapter metadata, so no adapter is opened.
    Both are private hooks of dagster-dbt: the pipeline tests run real dbt builds through
    this resource, so a change in them shows there.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return DBT_PYTHON_VERSION

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


@dg.definitions
def resources() -> dg.Definitions:
    # In-process execution: one writer to the DuckDB file at a time, and on 2 cores it is
    # faster than the multiprocess executor (docs/architecture.md: 22 s against 52 s).
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource(),
            "postgres": PostgresResource(),
            "dbt": WarehouseDbtResource(
                project_dir=dbt_project,
                # The dbt installed beside this interpreter, whether or not the venv is activated,
                # through budgetwh-dbt: a build's dbt is started before it is needed
                # (lib/warm_dbt.py); anywhere else budgetwh-dbt is plain dbt.
                dbt_executable=str(Path(sys.executable).parent / "budgetwh-dbt"),
            ),
        },
        executor=dg.in_process_executor,
    )
