"""The views and seeds a dbt build need not make again.

A view is a stored query and a seed a copy of one of the project's CSV files: neither holds
anything read from raw/. Every build starts from a copy of the published warehouse, so when
that file was built by this very dbt project (the same models, macros, seeds and versions of
dbt and DuckDB), its views and seeds are already what dbt would create, and a view over a
rebuilt table reads the new rows. Re-creating them is dbt's per-node work and nothing else:
51 of the 178 nodes, about 2 s of the dbt step of a one-change rebuild at 1,000 disclosures.

The build records the project's fingerprint in the warehouse (PROJECT_STATE) after dbt built
every node, and the next build leaves standing the views and seeds of a working copy whose
fingerprint matches and which holds every one of them; every table model and every test
still runs, the tests of standing views and seeds included. Any change to the project, or a
working copy built otherwise (a subset materialised in the UI, an older version), makes a
build of every node again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

import duckdb

from .dbt_project import project_source_files

PROJECT_STATE = "meta.dbt_project_state"
# What decides the SQL dbt runs, beside the project's own files: the versions that compile it.
_VERSIONED = ("dbt-core", "dbt-duckdb", "duckdb")


def project_fingerprint(project_dir: Path) -> str:
    """A hash of every file of the dbt project that shapes a relation, and of the versions of
    dbt and DuckDB that make it."""
    digest = hashlib.sha256()
    for package in _VERSIONED:
        digest.update(f"{package}=={version(package)}\n".encode())
    for path in project_source_files(project_dir):
        digest.update(f"{path.relative_to(project_dir).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# The incremental model every version's evaluations go through (dbt/macros/incremental_by_version.sql).
BUILT_VERSIONS = "intermediate.int_findings_within_versions"


def record_project(con: duckdb.DuckDBPyConnection, fingerprint: str) -> None:
    """Note in the warehouse that dbt built every node of the project with this fingerprint, in
    this catalog: DuckDB names a file's catalog after it, and a view names the catalog of the
    relations it reads, so a warehouse file renamed since needs its views made again."""
    con.execute("create schema if not exists meta")
    con.execute(
        f"create or replace table {PROJECT_STATE} as select ?::varchar as project_fingerprint, "
        "current_database() as catalog, current_localtimestamp() as built_at",
        [fingerprint],
    )


def recorded_state(con: duckdb.DuckDBPyConnection) -> tuple[str, str] | None:
    """(project fingerprint, catalog) the warehouse's last whole dbt build recorded, if any."""
    if not _relation_exists(con, PROJECT_STATE):
        return None
    # Read by name: a table an earlier version of the build wrote may lack a column, and
    # then nothing stands.
    cursor = con.execute(f"select * from {PROJECT_STATE}")
    names = [column[0] for column in cursor.description]
    row = cursor.fetchone()
    state = dict(zip(names, row, strict=True)) if row else {}
    if "project_fingerprint" not in state or "catalog" not in state:
        return None
    return state["project_fingerprint"], state["catalog"]


def built_by_project(con: duckdb.DuckDBPyConnection, fingerprint: str) -> bool:
    """Whether the warehouse's last whole dbt build was by the project of `fingerprint`: then
    the rows its incremental models hold were computed by the code that would compute them
    now (dbt/macros/incremental_by_version.sql), whatever the file is called."""
    state = recorded_state(con)
    return state is not None and state[0] == fingerprint


def versions_to_model(con: duckdb.DuckDBPyConnection, incremental: bool) -> int:
    """The disclosure versions the next dbt build computes in its incremental models: those
    loaded after the last version they hold (the same clock: each row's version_loaded_at is
    its load's extracted_at), or every loaded version when they are built in full."""
    loads = "select count(*) from raw.disclosures"
    if incremental and _relation_exists(con, BUILT_VERSIONS):
        loads += f" where extracted_at > (select coalesce(max(version_loaded_at), '-infinity') from {BUILT_VERSIONS})"
    return con.execute(loads).fetchone()[0]


def _relation_exists(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    """Whether `schema.name` is a table or view of the warehouse's own catalog."""
    return any(f"{schema}.{name}" == relation for schema, name, _ in _relations(con))


def _relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(schema, name, 'table' or 'view') of every relation in the warehouse's own catalog."""
    return con.execute(
        "select schema_name, table_name, 'table' from duckdb_tables() where database_name = current_database() "
        "union all select schema_name, view_name, 'view' from duckdb_views() "
        "where database_name = current_database() and not internal order by all"
    ).fetchall()


def _relation_name(node: Mapping[str, Any]) -> tuple[str, str]:
    return node["schema"], node["alias"] or node["name"]


def _standing_kind(node: Mapping[str, Any]) -> str | None:
    """'view' or 'table' for a node whose relation holds nothing from raw/, else None."""
    if node["resource_type"] == "seed":
        return "table"
    if node["resource_type"] == "model" and node["config"].get("materialized") == "view":
        return "view"
    return None


def standing_nodes(con: duckdb.DuckDBPyConnection, manifest: Mapping[str, Any], fingerprint: str) -> list[str]:
    """The unique ids of the views and seeds a build can leave as they are in the warehouse of
    `con`: all of them when it was built by the project of `fingerprint`, under the name it has
    now, and holds every one; none otherwise."""
    (catalog,) = con.execute("select current_database()").fetchone()
    if recorded_state(con) != (fingerprint, catalog):
        return []
    wanted = {
        unique_id: (*_relation_name(node), kind)
        for unique_id, node in manifest["nodes"].items()
        if (kind := _standing_kind(node)) is not None
    }
    present = set(_relations(con))
    if not all(relation in present for relation in wanted.values()):
        return []
    return sorted(wanted)


def drop_relations_not_built(con: duckdb.DuckDBPyConnection, manifest: Mapping[str, Any]) -> list[str]:
    """Drop the tables and views of the schemas the project builds into that no node of the
    project builds (a model removed, renamed or made ephemeral since the warehouse was built):
    dbt leaves them as they were, stale, where a BI user would still find them. Call it after a
    build of every node. Returns the names dropped."""
    built = {
        _relation_name(node)
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed", "snapshot") and node["config"].get("materialized") != "ephemeral"
    }
    schemas = {schema for schema, _ in built}
    stale = [
        (schema, name, kind)
        for schema, name, kind in _relations(con)
        if schema in schemas and (schema, name) not in built
    ]
    for schema, name, kind in stale:
        con.execute(f'drop {kind} "{schema}"."{name}"')
    return [f"{schema}.{name}" for schema, name, _ in stale]
