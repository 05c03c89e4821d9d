"""Great Expectations suites over the raw tables: the extraction's integrity.

Suites are plain JSON in expectations/ (one per raw table, named raw.<table>). GX 1.x
validates pandas frames read from DuckDB here: its SQL route over DuckDB returns empty
metrics (GX issues #10738, #11579). The suites guard extraction's integrity (codes well
formed, amounts present and non-negative where required, no duplicate rows), not the
documents' arithmetic, which the reconciliation rules judge.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from ..paths import EXPECTATIONS_DIR
from ..warehouse.connection import connect
from ..warehouse.raw_schema import ALL_TABLES
from .forked import in_a_child
from .slices import slices_of

# Tables whose failing rows cannot be set aside by quarantining a version: they record the
# quarantine itself, or are not kept per version.
_NOT_QUARANTINABLE = {"rejected_files", "retired_disclosures"}
# Columns GX reports beside each failing value: the version to quarantine, and the line an
# officer opens.
_LOCATING_COLUMNS = ("disclosure_id", "version_id", "source_file", "source_line")


@dataclass
class SuiteOutcome:
    table: str
    rows: int
    success: bool
    failures: list[dict] = field(default_factory=list)
    # Each failing row's version and where it came from: {disclosure_id, version_id, reason}.
    offending_rows: list[dict] = field(default_factory=list)

    @property
    def attributable(self) -> bool:
        """Every failure lies in rows of known versions, so quarantining those versions
        leaves the rest of the table passing the suite."""
        if self.success:
            return True
        if self.table in _NOT_QUARANTINABLE:
            return False
        return all(failure["unexpected_count"] and failure["located"] for failure in self.failures)


@dataclass(frozen=True)
class FailingVersion:
    disclosure_id: str
    version_id: str
    reason: str  # the first failing row's expectation, value, file and line


def failing_versions(outcomes: list[SuiteOutcome]) -> list[FailingVersion]:
    """The versions whose rows fail a suite, one reason each (their first failing row)."""
    found: dict[tuple[str, str], str] = {}
    for outcome in outcomes:
        for row in outcome.offending_rows:
            found.setdefault((row["disclosure_id"], row["version_id"]), row["reason"])
    return [FailingVersion(disclosure, version, reason) for (disclosure, version), reason in sorted(found.items())]


def suite_files(directory: Path = EXPECTATIONS_DIR) -> dict[str, Path]:
    """raw table name → its suite file."""
    return {path.stem.removeprefix("raw."): path for path in sorted(directory.glob("raw.*.json"))}


@cache
def unique_keys(directory: Path = EXPECTATIONS_DIR) -> dict[str, list[str]]:
    """raw table → the columns its suite requires to be unique together (beyond the version).
    Read once per process: the loader asks for every disclosure it puts into columns."""
    keys: dict[str, list[str]] = {}
    for table, path in suite_files(directory).items():
        for expectation in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            if expectation["type"] == "expect_compound_columns_to_be_unique":
                columns = expectation["kwargs"]["column_list"]
                keys[table] = [c for c in columns if c not in ("disclosure_id", "version_id")]
    return keys


# The versions a run wrote: loaded or quarantined since it started.
_VERSIONS_SINCE = """
    select disclosure_id, version_id from raw.disclosures where extracted_at >= $since
    union all
    select disclosure_id, version_id from raw.rejected_files where rejected_at >= $since
