"""The reconciliation rules as Great Expectations suites, judging the findings mart.

dbt keeps the rules' arithmetic: every evaluation in marts.fct_reconciliation_findings pairs
an expected and an actual figure, says what the rule asks of them (comparison: =, ≤ or ≥),
how far actual misses it (deviation) and the rounding envelope (tolerance). GX is the judge:
one suite per family of rules (expectations/reconciliation.<family>.json), one expectation
per rule of the catalogue, `tolerance ≥ deviation` on every row of that rule that could be
evaluated. Rows that could not (insufficient_data, not_applicable) are left out by the row
condition and counted beside the verdict. Each expectation's meta carries the rule's id,
severity and description, so a suite file reads as its part of the catalogue.

The suites are generated from the catalogue (dbt/seeds/reconciliation_rules.csv, column
suite): `python -m dagster_project.lib.quality.reconciliation_suites` rewrites them, and a
test fails when a rule has no expectation or an expectation no rule. GX validates a pandas
frame of the mart (its SQL route over DuckDB is broken, see raw_suites); decimals stay
Python Decimals, so the comparison is exact. Each validation also writes GX's Data Docs, a
static site published with the warehouse (lib/warehouse/publish.py) that opens offline
(data_docs.py).
"""

from __future__ import annotations

import fcntl
import json
import logging
import shutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from ..paths import EXPECTATIONS_DIR
from ..rules import Rule, rule_catalogue
from ..warehouse.connection import connect
from ..warehouse.publish import WarehouseFiles
from .data_docs import localise
from .slices import slices_of

FINDINGS_TABLE = "marts.fct_reconciliation_findings"

# suite → what its rules tie out, in the order a reader meets the tables.
FAMILIES: dict[str, str] = {
    "summary_tables": "收支总表 (T1, T6), 收入总表 (T7), 支出总表 (T8): row and hierarchy sums, and the three totals",
    "subject_tables": "function (T2) and economic (T3) classification tables: row and hierarchy sums",
    "three_public": "三公 expenses (T4): the items add up to the total",
    "procurement_and_performance": "政府采购 (T9) and the performance tables (T10, T11)",
    "cross_tables": "one table against another",
    "narrative": "the narrative against the tables",
    "completeness": "what the document publishes against what it lists",
}

# The statuses of evaluations a rule could not make: nothing for GX to judge.
NOT_EVALUATED = ("insufficient_data", "not_applicable")
# Columns GX reports beside each failing row: the evaluation, and where an officer opens it.
LOCATING_COLUMNS = ["finding_id", "disclosure_id", "source_file", "source_line", "row_ref"]
# The verdicts of a run's validation, kept in its Data Docs directory (one validation a run).
VERDICTS_FILE = "verdicts.json"
log = logging.getLogger(__name__)


def suite_name(family: str) -> str:
    return f"reconciliation.{family}"


def expectation(rule: Rule) -> dict:
    """The rule as one expectation: on its evaluated rows, the tolerance is at least the
    deviation (a row that misses by more fails)."""
    return {
        "type": "expect_column_pair_values_a_to_be_greater_than_b",
        "kwargs": {
            "column_A": "tolerance",
            "column_B": "deviation",
            "or_equal": True,
            "row_condition": f'rule_id == "{rule.rule_id}" and status not in {json.dumps(list(NOT_EVALUATED))}',
            "condition_parser": "pandas",
        },
        "description": f"{rule.rule_id} ({rule.severity}): {rule.description}",
        "meta": {
            "rule_id": rule.rule_id,
            "severity": rule.severity,
            "description": rule.description,
            "tables": rule.required_tables,
            "tolerance": rule.tolerance,
            "evaluated_in": f"dbt/models/intermediate/findings/{rule.model}.sql",
        },
    }


def suite_documents(rules: list[Rule] | None = None) -> dict[str, dict]:
    """suite name → its JSON document, generated from the rule catalogue."""
    rules = rules if rules is not None else rule_catalogue()
    unknown = sorted({rule.suite for rule in rules} - set(FAMILIES))
    if unknown:
        raise ValueError(f"reconciliation_rules.csv names suites that do not exist: {', '.join(unknown)}")
    documents = {}
    for family, title in FAMILIES.items():
        members = [rule for rule in rules if rule.suite == family]
        documents[suite_name(family)] = {
            "name": suite_name(family),
            "meta": {
                "judges": FINDINGS_TABLE,
                "rules": title,
                "generated_from": "dbt/seeds/reconciliation_rules.csv by "
                "python -m dagster_project.lib.quality.reconciliation_suites",
            },
            "expectations": [expectation(rule) for rule in members],
        }
    return documents


