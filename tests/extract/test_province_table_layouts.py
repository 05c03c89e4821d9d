"""Table layouts of real disclosures whose misreading raised false alarms (shared/real-pdf and
shared/real-pdf-provinces), one class each. Every expected figure was read off the page named
beside it by a person; amounts printed in 元 are divided by 10,000.

- T3 with a 科目编码 column and a 部门经济分类科目名称 column: the names' column is not the codes'.
- A summary table's second header row naming the amount columns (总计 | 一般公共预算 | …) is not
  a 总计 line.
- A 政府采购预算表 by function subject (科目编码 | 科目名称, 类/款/项 parts): its items are the
  leaves of the hierarchy; a 采购目录 column gives the category by its catalogue code (A 货物,
  B 工程, C 服务); unit and fund lines over the purchases are subtotals; a code column
  ("部门预算支出经济科目编码") is not the amount's.
- A name the PDF ran on into the amount's cell ("缴费支出43608.96").
- A paragraph whose text layer holds the words apart from the numbers is reported, not read.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dagster_project.lib.extract import extract_disclosure
from tests.conftest import shared_path

D = Decimal


def wan(yuan: str) -> Decimal:
    return D(yuan.replace(",", "")) / 10000


def _extract(folder: str, name: str):
    path = shared_path(folder, name)
    if not path.exists():
        pytest.skip(f"{path} is not here (shared/ beside the project; CI has it)")
    return extract_disclosure([path], [path.name])


def _cells(extraction, table_id: str) -> dict[tuple[str | None, str], Decimal | None]:
    return {
        (c.subject_code, c.column_key): c.amount_wan_yuan for c in extraction.subject_cells if c.table_id == table_id
    }


def test_economic_table_codes_beside_a_department_classification_names_column():
    # 上海市普陀区商务委员会 单位预算, page 19 (元): 301 01 基本工资 1,952,616.00 under 合计 and 人员经费,
    # 公用经费 blank.
    t3 = _cells(_extract("real-pdf", "sh_putuo_swj_unit_2025.pdf"), "T3")
    assert t3[("30101", "total")] == wan("1,952,616.00")
    assert t3[("30101", "personnel")] == wan("1,952,616.00")
    assert t3[("30101", "public")] is None
    # 烟台市统计局 公开表6 (万元): 合计 1,704.12 = 人员支出 1,573.37 + 日常公用支出 130.75.
    yantai = _cells(_extract("real-pdf-provinces", "山东_烟台市统计局_2026_预算.pdf"), "T3")
    assert (yantai[(None, "total")], yantai[(None, "personnel")], yantai[(None, "public")]) == (
        D("1704.12"),
        D("1573.37"),
        D("130.75"),
    )


def test_a_second_header_row_naming_the_amount_columns_is_not_a_total_line():
    # 烟台市统计局 公开表4 财政拨款收支总体情况表: 预算数 over 总计 | 一般公共预算 | 政府性基金预算 |
    # 国有资本经营预算 (line 201, repeated at 225); 支出总计 2,123.11.
    extraction = _extract("real-pdf-provinces", "山东_烟台市统计局_2026_预算.pdf")
    t1 = [c for c in extraction.summary_cells if c.table_id == "T1"]
    assert not [c for c in t1 if c.source_line in (201, 225)]
    totals = {(c.column_key, c.amount_wan_yuan) for c in t1 if c.row_role == "grand_total" and c.side == "expenditure"}
    assert ("total", D("2123.11")) in totals and ("general_public", D("2123.11")) in totals


def test_procurement_by_function_subject_counts_the_leaves():
    # 烟台市统计局 公开表12 政府采购预算表: 合计 49.33 over 201 → 05 统计信息事务 49.33 → 01 行政运行
    # 1.83 and 07 专项普查活动 47.50.
    items = _extract("real-pdf-provinces", "山东_烟台市统计局_2026_预算.pdf").procurement_items
    assert [(i.item_name, i.amount_wan_yuan, i.is_total_row) for i in items] == [
        ("合 计", D("49.33"), True),
        ("行政运行", D("1.83"), False),
        ("专项普查活动", D("47.50"), False),
    ]
    assert {i.category for i in items} == {None}


def test_procurement_categories_from_catalogue_codes_under_unit_subtotals():
    # 西安市统计局 表12 (元): 合计 18,712,700.00; the 全额 and 西安市统计局 lines repeat it over the
    # purchases. Goods (A…): 2,040,000 + 1,020,000 + 6,863,000 + 12,100 + 39,000 + 5,788,600 +
    # 12,000 = 15,774,700; services (C…): 280,000 + 204,600 + 250,000 + 52,000 + 385,000 +
    # 390,000 + 148,300 + 1,118,100 + 110,000 = 2,938,000.
    items = _extract("real-pdf-provinces", "陕西_西安市统计局_2026_预算.pdf").procurement_items
    total = [i.amount_wan_yuan for i in items if i.is_total_row]
    by_category: dict[str | None, Decimal] = {}
    for item in items:
        if not item.is_total_row:
            by_category[item.category] = by_category.get(item.category, D(0)) + item.amount_wan_yuan
    assert total == [wan("18,712,700.00")]
    assert by_category == {"goods": wan("15,774,700"), "services": wan("2,938,000")}


def test_a_name_run_on_into_the_amount_cell():
    # 西安市气象局 2022 表5 (元): 2080506 机关事业单位职业年金缴费支出 43608.96; 220 自然资源海洋气象等支出
    # 18803323.32, of which 专项业务经费支出 17159700.
    t2 = _cells(_extract("real-pdf-provinces", "陕西_西安市气象局_2022_预算.pdf"), "T2")
    assert t2[("2080506", "total")] == wan("43608.96")
    assert t2[("220", "total")] == wan("18803323.32")
    assert t2[("220", "project")] == wan("17159700")


def test_a_paragraph_whose_numbers_are_stored_apart_from_its_words_is_reported_not_read():
    # 重庆市气象局, line 31: "二 支出预算 年 年 初 预 算 数 万 元 其 中 自 然 资 源 海 洋 气 象 等 支 出
    # 万元 社会( ) :2026 14,770.62 , : 13,873.36 ,保障和就业支出 万元 …": no number stands by its words.
    extraction = _extract("real-pdf-provinces", "重庆_重庆市气象局_2026_预算.pdf")
    assert any(p.source_line == 31 and "out of order" in p.reason for p in extraction.problems)
    assert not [f for f in extraction.figures if f.source_line == 31]
