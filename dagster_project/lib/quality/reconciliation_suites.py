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
from dataclasses import asdict, dataclass
from pathlib import Path

from ..paths import EXPECTATIONS_DIR
from ..rules import Rule, rule_catalogue
from ..warehouse.connection import connect
from ..warehouse.publish import WarehouseFiles
from .data_docs import localise
from .findings_slices import (
    FINDINGS_TABLE,
    NOT_EVALUATED,
    FindingsSlice,
    counts_by_rule,
    findings_slices,
    judge_slices,
)
from .judged_slices import build_site, keep, slice_key, suites_fingerprint, taken_over
from .rule_verdicts import RuleVerdict, merge_verdict

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
class ReconciliationOutcome:
    verdicts: list[RuleVerdict]
    data_docs: str  # the site's directory

    @classmethod
    def from_dict(cls, document: dict) -> ReconciliationOutcome:
        return cls([RuleVerdict(**verdict) for verdict in document["verdicts"]], document["data_docs"])


# Evaluations judged in one frame, about: a frame holds each value as a Python object, and
# the findings of 4,000 disclosures (a million evaluations) took 2 GB in one.
SLICE_FINDINGS = 200_000


def validate_findings(
    database: Path,
    data_docs: Path,
    directory: Path = EXPECTATIONS_DIR,
    slice_rows: int = SLICE_FINDINGS,
    previous: Path | None = None,
    slices_in_children: bool = False,
) -> ReconciliationOutcome:
    """Validate the findings mart of a warehouse file with the reconciliation suites, write
    the Data Docs site to `data_docs` (replacing what was there) and the verdicts beside it.
    A large county is judged in slices of its disclosures (findings_slices); a slice whose
    rows the site `previous` (the last build's) judged already is taken over from it
    (judged_slices). `slices_in_children`: each slice's suites judged in children forked from
    this process, in two groups at once, whose memory leaves with them (lib/quality/forked.py:
    only in a process without DuckDB threads, the GX worker's)."""
    import great_expectations.util  # 3-5 s to import: normally already done by the worker

    # Storing a result, GX turns each Decimal into a float for its JSON (the judgement itself
    # compares Decimals, exactly), and first walks the whole call stack to learn whether its
    # profiler is the caller: 20 ms a value, most of a validation. The profiler is not used
    # here; the float conversion (for the Data Docs' display) is logged as lossy, needlessly.
    great_expectations.util.stack = list
    logging.getLogger("great_expectations.util").setLevel(logging.ERROR)

    con = connect(database, read_only=True)
    try:
        slices, (evaluated, left_out) = findings_slices(con, slice_rows), counts_by_rule(con)
    finally:
        con.close()  # before any child is forked (lib/quality/forked.py)
    return _judge(database, slices, left_out, evaluated, data_docs, directory, previous, slices_in_children)


def _judge(
    database: Path,
    slices: list[FindingsSlice],
    left_out: dict,
    evaluated: dict[str, int],
    data_docs: Path,
    directory: Path,
    previous: Path | None,
    slices_in_children: bool,
) -> ReconciliationOutcome:
    """Take each slice's judgement over or run the suites over its frame (findings_slices:
    a slice or a group of its suites at a time in each process, so memory stays bounded),
    write the Data Docs (a validation page per suite and slice) and merge the verdicts per
    rule."""
    import great_expectations as gx
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
    files = suite_files(directory)
    for name, path in files.items():
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
    suites = suites_fingerprint(list(files.values()))
    # GX's store of validation results, the Data Docs' source: taken-over results go in as stored.
    store = context.validation_results_store.store_backend
    verdicts: dict[str, RuleVerdict] = {}
    taken: list[list[str]] = []  # the store keys of the results taken over
    keyed = [
        (findings, slice_key(suites, findings.number, findings.count, findings.rows, findings.rows_hash))
        for findings in slices
    ]
    judgements = {key: taken_over(previous, key) for findings, key in keyed}
    to_judge = [(findings, key) for findings, key in keyed if judgements[key] is None]
    judged = judge_slices(database, to_judge, definitions, evaluated, store, slices_in_children)
    judgements |= {judgement.key: judgement for judgement in judged}
    judged_now = {key for _, key in to_judge}
    for _, key in keyed:
        judgement = judgements[key]
        if key not in judged_now:
            taken += [result_key for result_key, _ in judgement.results]
        if key not in judged_now or slices_in_children:
            # Results judged elsewhere (the last build, a child) go into this context's store.
            for result_key, result in judgement.results:
                store.set(tuple(result_key), result)
        keep(data_docs, judgement)
        for part in judgement.verdicts:
            merge_verdict(verdicts, RuleVerdict(**part))
    for verdict in verdicts.values():
        verdict.insufficient_data = int(left_out.get((verdict.rule_id, "insufficient_data"), 0))
        verdict.not_applicable = int(left_out.get((verdict.rule_id, "not_applicable"), 0))
        verdict.failing_findings.sort(key=lambda row: row["finding_id"])
    # The site once, from the stored results of every suite and slice.
    build_site(context, "reconciliation", data_docs, previous, taken)
    still_online = localise(data_docs)
    if still_online:
        log.warning("Data Docs pages still load from the network: %s", ", ".join(still_online))
    outcome = ReconciliationOutcome(sorted(verdicts.values(), key=lambda v: v.rule_id), str(data_docs))
    (data_docs / VERDICTS_FILE).write_text(json.dumps(asdict(outcome), ensure_ascii=False, default=str))
    return outcome


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
        # The site published with the last build: the judgements of unchanged slices.
        previous = files.data_docs.resolve() if files.data_docs.is_dir() else None
        if (worker := prewarmed()) is not None:
            return worker.validate_findings(files.working(run_id), site, previous)
        return validate_findings(files.working(run_id), site, previous=previous)


if __name__ == "__main__":
    for path in write_suites():
        sys.stdout.write(f"wrote {path.relative_to(EXPECTATIONS_DIR.parent)}\n")