def write_suites(directory: Path = EXPECTATIONS_DIR) -> list[Path]:
    written = []
    for name, document in suite_documents().items():
        path = directory / f"{name}.json"
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def suite_files(directory: Path = EXPECTATIONS_DIR) -> dict[str, Path]:
    """suite name → its file, as they stand in expectations/."""
    return {path.stem: path for path in sorted(directory.glob("reconciliation.*.json"))}


@dataclass
class RuleVerdict:
    """GX's verdict on one rule over every current disclosure."""

    rule_id: str
    severity: str
    suite: str
    success: bool
    evaluated: int  # rows GX judged
    failing: int  # of those, rows whose deviation exceeds the tolerance
    insufficient_data: int  # rows left out: an input the rule needs is missing
    not_applicable: int  # rows left out: nothing in the document the rule applies to
    # Each failing row: finding_id, disclosure_id, source_file, source_line, row_ref, deviation, tolerance.
    failing_findings: list[dict] = field(default_factory=list)


@dataclass
class ReconciliationOutcome:
    verdicts: list[RuleVerdict]
    data_docs: str  # the site's directory

    @classmethod
    def from_dict(cls, document: dict) -> ReconciliationOutcome:
        return cls([RuleVerdict(**verdict) for verdict in document["verdicts"]], document["data_docs"])


# Evaluations judged in one frame at most: a frame holds each value as a Python object, and
# the findings of 4,000 disclosures (a million evaluations) took 2 GB in one.
SLICE_FINDINGS = 200_000
_EVALUATED = f"status not in ({', '.join(repr(status) for status in NOT_EVALUATED)})"


def _disclosure_slices(con: duckdb.DuckDBPyConnection, slice_rows: int) -> list[list[str]]:
    """The disclosures whose evaluations GX judges together, about `slice_rows` evaluations a
    slice (a disclosure's evaluations are never split; each rule judges row by row)."""
    counts = con.execute(
        f"select coalesce(disclosure_id, ''), count(*) from {FINDINGS_TABLE} where {_EVALUATED} group by 1 order by 1"
    ).fetchall()
    return slices_of(counts, slice_rows)


def _findings_frame(con: duckdb.DuckDBPyConnection, disclosures: list[str]):
    """The evaluated rows of the findings of `disclosures`, for GX (the rows a rule could not
    evaluate are counted in SQL, never judged)."""
    con.register("slice_disclosures", pa.table({"disclosure_id": pa.array(disclosures, pa.string())}))
    try:
        table = con.sql(
            f"select {', '.join(LOCATING_COLUMNS)}, rule_id, status, deviation, tolerance "
            f"from {FINDINGS_TABLE} where {_EVALUATED} "
            "and coalesce(disclosure_id, '') in (select disclosure_id from slice_disclosures) order by finding_id"
        ).to_arrow_table()
    finally:
        con.unregister("slice_disclosures")
    # Decimals as Python Decimals and line numbers as ints (None where a finding has no line):
    # exact comparisons, and locations an officer reads as they are.
    return table.to_pandas(integer_object_nulls=True)


