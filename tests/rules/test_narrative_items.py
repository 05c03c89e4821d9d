"""The narrative rules item by item (Shanghai's explanation of each function subject) and on
narrative-only pages, through the real pipeline (extractor, DuckDB raw tables, dbt models,
Dagster run). Each consistent document passes; each minimal edit fails its rule. The documents
and the numbers are written by hand in tests/fixtures/handmade_narrative.py.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import build_warehouse
from tests.fixtures.handmade_narrative import ITEM_BREAKAGES, ITEMS, NARRATIVE_ONLY, NARRATIVE_ONLY_BREAKAGES

COUNTY = "999902"


def _own_unit(text: str, number: int) -> str:
    """Each document its own unit, so that none supersedes another."""
    letters = "".join(chr(ord("A") + int(digit)) for digit in f"{number:02d}")
    return text.replace("测试县测试局", f"测试县{letters}局", 1).replace("测试县测试镇", f"测试县{letters}镇", 1)


DOCUMENTS = {"items": ITEMS, "narrative_only": NARRATIVE_ONLY}
DOCUMENTS |= {f"items_breaks_{n}_{b.rule_id}": b.apply(ITEMS) for n, b in enumerate(ITEM_BREAKAGES)}
DOCUMENTS |= {f"only_breaks_{n}_{b.rule_id}": b.apply(NARRATIVE_ONLY) for n, b in enumerate(NARRATIVE_ONLY_BREAKAGES)}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("narrative_rules")
    raw = root / "raw" / COUNTY / "2025"
    raw.mkdir(parents=True)
    for number, (name, text) in enumerate(DOCUMENTS.items()):
        (raw / f"{name}.txt").write_text(_own_unit(text, number), encoding="utf-8")
    path = root / "warehouse.duckdb"
    summary = build_warehouse(root / "raw", path)
    assert summary.success, summary.render()
    return path


@pytest.fixture(scope="module")
def findings(warehouse) -> dict[str, list[tuple[str, str, str]]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute(
        "select disclosure_id, rule_id, status, row_ref from marts.fct_reconciliation_findings"
    ).fetchall()
    con.close()
    by_document: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for disclosure_id, rule_id, status, row_ref in rows:
        by_document[Path(disclosure_id).stem].append((rule_id, status, row_ref))
    return by_document


def test_each_item_is_checked_against_its_table_line(findings):
    items = [(status, ref) for rule, status, ref in findings["items"] if rule == "N-1" and "function_subject" in ref]
    checked = {ref.split(":")[0] for status, ref in items}
    assert checked == {"function_subject 2010301", "function_subject 2010302", "function_subject 2080505"}
    assert {status for status, _ in items} <= {"pass", "rounding"}


@pytest.mark.parametrize("document", ["items", "narrative_only"])
def test_the_consistent_document_fails_no_narrative_rule(findings, document):
    failing = [(rule, ref) for rule, status, ref in findings[document] if status == "fail" and rule.startswith("N-")]
    assert failing == []


def test_the_item_percentages_and_the_shares_are_checked(findings):
    checked = ("pass", "rounding")
    assert any(r == "N-4" and s in checked and "function_subject 2010302" in ref for r, s, ref in findings["items"])
    assert any(
        r == "N-4" and s in checked and "basic_expenditure share" in ref for r, s, ref in findings["narrative_only"]
    )
    assert any(r == "N-2" and s in ("pass", "rounding") for r, s, _ in findings["narrative_only"])


@pytest.mark.parametrize("name", [n for n in DOCUMENTS if "_breaks_" in n], ids=lambda n: n.split("_breaks_")[1])
def test_the_minimal_edit_fails_its_rule(findings, name):
    rule_id = name.rsplit("_", 1)[1]
    statuses = {status for rule, status, _ in findings[name] if rule == rule_id}
    assert "fail" in statuses, f"{name}: {rule_id} gave {statuses}"


def test_a_narrative_only_page_gives_its_headline_figures_with_their_lines(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    row = con.execute(
        """
        select total_income_wan_yuan, total_expenditure_wan_yuan, basic_expenditure_wan_yuan,
               project_expenditure_wan_yuan, three_public_total_wan_yuan, gov_fund_budget_wan_yuan
        from marts.fct_department_years
        where disclosure_id like '%/narrative_only.txt' and not is_implied_by_next_year
        """
    ).fetchone()
    items = dict(
        con.execute(
            "select item, amount_wan_yuan from marts.fct_three_public_expenses "
            "where disclosure_id like '%/narrative_only.txt' and year = 2025"
        ).fetchall()
    )
    con.close()
    # Read off NARRATIVE_ONLY: 收入预算842.79, 支出预算842.79, 基本支出781.93, 项目支出60.86,
    # 三公 14.01, and the fund budget stated as 0.00 (a stated zero is a figure).
    assert row == tuple(Decimal(v) for v in ("842.79", "842.79", "781.93", "60.86", "14.01", "0"))
    assert items == {
        "overseas": Decimal("0"),
        "vehicle_purchase": Decimal("0"),
        "vehicle_operation": Decimal("14.01"),
        "reception": Decimal("0"),
    }
