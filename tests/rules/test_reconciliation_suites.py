"""The reconciliation expectation suites: one expectation per rule of the catalogue, and
Great Expectations judging evaluations as the rules say (a real GX validation over a real
DuckDB file of handmade evaluations)."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.paths import EXPECTATIONS_DIR
from dagster_project.lib.quality.findings_slices import suite_groups
from dagster_project.lib.quality.reconciliation_suites import FAMILIES, suite_documents, validate_findings
from dagster_project.lib.quality.worker import PrewarmedValidator
from dagster_project.lib.rules import rule_catalogue

D = Decimal


def _suites() -> dict[str, dict]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(EXPECTATIONS_DIR.glob("reconciliation.*.json"))
    }


def test_every_rule_has_one_expectation_and_every_expectation_a_rule():
    named = [e["meta"]["rule_id"] for suite in _suites().values() for e in suite["expectations"]]
    catalogue = {rule.rule_id: rule for rule in rule_catalogue()}
    assert sorted(named) == sorted(catalogue), "a rule without an expectation, or an expectation without a rule"
    for suite in _suites().values():
        for expectation in suite["expectations"]:
            rule = catalogue[expectation["meta"]["rule_id"]]
            assert expectation["meta"]["severity"] == rule.severity
            assert expectation["meta"]["description"] == rule.description
            # The expectation judges its own rule's rows, and only the rows the rule evaluated.
            condition = expectation["kwargs"]["row_condition"]
            assert re.match(rf'rule_id == "{re.escape(rule.rule_id)}" and status not in ', condition)


def test_one_suite_per_rule_family_and_each_in_its_own():
    suites = _suites()
    assert set(suites) == {f"reconciliation.{family}" for family in FAMILIES}
    for rule in rule_catalogue():
        members = [e["meta"]["rule_id"] for e in suites[f"reconciliation.{rule.suite}"]["expectations"]]
        assert rule.rule_id in members


def test_the_suite_files_are_what_the_catalogue_generates():
    """Edit dbt/seeds/reconciliation_rules.csv, then run
    `python -m dagster_project.lib.quality.reconciliation_suites`."""
    assert _suites() == suite_documents()


def _findings_file(path, rows):
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        """
        create table marts.fct_reconciliation_findings (
            finding_id varchar, disclosure_id varchar, source_file varchar, source_line integer, row_ref varchar,
            rule_id varchar, status varchar, deviation decimal(21, 6), tolerance decimal(20, 8))
        """
    )
    con.executemany("insert into marts.fct_reconciliation_findings values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.close()


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    """Evaluations as the rules define them (RULES: pass at 0, rounding within the envelope,
    fail beyond it), judged by GX."""
    root = tmp_path_factory.mktemp("judged")
    rows = [
        # T2-b: a class 0.01 from its 款 with two terms (envelope 0.015): rounding, not a failure.
        ("a", "d1", "d1.txt", 10, "201 [总计]", "T2-b", "rounding", D("0.01"), D("0.015")),
        # T2-b: 0.02 beyond an envelope of 0.015 fails, by a hair, exactly.
        ("b", "d1", "d1.txt", 11, "205 [总计]", "T2-b", "fail", D("0.02"), D("0.015")),
        # T2-b: a deviation equal to the envelope is still rounding.
        ("c", "d2", "d2.txt", 12, "208 [总计]", "T2-b", "rounding", D("0.015"), D("0.015")),
        # a T3 line below its T4 figure deviates by nothing.
        ("d", "d1", "d1.txt", 40, "30217 ≤ T4 公务接待费", "X-4", "pass", D("0"), D("0.01")),
        # T9-a on a document whose procurement table is listed but missing: not judged, counted.
        ("e", "d2", "d2.txt", None, "whole document", "T9-a", "insufficient_data", None, None),
        ("f", "d3", "d3.txt", None, "whole document", "T9-a", "not_applicable", None, None),
    ]
    _findings_file(root / "w.duckdb", rows)
    outcome = validate_findings(root / "w.duckdb", root / "site")
    return {verdict.rule_id: verdict for verdict in outcome.verdicts}, root / "site"


def _slices_of(database, disclosures: list[str], count: int) -> set[int]:
    """The slices of `count` these disclosures fall in, by the rule judged_slices states:
    hash(disclosure_id) mod the number of slices."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        return {con.execute(f"select hash(?) % {count}", [d]).fetchone()[0] for d in disclosures}
    finally:
        con.close()


