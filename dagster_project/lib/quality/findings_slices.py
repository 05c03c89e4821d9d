"""The findings mart as Great Expectations judges it: a slice of disclosures at a time, and the
suites of a slice shared between processes.

A slice holds whole disclosures (each rule judges row by row, so slices judge as the whole
table would) and is stable: hash(disclosure_id) mod the number of slices, so a changed
disclosure never moves another one (judged_slices takes the unchanged slices over).

GX's cost of a slice is its seven suites, one after another on one core (1.5-2 s at 1,000
disclosures, whatever the slice's size: most of it is GX's metric graph, per expectation).
In the GX worker a slice's suites are therefore judged in two groups, each in a child of its
own reading only its suites' rows, both at once: a one-change rebuild judges one slice, and
the machine's two cores halve it; a full build judges two groups of its slices at a time in
the memory one whole slice took.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from ..warehouse.connection import connect
from . import forked
from .judged_slices import SliceJudgement
from .rule_verdicts import RuleVerdict, add_verdict

FINDINGS_TABLE = "marts.fct_reconciliation_findings"
# The statuses of evaluations a rule could not make: nothing for GX to judge.
NOT_EVALUATED = ("insufficient_data", "not_applicable")
# Columns GX reports beside each failing row: the evaluation, and where an officer opens it.
LOCATING_COLUMNS = ["finding_id", "disclosure_id", "source_file", "source_line", "row_ref"]
EVALUATED = f"status not in ({', '.join(repr(status) for status in NOT_EVALUATED)})"
# What a judgement reads or reports of a row: a slice's rows are hashed over these.
JUDGED_COLUMNS = [*LOCATING_COLUMNS, "rule_id", "status", "deviation", "tolerance"]
# Children judging at once, each a group of a slice's suites: the machine's two cores. More
# would hold more rows at once (each child its group's frame).
JUDGING_PROCESSES = 2
# What an expectation costs GX beyond its rows, in rows: measured on a 1,000-disclosure
# county, a suite's time is about 35 ms an expectation and 4 ms a thousand rows.
ROWS_PER_EXPECTATION = 8_000


@dataclass(frozen=True)
class FindingsSlice:
    """The evaluations of the disclosures in slice `number` of `count`, as GX judges them."""

    number: int
    count: int
    rows: int
    rows_hash: str

    def condition(self) -> str:
        # Stable: whatever changes in other disclosures, a disclosure stays in its slice.
        return f"hash(coalesce(disclosure_id, '')) % {self.count} = {self.number}"


# A suite as a slice's judgement runs it: its rules, and GX's validation definition.
Definition = tuple[list[str], object]


def findings_slices(con: duckdb.DuckDBPyConnection, slice_rows: int) -> list[FindingsSlice]:
    """The slices of the evaluated findings: about `slice_rows` evaluations each, a
    disclosure's never split."""
    (total,) = con.execute(f"select count(*) from {FINDINGS_TABLE} where {EVALUATED}").fetchone()
    count = max(1, math.ceil(total / slice_rows))
    rows = con.execute(
        f"select hash(coalesce(disclosure_id, '')) % {count}, count(*), "
        f"sum(hash({', '.join(JUDGED_COLUMNS)}))::varchar "
        f"from {FINDINGS_TABLE} where {EVALUATED} group by all order by all"
    ).fetchall()
    # No evaluation at all: one empty slice, so that every rule still gets its verdict.
    return [FindingsSlice(number, count, n, digest) for number, n, digest in rows] or [FindingsSlice(0, 1, 0, "")]


