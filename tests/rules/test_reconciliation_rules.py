"""Every rule of docs/rules.md on hand-made documents: the consistent base passes each rule, and a
minimal edit for each rule makes exactly that rule fail with its severity.

The documents go through the real pipeline (extractor, DuckDB raw tables, dbt models,
Dagster run); the expected statuses come from the numbers written by hand in
tests/fixtures/handmade.py.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.rules import rule_catalogue
from tests.conftest import build_warehouse
from tests.fixtures.handmade import BASE, BREAKAGES, Breakage

COUNTY = "999901"
ROUNDING_EDGE = Breakage(
    "T4-a",
    "2025 合计 7.02 against 7.00: 0.02, the envelope of four figures",
    (("7.00\t1.00\t4.00", "7.02\t1.00\t4.00"),),
)
BEYOND_EDGE = Breakage(
    "T4-a", "2025 合计 7.03 against 7.00: beyond the envelope", (("7.00\t1.00\t4.00", "7.03\t1.00\t4.00"),)
)


def _as_own_unit(text: str, number: int) -> str:
    """Give a document its own unit name and department code, so no two supersede each other."""
    letters = "".join(chr(ord("A") + int(digit)) for digit in f"{number:02d}")
    department = str(200 + number)
    return (
        text.replace("测试县测试局 2025 年", f"测试县{letters}局 2025 年")
        .replace("101-测试局", f"{department}-测试局")
        .replace("101001-", f"{department}001-")
        .replace("101002-", f"{department}002-")
    )


DOCUMENTS = {"base": BASE, "rounding_edge": ROUNDING_EDGE.apply(), "beyond_edge": BEYOND_EDGE.apply()}
DOCUMENTS |= {f"breaks_{b.rule_id}": b.apply() for b in BREAKAGES}


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], list[tuple[str, str]]]:
    root = tmp_path_factory.mktemp("rules")
    raw = root / "raw" / COUNTY / "2025"
    raw.mkdir(parents=True)
    for number, (name, text) in enumerate(DOCUMENTS.items()):
        (raw / f"{name}.txt").write_text(_as_own_unit(text, number), encoding="utf-8")
    warehouse = root / "warehouse.duckdb"
    summary = build_warehouse(root / "raw", warehouse)
    assert summary.success, summary.render()
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute(
        "select disclosure_id, rule_id, status, severity from marts.fct_reconciliation_findings"
    ).fetchall()
    con.close()
    by_document: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for disclosure_id, rule_id, status, severity in rows:
        by_document[(Path(disclosure_id).stem, rule_id)].append((status, severity))
    return by_document


@pytest.mark.parametrize("rule", rule_catalogue(), ids=lambda rule: rule.rule_id)
def test_consistent_document_passes(findings, rule):
    statuses = {status for status, _ in findings[("base", rule.rule_id)]}
    assert statuses, f"{rule.rule_id} was not evaluated on the base document"
    assert statuses <= {"pass", "rounding"}, f"{rule.rule_id} on the consistent document: {statuses}"


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda b: b.rule_id)
def test_minimal_edit_fails_its_rule(findings, breakage):
    evaluated = findings[(f"breaks_{breakage.rule_id}", breakage.rule_id)]
    severity = {rule.rule_id: rule.severity for rule in rule_catalogue()}[breakage.rule_id]
    assert ("fail", severity) in evaluated, f"{breakage.rule_id} ({breakage.why}) gave {evaluated}"


def test_every_rule_has_a_breaking_case():
    assert {b.rule_id for b in BREAKAGES} == {rule.rule_id for rule in rule_catalogue()}


def test_difference_at_the_envelope_is_rounding_and_beyond_it_fails(findings):
    assert {s for s, _ in findings[("rounding_edge", "T4-a")]} == {"pass", "rounding"}
    assert ("fail", "error") in findings[("beyond_edge", "T4-a")]