def test_a_county_judged_in_slices_of_disclosures_gets_the_verdicts_of_one_judgement(judged, tmp_path):
    """A large county's findings are judged a slice of disclosures at a time (bounded memory):
    in slices of one evaluation (four slices for the four evaluated rows), each rule's verdict,
    counts and failing rows are the same as judged at once, and the Data Docs hold a
    validation of each slice that holds evaluations."""
    verdicts, site = judged
    sliced = validate_findings(site.parent / "w.duckdb", tmp_path / "site", slice_rows=1)
    assert {verdict.rule_id: verdict for verdict in sliced.verdicts} == verdicts
    # The disclosures with evaluations: d1, d2 (d3's only row was not evaluated).
    pages = list((tmp_path / "site" / "validations" / "reconciliation" / "cross_tables").rglob("*.html"))
    assert len(pages) == len(_slices_of(site.parent / "w.duckdb", ["d1", "d2"], 4)), pages


def test_a_rebuild_judges_the_changed_slice_and_takes_the_others_over(judged, tmp_path):
    """The next build's findings differ in one disclosure (d2's row c now misses its envelope):
    the slices without d2 are taken over from the previous site, d2's is judged again, and the
    verdicts and Data Docs are those of a judgement from scratch."""
    _, site = judged
    before = site.parent / "w.duckdb"
    validate_findings(before, tmp_path / "previous", slice_rows=1)
    after = tmp_path / "w.duckdb"
    shutil.copy(before, after)
    con = duckdb.connect(str(after))
    con.execute("update marts.fct_reconciliation_findings set status = 'fail', deviation = 0.02 where finding_id = 'c'")
    con.close()

    rebuilt = validate_findings(after, tmp_path / "site", slice_rows=1, previous=tmp_path / "previous")
    scratch = validate_findings(after, tmp_path / "scratch", slice_rows=1)

    assert rebuilt.verdicts == scratch.verdicts
    t2b = {verdict.rule_id: verdict for verdict in rebuilt.verdicts}["T2-b"]
    assert [row["finding_id"] for row in t2b.failing_findings] == ["b", "c"]
    assert [row["deviation"] for row in t2b.failing_findings] == ["0.020000", "0.020000"]
    kept = {path.name for path in (tmp_path / "previous" / "judged").glob("*.json")}
    judged_now = {path.name for path in (tmp_path / "site" / "judged").glob("*.json")}
    unchanged = _slices_of(after, ["d1", "d2"], 4) - _slices_of(after, ["d2"], 4)
    assert len(kept & judged_now) == len(unchanged) and len(judged_now - kept) == 1

    # Every slice has its validation page in the new site, those taken over too, which keep
    # the run (slice name and time) that judged them; the changed slice's run is new.
    def runs(root):
        pages = root / "validations" / "reconciliation" / "cross_tables"
        return {page.relative_to(pages).parts[:2] for page in pages.rglob("*.html")}

    assert len(runs(tmp_path / "site")) == len(runs(tmp_path / "scratch")) == len(_slices_of(after, ["d1", "d2"], 4))
    assert len(runs(tmp_path / "site") & runs(tmp_path / "previous")) == len(unchanged)
    # The pages of the slices taken over are the previous site's (not rendered again), and
    # the index links every page of the site, those too.
    new_site, previous_site = tmp_path / "site", tmp_path / "previous"
    pages = {page.relative_to(new_site) for page in (new_site / "validations").rglob("*.html")}
    suite_pages = Path("validations", "reconciliation", "cross_tables")
    for page in pages:
        if page.is_relative_to(suite_pages) and page.relative_to(suite_pages).parts[:2] in runs(previous_site):
            assert (new_site / page).read_bytes() == (previous_site / page).read_bytes()
    linked = set(re.findall(r"validations/[^\"&' ]+\.html", (new_site / "index.html").read_text(encoding="utf-8")))
    assert linked == {page.as_posix() for page in pages}