"""


# Rows validated in one frame at most. A frame holds every value as a Python object (about a
# kilobyte a row): the whole of raw.* at once was 1.3 GB at 4,000 disclosures.
SLICE_ROWS = 200_000


def _slices(
    con: duckdb.DuckDBPyConnection, table: str, since: datetime | None, slice_rows: int
) -> tuple[list[list[tuple[str, str]] | None], int]:
    """The table's rows to validate as slices of whole versions of about `slice_rows` rows
    each (None: the whole table), a version larger than that a slice of its own; and how many
    rows they hold. Every suite's expectations hold row by row or within a version (its
    uniqueness keys begin with the version), so slices judge as the whole table would."""
    if table not in ALL_TABLES:  # a table not kept per version is small: all of it, if any
        (rows,) = con.execute(f"select count(*) from raw.{table}").fetchone()
        return ([None] if rows else []), rows
    written = f"where (disclosure_id, version_id) in (select (disclosure_id, version_id) from ({_VERSIONS_SINCE}))"
    counts = con.execute(
        f"select disclosure_id, version_id, count(*) from raw.{table} {written if since else ''} "
        "group by all order by all",
        {"since": since} if since else None,
    ).fetchall()
    groups = [((disclosure_id, version_id), rows) for disclosure_id, version_id, rows in counts]
    return slices_of(groups, slice_rows), sum(rows for _, rows in groups)


def _rows(con: duckdb.DuckDBPyConnection, table: str, versions: list[tuple[str, str]] | None):
    if versions is None:
        return con.sql(f"select * from raw.{table}").df()
    keys = pa.table({"disclosure_id": [k for k, _ in versions], "version_id": [v for _, v in versions]})
    con.register("slice_versions", keys)
    try:
        return con.execute(
            f"select t.* from raw.{table} as t semi join slice_versions as v "
            "on v.disclosure_id = t.disclosure_id and v.version_id = t.version_id"
        ).df()
    finally:
        con.unregister("slice_versions")


def validate_raw_tables(
    con: duckdb.DuckDBPyConnection,
    since: datetime | None = None,
    directory: Path = EXPECTATIONS_DIR,
    slice_rows: int = SLICE_ROWS,
) -> list[SuiteOutcome]:
    """Validate every raw table, or only the versions written since `since` (UTC): the rows a
    run extracted are what its suites must vouch for. One table and one slice of versions at
    a time (_slices), so memory stays bounded however large the county."""
    suites = suite_files(directory)
    slices = {table: _slices(con, table, since, slice_rows)[0] for table in suites}
    return _judged_here(con, suites, slices)


def _judged_here(
    con: duckdb.DuckDBPyConnection, suites: dict[str, Path], slices: dict[str, list]
) -> list[SuiteOutcome]:
    def judged(table: str, versions, batch_definition, suite) -> SuiteOutcome:
        return _slice_outcome(table, _rows(con, table, versions), batch_definition, suite)

    return _judge(suites, slices, judged)


def validate_raw_tables_in_children(
    database: Path, since: datetime | None = None, directory: Path = EXPECTATIONS_DIR, slice_rows: int = SLICE_ROWS
) -> list[SuiteOutcome]:
    """validate_raw_tables with each slice judged in a child forked from this process, which
    opens the warehouse itself: what GX allocates for a slice leaves with its child (one
    process judging the 70 slices of 10,000 disclosures grew to 870 MiB). Rows that fit one
    slice in all (the few versions of a correction) are judged in one child, table after table:
    a child per table's slice cost a one-change rebuild 1.8 s where one child takes 0.8 s.
    Only in a process without DuckDB threads at a fork, the GX worker (lib/quality/forked.py)."""
    suites = suite_files(directory)
    con = connect(database, read_only=True)
    try:
        sliced = {table: _slices(con, table, since, slice_rows) for table in suites}
    finally:
        con.close()  # before any child is forked
    slices = {table: table_slices for table, (table_slices, _) in sliced.items()}

    if sum(rows for _, rows in sliced.values()) <= slice_rows:

        def judge_all() -> list[dict]:
            child_con = connect(database, read_only=True)
            try:
                return [asdict(outcome) for outcome in _judged_here(child_con, suites, slices)]
            finally:
                child_con.close()

        return [SuiteOutcome(**outcome) for outcome in in_a_child(judge_all, "the raw tables' suites")]

    def judged_in_a_child(table: str, versions, batch_definition, suite) -> SuiteOutcome:
        def judge() -> dict:
            child_con = connect(database, read_only=True)
            try:
                frame = _rows(child_con, table, versions)
            finally:
                child_con.close()
            return asdict(_slice_outcome(table, frame, batch_definition, suite))

        return SuiteOutcome(**in_a_child(judge, f"the suite of raw.{table}"))

    return _judge(suites, slices, judged_in_a_child)


def _judge(suites: dict[str, Path], slices: dict[str, list], judged) -> list[SuiteOutcome]:
    """Each table's outcome, from the outcomes `judged(table, versions, batch_definition,
    suite)` gives of its slices, one slice at a time."""
    if not any(slices.values()):
        return [SuiteOutcome(table, 0, True) for table in suites]

    import great_expectations as gx  # 3-5 s to import: only when there are rows to validate
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("warehouse_raw")
    outcomes = []
    for table, path in suites.items():
        outcome = SuiteOutcome(table, 0, True)
        batch_definition = source.add_dataframe_asset(name=table).add_batch_definition_whole_dataframe("all")
        suite = context.suites.add(gx.ExpectationSuite(**json.loads(path.read_text(encoding="utf-8"))))
        for versions in slices[table]:
            _merge(outcome, judged(table, versions, batch_definition, suite))
        outcomes.append(outcome)
    return outcomes


def _slice_outcome(table: str, frame, batch_definition, suite) -> SuiteOutcome:
    """The suite's outcome on one slice of a table."""
    outcome = SuiteOutcome(table, len(frame), True)
    if frame.empty:
        return outcome
    locating = [column for column in _LOCATING_COLUMNS if column in frame.columns]
    result = batch_definition.get_batch(batch_parameters={"dataframe": frame}).validate(
        suite, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": locating}
    )
    outcome.success = bool(result.success)
    for item in result.results:
        if item.success:
            continue
        rows = item.result.get("unexpected_index_list") or []
        kwargs = {k: v for k, v in item.expectation_config.kwargs.items() if k != "batch_id"}
        failure = {
            "expectation": item.expectation_config.type,
            "kwargs": kwargs,
            "unexpected_count": item.result.get("unexpected_count"),
            "sample": [str(v) for v in (item.result.get("partial_unexpected_list") or [])[:5]],
            "located": bool(rows) and all("version_id" in row for row in rows),
        }
        outcome.failures.append(failure)
        outcome.offending_rows += [_offending_row(table, failure["expectation"], kwargs, row) for row in rows]
    return outcome


def _merge(outcome: SuiteOutcome, part: SuiteOutcome) -> None:
    """Add a slice's outcome to its table's: failures of the same expectation are counted
    together, their samples and rows kept."""
    outcome.rows += part.rows
    outcome.success = outcome.success and part.success
    for failure in part.failures:
        kind = (failure["expectation"], failure["kwargs"])
        same = next((f for f in outcome.failures if (f["expectation"], f["kwargs"]) == kind), None)
        if same is None:
            outcome.failures.append(dict(failure))
        else:
            same["unexpected_count"] = (same["unexpected_count"] or 0) + (failure["unexpected_count"] or 0)
            same["sample"] = (same["sample"] + failure["sample"])[:5]
            same["located"] = same["located"] and failure["located"]
    outcome.offending_rows += part.offending_rows


def _offending_row(table: str, expectation: str, kwargs: dict, row: dict) -> dict:
    """A failing row as an officer reads it: which check, which value, which file and line."""
    values = ", ".join(f"{k}={row[k]}" for k in row if k not in _LOCATING_COLUMNS)
    where = f" at {row['source_file']} line {row.get('source_line')}" if row.get("source_file") else ""
    checked = kwargs.get("column") or kwargs.get("column_list") or ""
    return {
        "disclosure_id": str(row.get("disclosure_id")),
        "version_id": str(row.get("version_id")),
        "reason": f"raw.{table} fails {expectation} ({checked}){': ' + values if values else ''}{where}",
    }


def validate_database(database: Path, since: datetime | None) -> list[SuiteOutcome]:
    """Validate the raw tables of a warehouse file, in the prewarmed worker when there is one."""
    from .worker import prewarmed

    if (worker := prewarmed()) is not None:
        return worker.validate_raw(database, since)
    con = connect(database, read_only=True)
    try:
        return validate_raw_tables(con, since=since)
    finally:
        con.close()
