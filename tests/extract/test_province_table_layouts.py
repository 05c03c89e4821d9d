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
- An income table grouped into 本年收入 and 上年结转结余, each with a 小计.
- A paragraph whose text layer holds the words apart from the numbers is reported, not read; a
  line of prose whose runs are framed (drawn boxes a table finder takes for a table) is prose.
- In the narrative: a class named inside the 项目支出 paragraph is its part of 项目支出; what
  stayed level inside an explanation is a cause, not a part of the change.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dagster_project.lib.extract import extract_disclosure
from tests.conftest import shared_path

D = Decimal


def wan(yuan: str) -> Decimal:
    return D(yuan.replace(",", "")) / 10000


def _extract(folder: str, *names: str):
    """One disclosure, published as one file or several."""
    paths = [shared_path(folder, name) for name in names]
    for path in paths:
        if not path.exists():
            pytest.skip(f"{path} is not here (shared/ beside the project; CI has it)")
    return extract_disclosure(paths, list(names))


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
    # Line 44 keeps each amount by its words, its punctuation stored apart ("比2025“ ” , 。 : ( )
    # ,年减少5万元 主要原因是…压减出国经费 公务接待费0.3万元"): the levels and changes are read, no
    # part of a change (where the explanation ends is lost).
    read = {(f.figure_key, f.figure_kind, f.value) for f in extraction.figures if f.paragraph_line == 44}
    assert {("three_public_total", "level", D("13.85")), ("three_public_overseas", "change", D("-5"))} <= read
    assert not [kind for _, kind, _ in read if kind == "change_part"]


def test_an_income_table_grouped_into_this_year_and_carry_over():
    # 北京市统计局 预算02表 收入总表 (万元, line 40): 合计 51,036.219169; 本年收入 小计 50,666.454093 over
    # 一般公共预算资金 50,665.496773 and 其他收入 0.957320; 上年结转结余 小计 369.765076 over its funds
    # 152.679076 and 217.086000. The sources are this year's parts and the carry-over's 小计.
    extraction = _extract(
        "real-pdf-provinces", "北京_北京市统计局_2026_预算.pdf", "北京_北京市统计局_2026_预算_报表.pdf"
    )
    t7 = {c.column_key: c.amount_wan_yuan for c in extraction.subject_cells if c.table_id == "T7"}
    assert t7 == {
        "total": D("51036.219169"),
        "general_public": D("50665.496773"),
        "other_income": D("0.957320"),
        "carryover": D("369.765076"),
    }


def test_a_line_of_prose_with_framed_runs_is_read_in_order():
    # 长沙市信访局 p.5: "2026 年本单位收入预算 1935.36 万元，其中，一般公共预算拨款 1935.36 万元，财政专户
    # 管理事业收入 0.00 万元，事业单位经营服务收入 0.00 万元" with each run of text framed; "(一)基本支出：
    # 2026 年本单位基本支出预算数 1517.95万元"; "(二)项目支出：… 417.41 万元，…其中：一般公共服务支出
    # 417.41 万元" (the class's part of 项目支出, not its whole: T1 gives 201 1935.36).
    figures = _extract("real-pdf-provinces", "湖南_长沙市信访局_2026_预算.pdf").figures
    levels = {(f.figure_key, f.value) for f in figures if f.figure_kind == "level"}
    assert {
        ("total_income", D("1935.36")),
        ("income_operating", D("0.00")),
        ("basic_expenditure", D("1517.95")),
        ("project_expenditure", D("417.41")),
    } <= levels
    assert not [f for f in figures if f.value == D("2026") and f.figure_kind == "level"]
    assert not [f for f in figures if f.figure_key == "function_class" and f.value == D("417.41")]


def test_what_stayed_level_inside_an_explanation_is_not_a_part_of_the_change():
    # 泉州市人民政府办公室 line 485: "公务用车购置费 261.90 万元，比上年减少 2.30 万元…主要原因是：车改后
    # 机关自行管理的公务用车数量与上年相比不变，经费定额与上年持平；本年车辆购置税预算减少。"
    figures = _extract("real-pdf-provinces", "福建_泉州市人民政府办公室_2026_预算.pdf").figures
    purchase = {(f.figure_kind, f.value) for f in figures if f.figure_key == "three_public_vehicle_purchase"}
    assert ("change", D("-2.30")) in purchase
    assert not [kind for kind, _ in purchase if kind == "change_part"]


def test_an_amount_is_not_a_code_and_a_name():
    # 江苏省人大常委会办公厅 2018 公开03表 支出预算总表: 合计 15897.44 = 基本支出 7877.76 + 项目支出
    # 6333.96 + 单位预留机动经费 1685.72 ("15897.44" is not code 15897 named ".44").
    t8 = _cells(_extract("real-pdf", "js_rd_dept_2018.pdf"), "T8")
    assert t8 == {
        (None, "total"): D("15897.44"),
        (None, "basic"): D("7877.76"),
        (None, "project"): D("6333.96"),
        (None, "reserve"): D("1685.72"),
    }


def test_procurement_items_take_their_heading_category():
    # 中共江苏省委办公厅 2018 政府采购预算表: 一、货物A 90.00 (its first item: PC服务器 12.00, a server,
    # goods); 三、服务C 1,359.50.
    items = _extract("real-pdf", "js_swbgt_dept_2018.narrative.pdf", "js_swbgt_dept_2018.tables.pdf").procurement_items
    by_category: dict[str | None, Decimal] = {}
    for item in items:
        if not item.is_total_row:
            by_category[item.category] = by_category.get(item.category, D(0)) + item.amount_wan_yuan
    assert by_category == {"goods": D("90.00"), "services": D("1359.50")}