def test_gx_fails_the_row_beyond_its_envelope_and_only_it(judged):
    verdicts, _ = judged
    failing = verdicts["T2-b"].failing_findings
    assert [(row["finding_id"], row["source_file"], row["source_line"]) for row in failing] == [("b", "d1.txt", 11)]
    assert (verdicts["T2-b"].evaluated, verdicts["T2-b"].failing, verdicts["T2-b"].success) == (3, 1, False)
    assert verdicts["X-4"].success and verdicts["X-4"].evaluated == 1


def test_rows_a_rule_could_not_evaluate_are_counted_not_judged(judged):
    verdicts, _ = judged
    t9 = verdicts["T9-a"]
    assert (t9.evaluated, t9.insufficient_data, t9.not_applicable, t9.success) == (0, 1, 1, True)
    # A rule with no rows at all is judged on nothing, and passes.
    assert (verdicts["T1-a"].evaluated, verdicts["T1-a"].success) == (0, True)


def test_the_data_docs_load_nothing_from_the_network(judged):
    _, site = judged
    pages = list(site.rglob("*.html"))
    assert (site / "index.html") in pages and len(pages) > len(FAMILIES)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.findall(r"""(?:src=|<link[^>]*href=)["']https?://""", text), page
    assert (site / "static" / "vendor" / "jquery" / "dist" / "jquery.min.js").exists()


def test_the_worker_judges_each_slice_in_children_with_the_verdicts_of_one_judgement(judged, tmp_path):
    """The build's GX worker judges each slice's suites in two groups, each in a child process
    (their memory leaves with them, lib/quality/forked.py), both at once: the verdicts are
    those judged in one process, and every suite's validation results, from whichever child,
    reach the Data Docs the worker builds."""
    verdicts, site = judged
    worker = PrewarmedValidator()
    try:
        outcome = worker.validate_findings(site.parent / "w.duckdb", tmp_path / "site", previous=None)
    finally:
        worker.close()
    assert {verdict.rule_id: verdict for verdict in outcome.verdicts} == verdicts

    def suites_with_a_page(root: Path) -> set[str]:
        return {page.relative_to(root / "validations").parts[1] for page in (root / "validations").rglob("*.html")}

    assert suites_with_a_page(tmp_path / "site") == suites_with_a_page(site) == set(FAMILIES)
    pages = list((tmp_path / "site" / "validations" / "reconciliation" / "cross_tables").rglob("*.html"))
    assert len(pages) == 1, pages


def test_a_slice_s_suites_are_shared_by_cost_and_none_is_left_out():
    """Each group of suites costs about the same (rows to judge, and expectations at
    ROWS_PER_EXPECTATION rows each); every suite is in exactly one group."""
    # Costs: a = 100,000 + 2 × 8,000 = 116,000; b = 40,000 + 8,000 = 48,000;
    # c = 30,000 + 3 × 8,000 = 54,000; d = 0 + 8,000 = 8,000.
    definitions = [(["a1", "a2"], "a"), (["b1"], "b"), (["c1", "c2", "c3"], "c"), (["d1"], "d")]
    evaluated = {"a1": 60_000, "a2": 40_000, "b1": 40_000, "c1": 30_000}
    groups = suite_groups(definitions, evaluated, 2)
    assert [[name for _, name in group] for group in groups] == [["a"], ["c", "b", "d"]]
    # One group (no worker): every suite, costliest first; never an empty group.
    assert [[name for _, name in group] for group in suite_groups(definitions, evaluated, 1)] == [["a", "c", "b", "d"]]
    assert len(suite_groups(definitions[:1], evaluated, 2)) == 1
