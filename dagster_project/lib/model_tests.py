"""Trace a failing dbt test to the disclosure versions whose rows break it.

dbt's tests guard the models' invariants (a key unique, a column not null, a code in its
dimension, a value among those accepted). When one fails on real documents, it is nearly
always one document read into rows the models cannot hold. Blocking the county for it would
let a single file stop every department's publication, so the rows that break the test are
found in the tested model, and the disclosure versions they come from are quarantined like
a version that fails a Great Expectations suite (lib/warehouse/loader.py): the county is
rebuilt without them and published. A failure no version explains (a test on a dimension,
a test that errors, a model that does not build) still blocks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

# Columns a model must carry for its rows to be traced to a disclosure version; a model keyed
# by unit (dim_units) is traced through the versions that name that unit.
_VERSION_KEYS = ("disclosure_id", "version_id")
_VERSIONS = "intermediate.int_disclosures_identified"


@dataclass(frozen=True)
class FailingTest:
    unique_id: str
    test_name: str  # unique, not_null, accepted_values, relationships, unique_combination
    relation: str  # schema.table of the tested model
    column: str | None
    kwargs: dict
    to_relation: str | None = None  # relationships: the referenced model
    message: str = ""


@dataclass
class Tracing:
    versions: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # version → reasons
    unexplained: list[str] = field(default_factory=list)  # tests (or nodes) no version explains

    @property
    def can_quarantine(self) -> bool:
        return bool(self.versions) and not self.unexplained


def _relation(node: dict) -> str:
    return f"{node['schema']}.{node.get('alias') or node['name']}"


def failing_tests(run_results: dict, manifest: dict) -> tuple[list[FailingTest], list[str]]:
    """(the failing tests, the failing nodes that are not a traceable test: errors, models)."""
    nodes = manifest["nodes"]
    tests: list[FailingTest] = []
    other: list[str] = []
    for result in run_results.get("results", []):
        if result["status"] not in ("fail", "error"):
            continue
        node = nodes.get(result["unique_id"], {})
        metadata = node.get("test_metadata")
        attached = nodes.get(node.get("attached_node") or "", {})
        if result["status"] != "fail" or not metadata or not attached:
            other.append(f"{result['unique_id']} ({result['status']}): {(result.get('message') or '').strip()}")
            continue
        kwargs = dict(metadata.get("kwargs") or {})
        to_relation = None
        if metadata["name"] == "relationships":
            referenced = next((nodes[d] for d in node["depends_on"]["nodes"] if d != attached["unique_id"]), None)
            to_relation = _relation(referenced) if referenced else None
        tests.append(
            FailingTest(
                result["unique_id"],
                metadata["name"],
                _relation(attached),
                kwargs.get("column_name") or node.get("column_name"),
                kwargs,
                to_relation,
                (result.get("message") or "").strip(),
            )
        )
    return tests, other


def _offending_rows_sql(test: FailingTest) -> str | None:
    """The rows of the tested model that make the test fail, as SQL; None for a test it cannot read."""
    column, relation = test.column, test.relation
    if test.test_name == "not_null" and column:
        return f"select * from {relation} where {column} is null"
    if test.test_name == "unique" and column:
        return (
            f"select * from {relation} where {column} in "
            f"(select {column} from {relation} group by {column} having count(*) > 1)"
        )
    if test.test_name == "unique_combination" and test.kwargs.get("columns"):
        columns = test.kwargs["columns"]
        matches = " and ".join(f"model.{c} is not distinct from repeated.{c}" for c in columns)
        return (
            f"select model.* from {relation} as model inner join (select {', '.join(columns)} from {relation} "
            f"group by {', '.join(columns)} having count(*) > 1) as repeated on {matches}"
        )
    if test.test_name == "accepted_values" and column and test.kwargs.get("values") is not None:
        accepted = ", ".join("'" + str(value).replace("'", "''") + "'" for value in test.kwargs["values"])
        return f"select * from {relation} where {column} is not null and cast({column} as varchar) not in ({accepted})"
    if test.test_name == "relationships" and column and test.to_relation and test.kwargs.get("field"):
        target = test.kwargs["field"]
        return (
            f"select * from {relation} where {column} is not null "
            f"and {column} not in (select {target} from {test.to_relation} where {target} is not null)"
        )
    return None


def trace(con: duckdb.DuckDBPyConnection, tests: list[FailingTest]) -> Tracing:
    """The disclosure versions whose rows break each failing test."""
    tracing = Tracing()
    for test in tests:
        sql = _offending_rows_sql(test)
        columns = (
            {name for (name,) in con.execute(f"select column_name from (describe {test.relation})").fetchall()}
            if sql
            else set()
        )
        shown = f"cast(offending.{test.column} as varchar)" if test.column else "null"
        if sql and set(_VERSION_KEYS) <= columns:
            query = (
                f"select distinct offending.disclosure_id, offending.version_id, {shown} from ({sql}) as offending "
                "where offending.disclosure_id is not null and offending.version_id is not null"
            )
        elif sql and "unit_id" in columns:
            query = (
                f"select distinct versions.disclosure_id, versions.version_id, {shown} from ({sql}) as offending "
                f"inner join {_VERSIONS} as versions on versions.unit_id is not distinct from offending.unit_id"
            )
        else:
            tracing.unexplained.append(f"{test.unique_id}: {test.message} (its rows name no disclosure version)")
            continue
        rows = con.execute(query).fetchall()
        if not rows:
            tracing.unexplained.append(f"{test.unique_id}: {test.message} (no offending row names a version)")
            continue
        for disclosure_id, version_id, value in rows:
            reason = (
                f"{disclosure_id}: its rows fail the warehouse's dbt test {test.test_name} on "
                f"{test.relation}{'.' + test.column if test.column else ''} (value {value!r}); "
                "the document was set aside and the county built without it"
            )
            tracing.versions.setdefault((disclosure_id, version_id), []).append(reason)
    return tracing


def skipped_nodes(run_results: dict) -> list[str]:
    """The nodes a dbt invocation skipped, with dbt's reason. dbt skips a node when one it
    depends on fails, and also, exiting 0 as if all were well, every model that uses an
    ephemeral model that does not compile (dbt-core 1.11): a build that skipped a node must
    not publish the node's rows of the last build as this one's."""
    return [
        f"{result['unique_id']} (skipped): {(result.get('message') or 'an upstream node did not build').strip()}"
        for result in run_results.get("results", [])
        if result["status"] == "skipped"
    ]


def read_run_results(target_dir: Path) -> dict:
    """run_results.json of the dbt invocation that wrote target_dir."""
    return json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))


def read_artifacts(target_dir: Path) -> tuple[dict, dict]:
    """run_results.json and manifest.json of the dbt invocation that wrote target_dir."""
    return read_run_results(target_dir), json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))
