"""The safe county total (marts.fct_county_function_totals) on a generated county without
injected defects: for every year, the sum of all its rows equals the sum of the departments'
own T1 支出合计 (财政拨款收支总表, read from each document), within the rounding envelope, although
each T2 prints 类, 款 and 项 lines and fct_function_expenditures also holds T8's restatement.
(That a 单位预算 never counts is tested on ../shared/, whose Quanzhou office publishes both.)"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from synthetic.catalogue import COUNTY_CODE
from synthetic.generate import generate_county
from tests.conftest import build_warehouse

CLEAN = {"seed": 7, "departments": 5, "townships": 2, "years": (2024, 2025), "defect_share": 0.0}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("clean_county")
    generate_county(root / "raw", near_miss_share=0.0, **CLEAN)
    path = root / "budget.duckdb"
    summary = build_warehouse(root / "raw", path)
    assert summary.success, summary.render()
    return path


def test_the_county_total_is_the_sum_of_the_departments_t1_totals(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    mart = dict(
        (year, (total, rows))
        for year, total, rows in con.execute(
            "select year, sum(amount_wan_yuan), count(*) from marts.fct_county_function_totals "
            "where county_code = ? group by year",
            [COUNTY_CODE],
        ).fetchall()
    )
    # Each department-level document's own T1 支出合计, and how many there are.
    t1 = dict(
        (year, (total, documents))
        for year, total, documents in con.execute(
            """
            select v.year, sum(c.amount_wan_yuan), count(*)
            from raw.budget_summary_cells as c
            join marts.fct_disclosure_versions as v using (disclosure_id, version_id)
            where v.is_current and v.disclosure_kind is distinct from 'unit'
              and c.table_id = 'T1' and c.side = 'expenditure' and c.row_role = 'grand_total'
              and c.column_key = 'total' and v.disclosure_id like ?
            group by v.year
            """,
            [f"{COUNTY_CODE}/%"],
        ).fetchall()
    )
    con.close()
    assert set(mart) == set(t1) == set(CLEAN["years"])
    for year, (total, rows) in mart.items():
        expected, documents = t1[year]
        assert documents == CLEAN["departments"] + CLEAN["townships"]
        assert abs(total - expected) <= Decimal("0.005") * (rows + documents), (year, total, expected)