def counts_by_rule(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """(rule → its evaluated findings in the county, which share out the suites' work;
    (rule, status) → the evaluations it could not make, which its verdict counts beside)."""
    rows = con.execute(f"select rule_id, status, count(*) from {FINDINGS_TABLE} group by all").fetchall()
    evaluated: dict[str, int] = {}
    left_out: dict[tuple[str, str], int] = {}
    for rule_id, status, count in rows:
        if status in NOT_EVALUATED:
            left_out[(rule_id, status)] = count
        elif status is not None:  # as `EVALUATED` decides it in SQL
            evaluated[rule_id] = evaluated.get(rule_id, 0) + count
    return evaluated, left_out


def suite_groups(definitions: list[Definition], evaluated: dict[str, int], groups: int) -> list[list[Definition]]:
    """The suites shared into `groups` groups of about the same cost (rows and expectations),
    the costliest first, each to the group that costs least so far; no empty group."""

    def cost(definition: Definition) -> int:
        rules = definition[0]
        return sum(evaluated.get(rule, 0) for rule in rules) + ROWS_PER_EXPECTATION * len(rules)

    shared: list[list[Definition]] = [[] for _ in range(min(groups, len(definitions)))]
    costs = [0] * len(shared)
    for definition in sorted(definitions, key=cost, reverse=True):
        cheapest = costs.index(min(costs))
        shared[cheapest].append(definition)
        costs[cheapest] += cost(definition)
    return shared


def judge_slices(
    database: Path,
    slices: list[tuple[FindingsSlice, str]],
    definitions: list[Definition],
    evaluated: dict[str, int],
    store,
    in_children: bool,
) -> list[SliceJudgement]:
    """GX's judgement of each (slice, key): in this process, every suite in turn; or with
    `in_children`, the suites in groups of about equal cost (`evaluated`: rule → rows), each in
    a forked child (lib/quality/forked.py: only in the GX worker), JUDGING_PROCESSES at a time,
    the groups' parts joined per slice."""
    if not in_children:
        return [_judge(database, findings, key, definitions, store) for findings, key in slices]
    groups = suite_groups(definitions, evaluated, JUDGING_PROCESSES)
    works = [
        (
            lambda findings=findings, key=key, group=group: asdict(_judge(database, findings, key, group, store)),
            f"judging the findings' slice {findings.number + 1} of {findings.count}",
        )
        for findings, key in slices
        for group in groups
    ]
    parts = iter(forked.in_children(works, JUDGING_PROCESSES))
    judgements = []
    for _, key in slices:
        judged = [next(parts) for _ in groups]
        verdicts = sorted((verdict for part in judged for verdict in part["verdicts"]), key=_by_rule)
        results = sorted((list(k), v) for part in judged for k, v in part["results"])
        judgements.append(SliceJudgement(key, verdicts, results))
    return judgements


def _by_rule(verdict: dict) -> str:
    return verdict["rule_id"]


def _frame(database: Path, findings: FindingsSlice, rules: list[str]):
    """The evaluated rows of a slice's findings of these rules, for GX (the rows a rule could
    not evaluate are counted in SQL, never judged)."""
    con = connect(database, read_only=True)
    try:
        table = con.execute(
            f"select {', '.join(JUDGED_COLUMNS)} from {FINDINGS_TABLE} "
            f"where {EVALUATED} and {findings.condition()} and list_contains($rules, rule_id) order by finding_id",
            {"rules": rules},
        ).to_arrow_table()
    finally:
        con.close()
    # Decimals as Python Decimals and line numbers as ints (None where a finding has no line):
    # exact comparisons, and locations an officer reads as they are.
    return table.to_pandas(integer_object_nulls=True)


def _judge(database: Path, findings: FindingsSlice, key: str, definitions: list[Definition], store) -> SliceJudgement:
    """GX's judgement of one slice by these suites, each run over its rules' rows."""
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import ValidationResultIdentifier

    frame = _frame(database, findings, [rule for rules, _ in definitions for rule in rules])
    suites = {definition.suite.name for _, definition in definitions}
    stored_before = set(store.list_keys())
    # The run's name is a folder of the site: no disclosure id (they hold slashes).
    name = "current-disclosures" if findings.count == 1 else f"slice-{findings.number + 1}-of-{findings.count}"
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": LOCATING_COLUMNS}
    parts: dict[str, RuleVerdict] = {}
    for rules, definition in definitions:
        # Each suite is given its own rules' rows: an expectation's row condition scans the
        # frame it is given, and a suite's share of the findings is a fraction.
        result = definition.run(
            batch_parameters={"dataframe": frame[frame["rule_id"].isin(rules)]},
            result_format=result_format,
            run_id=RunIdentifier(run_name=name),
        )
        for item in result.results:
            add_verdict(parts, definition.suite.name, item)
    # This judgement's results: another group's child may store its own meanwhile.
    results = [
        (list(result_key), store.get(result_key))
        for result_key in set(store.list_keys()) - stored_before
        if ValidationResultIdentifier.from_tuple(result_key).expectation_suite_identifier.name in suites
    ]
    # Through JSON, as a taken-over judgement is read: both give the same verdicts.
    verdicts = json.loads(json.dumps([asdict(verdict) for verdict in parts.values()], ensure_ascii=False, default=str))
    return SliceJudgement(key, sorted(verdicts, key=_by_rule), sorted(results))