def _left_out(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    """(rule, status) → the evaluations a rule could not make (insufficient_data, not_applicable)."""
    rows = con.execute(
        f"select rule_id, status, count(*) from {FINDINGS_TABLE} where not ({_EVALUATED}) group by all"
    ).fetchall()
    return {(rule_id, status): count for rule_id, status, count in rows}


def validate_findings(
    database: Path, data_docs: Path, directory: Path = EXPECTATIONS_DIR, slice_rows: int = SLICE_FINDINGS
) -> ReconciliationOutcome:
    """Validate the findings mart of a warehouse file with the reconciliation suites, write
    the Data Docs site to `data_docs` (replacing what was there) and the verdicts beside it.
    A large county is judged in slices of its disclosures (_disclosure_slices)."""
    import great_expectations.util  # 3-5 s to import: normally already done by the worker

    # Storing a result, GX turns each Decimal into a float for its JSON (the judgement itself
    # compares Decimals, exactly), and first walks the whole call stack to learn whether its
    # profiler is the caller: 20 ms a value, most of a validation. The profiler is not used
    # here; the float conversion (for the Data Docs' display) is logged as lossy, needlessly.
    great_expectations.util.stack = list
    logging.getLogger("great_expectations.util").setLevel(logging.ERROR)

    con = connect(database, read_only=True)
    try:
        slices = _disclosure_slices(con, slice_rows) or [[]]
        left_out = _left_out(con)
        frames = (_findings_frame(con, disclosures) for disclosures in slices)
        return _judge(frames, len(slices), left_out, data_docs, directory)
    finally:
        con.close()


def _judge(frames, count: int, left_out: dict, data_docs: Path, directory: Path) -> ReconciliationOutcome:
    """Run the suites over each slice's frame (one at a time: memory stays bounded), write
    the Data Docs (a validation page per suite and slice) and merge the verdicts per rule."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig

    shutil.rmtree(data_docs, ignore_errors=True)
    data_docs.mkdir(parents=True)

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(
        site_name="reconciliation",
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    asset = context.data_sources.add_pandas("warehouse").add_dataframe_asset(name="fct_reconciliation_findings")
    batch_definition = asset.add_batch_definition_whole_dataframe("current disclosures")
    definitions = []
    for name, path in suite_files(directory).items():
        suite = context.suites.add(gx.ExpectationSuite(**json.loads(path.read_text(encoding="utf-8"))))
        rules = [expectation.meta["rule_id"] for expectation in suite.expectations]
        definitions.append(
            (
                rules,
                context.validation_definitions.add(
                    gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
                ),
            )
        )
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": LOCATING_COLUMNS}
    verdicts: dict[str, RuleVerdict] = {}
    for number, frame in enumerate(frames, 1):
        # The run's name is a folder of the site: no disclosure id (they hold slashes).
        run_id = RunIdentifier(run_name="current-disclosures" if count == 1 else f"slice-{number}-of-{count}")
        for rules, definition in definitions:
            # Each suite is given its own rules' rows: an expectation's row condition scans
            # the frame it is given, and a suite's share of the findings is a fraction.
            result = definition.run(
                batch_parameters={"dataframe": frame[frame["rule_id"].isin(rules)]},
                result_format=result_format,
                run_id=run_id,
            )
            for item in result.results:
                _add_verdict(verdicts, definition.suite.name, item, left_out)
        del frame
    # The site once, from the stored results of every suite and slice.
    context.build_data_docs(site_names=["reconciliation"])
    still_online = localise(data_docs)
    if still_online:
        log.warning("Data Docs pages still load from the network: %s", ", ".join(still_online))
    outcome = ReconciliationOutcome(sorted(verdicts.values(), key=lambda v: v.rule_id), str(data_docs))
    (data_docs / VERDICTS_FILE).write_text(json.dumps(asdict(outcome), ensure_ascii=False, default=str))
    return outcome


def _add_verdict(verdicts: dict[str, RuleVerdict], suite: str, item, left_out: dict) -> None:
    """Add one slice's judgement of a rule to the rule's verdict."""
    meta = item.expectation_config.meta
    rule_id = meta["rule_id"]
    verdict = verdicts.setdefault(
        rule_id,
        RuleVerdict(
            rule_id=rule_id,
            severity=meta["severity"],
            suite=suite,
            success=True,
            evaluated=0,
            failing=0,
            insufficient_data=int(left_out.get((rule_id, "insufficient_data"), 0)),
            not_applicable=int(left_out.get((rule_id, "not_applicable"), 0)),
        ),
    )
    verdict.success = verdict.success and bool(item.success)
    verdict.evaluated += int(item.result.get("element_count") or 0)
    verdict.failing += int(item.result.get("unexpected_count") or 0)
    verdict.failing_findings += [_located(row) for row in item.result.get("unexpected_index_list") or []]


def _located(row: dict) -> dict:
    """A failing row for JSON: the decimals as their exact text."""
    return {
        key: str(value) if key in ("deviation", "tolerance") and value is not None else value
        for key, value in row.items()
    }


def validate_run(files: WarehouseFiles, run_id: str) -> ReconciliationOutcome:
    """The reconciliation verdicts of a run's working copy, validated once a run: the asset
    checks on the findings and the publish step (which publishes the Data Docs) both ask, in
    whichever order the executor runs them, and the second reads the first's answer."""
    from .worker import prewarmed

    site = files.data_docs_of(run_id)
    files.work_dir.mkdir(parents=True, exist_ok=True)
    with open(files.work_dir / f"{files.published.stem}.{run_id}.data-docs.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (site / VERDICTS_FILE).exists():
            return ReconciliationOutcome.from_dict(json.loads((site / VERDICTS_FILE).read_text()))
        if (worker := prewarmed()) is not None:
            return worker.validate_findings(files.working(run_id), site)
        return validate_findings(files.working(run_id), site)


if __name__ == "__main__":
    for path in write_suites():
        sys.stdout.write(f"wrote {path.relative_to(EXPECTATIONS_DIR.parent)}\n")
