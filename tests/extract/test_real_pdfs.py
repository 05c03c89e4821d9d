"""Real disclosures published as PDF (shared/real-pdf/), read from their text layer.

Every expected figure below was read off the document's own pages by a person (tables in
元, 三公 in 万元, as printed), then converted to 万元 by moving the decimal point: 元 / 10,000.
The Shanghai district template: 9 tables, codes printed in 类 | 款 | 项 columns, long tables
continued across pages, the 合计 row sometimes on a page of its own.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dagster_project.lib.extract import extract_disclosure, headline
from dagster_project.lib.extract.headline import table_figures
from tests.conftest import shared_path

D = Decimal


def wan(yuan: str) -> Decimal:
    """An amount printed in 元 (with thousands separators), in 万元, exactly."""
    return D(yuan.replace(",", "")) / 10000


SHANGHAI = {
    "sh_putuo_zfb_dept_2025": {
        "unit_name": "上海市普陀区人民政府办公室",
        "year": 2025,
        "total_expenditure": wan("91,016,775.35"),  # 1. 财务收支预算总表, 支出总计
        "basic_expenditure": wan("24,606,775.35"),  # 5. 一般公共预算支出功能分类预算表, 合计 row
        "project_expenditure": wan("66,410,000.00"),
        "three_public_total": D("867.50"),  # 9. “三公”经费 table, in 万元
        "classes": {"201": wan("82,096,797.42"), "208": wan("4,213,779.28"), "221": wan("3,609,125.22")},
        # T2 row 201 03 01 行政运行: 合计, 基本支出, 项目支出
        "t2_row": ("2010301", wan("12,029,501.84"), wan("11,919,501.84"), wan("110,000.00")),
        "t3_row": ("30101", wan("2,540,192.00")),  # 8. 经济分类: 301 01 基本工资
    },
    "sh_putuo_czj_dept_2025": {
        "unit_name": "上海市普陀区财政局",
        "year": 2025,
        "total_expenditure": wan("31,214,205.80"),
        "three_public_total": D("0.95"),
        "classes": {"201": wan("22,186,440.80"), "208": wan("3,508,644.00"), "221": wan("4,736,957.00")},
        "t2_row": ("2010601", wan("16,231,840.80"), wan("16,093,326.00"), wan("138,514.80")),
        "t3_row": ("30101", wan("2,642,448.00")),
    },
    "sh_putuo_wanli_dept_2023": {
        "unit_name": "上海市普陀区人民政府万里街道办事处",
        "year": 2023,
        "total_expenditure": wan("164,978,640"),
        "three_public_total": D("22.91"),
        "classes": {"201": wan("2,976,800"), "212": wan("121,319,878"), "221": wan("8,960,694")},
        "t2_row": ("2010506", wan("26,300"), D("0"), wan("26,300")),
        "t3_row": ("30101", wan("5,668,416")),
    },
    "sh_putuo_wanli_dept_2024": {
        "unit_name": "上海市普陀区人民政府万里街道办事处",
        "year": 2024,
        "total_expenditure": wan("156,211,123"),
        "basic_expenditure": wan("99,706,020"),  # the 合计 row, printed alone on the table's last page
        "project_expenditure": wan("56,505,103"),
        "three_public_total": D("47.91"),
        "classes": {"201": wan("2,932,700"), "208": wan("19,604,064"), "212": wan("119,385,303")},
        "t2_row": ("2010507", wan("257,700"), D("0"), wan("257,700")),
        "t3_row": ("30101", wan("5,873,551")),
    },
}


@pytest.fixture(scope="module", params=sorted(SHANGHAI))
def shanghai(request):
    path = shared_path("real-pdf", f"{request.param}.pdf")
    return SHANGHAI[request.param], extract_disclosure([path], [path.name])


def test_identity_and_headline_figures(shanghai):
    expected, extraction = shanghai
    assert (extraction.unit_name, extraction.year) == (expected["unit_name"], expected["year"])
    found = headline(extraction)
    for key in ("total_expenditure", "basic_expenditure", "project_expenditure", "three_public_total"):
        if key in expected:
            assert D(found[key]) == expected[key], key
    assert D(found["total_income"]) == expected["total_expenditure"]  # 收入总计 = 支出总计
    for code, amount in expected["classes"].items():
        assert D(found["function_classes"][code]) == amount, code


def test_tables_are_in_yuan_and_rows_are_read_across_pages(shanghai):
    expected, extraction = shanghai
    units = {table.table_id: table.measure_unit for table in extraction.tables}
    assert units["T2"] == units["T3"] == units["T1"] == "元" and units["T4"] == "万元"
    t2 = {(c.subject_code, c.column_key): c.amount_wan_yuan for c in extraction.subject_cells if c.table_id == "T2"}
    code, total, basic, project = expected["t2_row"]
    assert t2[(code, "total")] == total
    assert (t2.get((code, "basic")) or D(0)) == basic and t2[(code, "project")] == project
    t3 = {(c.subject_code, c.column_key): c.amount_wan_yuan for c in extraction.subject_cells if c.table_id == "T3"}
    assert t3[(expected["t3_row"][0], "total")] == expected["t3_row"][1]
    # The T2 合计 equals the document's total: no row lost where the table crosses a page.
    assert t2[(None, "total")] == expected["total_expenditure"]
    assert [p for p in extraction.problems if p.table_id in ("T1", "T2", "T3", "T6", "T7", "T8")] == []


def test_jiangsu_template_subject_tables_and_its_wider_three_public_table():
    """js_rd_dept_2017.pdf (江苏省人大常委会办公厅): 12 tables in 万元. Its 八、一般公共预算支出预算表
    prints 2010101 行政运行 4,545.94; 九、一般公共预算基本支出预算表 prints 30101 基本工资 1,015.15 and
    合计 7,666.68. Tables 五 and 六 (财政拨款 over all funds) are not the standard T2/T3, and the
    narrative's headings naming each table are prose, not tables."""
    path = shared_path("real-pdf", "js_rd_dept_2017.pdf")
    extraction = extract_disclosure([path], [path.name])
    assert (extraction.unit_name, extraction.year) == ("江苏省人大常委会办公厅", 2017)
    assert [t.table_id for t in extraction.tables].count("T2") == 1
    t2 = {(c.subject_code, c.column_key): c.amount_wan_yuan for c in extraction.subject_cells if c.table_id == "T2"}
    t3 = {(c.subject_code, c.column_key): c.amount_wan_yuan for c in extraction.subject_cells if c.table_id == "T3"}
    assert t2[("2010101", "total")] == D("4545.94")
    assert t3[("30101", "total")] == D("1015.15") and t3[(None, "total")] == D("7666.68")
    found = headline(extraction)
    assert D(found["total_expenditure"]) == D("13649.07")  # 收支预算总表 支出合计
    # The 三公 table adds 会议费 and 培训费: its 合计 (2,542.60) is not the 三公 total.
    assert found.get("three_public_total") != "2542.60"
    assert D(found["three_public"]["overseas"]) == D("222.50")
    # 财政拨款政府性基金支出预算表 is printed twice, empty; the second time with "(无政府性基金支出）".
    t5 = [t for t in extraction.tables if t.table_id == "T5"]
    assert [(t.data_rows, t.note) for t in t5] == [(0, "无政府性基金支出")]
    # ... which states a zero, at the note's line: the fund budget is 0, not absent.
    fund = table_figures(extraction)["gov_fund_expenditure"]
    assert (fund.amount, fund.source_line) == (0, t5[0].note_line)
    assert D(found["gov_fund_budget"]) == 0


def test_jiangsu_disclosure_published_as_two_files():
    """js_zx_dept_2018: the narrative and the tables as two PDFs of one disclosure. The cover
    (narrative file) names 江苏省政协办公厅 2018 over two printed lines; 公开01表 收支预算总表
    (tables file) prints 收入合计 10,150.48, 一般公共预算 10,070.48, 一、一般公共服务支出 7,827.46,
    十八、住房保障支出 1,499.26; 公开07表 prints its T2 rows."""
    narrative = shared_path("real-pdf", "js_zx_dept_2018.narrative.pdf")
    tables = narrative.with_name("js_zx_dept_2018.tables.pdf")
    extraction = extract_disclosure([narrative, tables], [narrative.name, tables.name])
    assert (extraction.unit_name, extraction.year, extraction.disclosure_kind) == (
        "江苏省政协办公厅",
        2018,
        "department",
    )
    found = headline(extraction)
    assert D(found["total_income"]) == D("10150.48") and D(found["general_public_budget"]) == D("10070.48")
    assert {code: D(v) for code, v in found["function_classes"].items()} == {
        "201": D("7827.46"),
        "208": D("823.76"),
        "221": D("1499.26"),
    }
    assert {t.source_file for t in extraction.tables} == {tables.name}
    assert narrative.name in {p.source_file for p in extraction.paragraphs}
    # 公开02表 收入预算总表 lists sources down the page: 收入总计 10,150.48; 一般公共预算资金 小计
    # 10,070.48; 其他资金 小计 80.00 over 其他收入 80.00. Read as T7's 合计 row.
    t7 = {
        c.column_key: c.amount_wan_yuan
        for c in extraction.subject_cells
        if c.table_id == "T7" and c.amount_wan_yuan is not None
    }
    assert t7 == {"total": D("10150.48"), "general_public": D("10070.48"), "other_income": D("80.00")}


def test_jiangsu_court_totals_from_its_summary_table():
    """js_gy_dept_2018 (江苏省高级人民法院): 收支预算总表 prints 一、财政拨款 33,172.15, 一、基本支出
    18,570.82, 二、项目支出 11,343.27 and 四、公共安全支出 26,200.88."""
    path = shared_path("real-pdf", "js_gy_dept_2018.pdf")
    extraction = extract_disclosure([path], [path.name])
    assert (extraction.unit_name, extraction.year) == ("江苏省高级人民法院", 2018)
    found = headline(extraction)
    assert D(found["total_income"]) == D("33172.15")
    assert D(found["basic_expenditure"]) == D("18570.82") and D(found["project_expenditure"]) == D("11343.27")
    assert D(found["function_classes"]["204"]) == D("26200.88")


def _extract(*names: str):
    paths = [shared_path("real-pdf", name) for name in names]
    return extract_disclosure(paths, [path.name for path in paths])


def _summary(extraction, table_id: str) -> dict[tuple[str, str], tuple[str, Decimal | None]]:
    """(side, label) → (row role, amount) of a T1/T6 table's amount cells."""
    return {
        (c.side, c.row_label): (c.row_role, c.amount_wan_yuan)
        for c in extraction.summary_cells
        if c.table_id == table_id and c.column_key in ("amount", "total")
    }


def test_jiangsu_court_tables_whose_ruling_shifts_cells():
    """js_gy_dept_2018: its PDF rulings move cells off the header's columns, and some rows
    print code, name and amount in one cell. 七、一般公共预算支出预算表 prints 合计 33,172.15,
    2040504 案件审判 1,833.30, 2080506 机关事业单位职业年金缴费支出 530.72; 八、…基本支出预算表
    合计 18,570.82, 30109 职业年金缴费 530.72. 四、财政拨款收支预算总表 lists expenditure by kind:
    基本支出 18,570.82, 项目支出 11,343.27, 单位预留机动经费 3,258.06, 支出合计 33,172.15; 三、支出预算
    总表 prints the same kinds in one row under 合计 33,172.15."""
    extraction = _extract("js_gy_dept_2018.pdf")
    t2 = {(c.subject_code, c.column_key): c.amount_wan_yuan for c in extraction.subject_cells if c.table_id == "T2"}
    t3 = {(c.subject_code, c.column_key): c.amount_wan_yuan for c in extraction.subject_cells if c.table_id == "T3"}
    assert t2[(None, "total")] == D("33172.15") and t2[("2040504", "total")] == D("1833.30")
    assert t2[("2080506", "total")] == D("530.72")
    assert t3[(None, "total")] == D("18570.82") and t3[("30109", "total")] == D("530.72")
    t1 = _summary(extraction, "T1")
    assert t1[("expenditure", "一、基本支出")] == ("kind", D("18570.82"))
    assert t1[("expenditure", "二、项目支出")] == ("kind", D("11343.27"))
    assert t1[("expenditure", "三、单位预留机动经费")] == ("kind", D("3258.06"))
    assert t1[("expenditure", "支出合计")] == ("grand_total", D("33172.15"))
    # 三、支出预算总表: one row of amounts, shifted one column left of its names.
    t8 = {c.column_key: c.amount_wan_yuan for c in extraction.subject_cells if c.table_id == "T8"}
    assert t8 == {"total": D("33172.15"), "basic": D("18570.82"), "project": D("11343.27"), "reserve": D("3258.06")}
    assert not [p for p in extraction.problems if p.table_id in ("T1", "T2", "T3", "T4", "T6", "T8", "T9")]


def test_jiangsu_summary_table_income_at_two_levels_and_totals_in_the_last_column():
    """收支预算总表 of js_rd_dept_2017 and js_gy_dept_2018: "一、财政拨款" is the source and "1.一般
    公共预算" a part of it (both 13,649.07 / 33,172.15, which must not count twice); 当年支出小计 and
    支出合计 are printed in the 支出用途 column. js_rd breaks "八、社会保障和就业支出 1,608.51" over
    two lines, and its lower rows sit one column left of the upper ones."""
    rd = _summary(_extract("js_rd_dept_2017.pdf"), "T6")
    assert rd[("income", "一、财政拨款")] == ("source", D("13649.07"))
    assert rd[("income", "1.一般公共预算")] == ("source_part", D("13649.07"))
    assert rd[("expenditure", "当年支出小计")] == ("current_total", D("13649.07"))
    assert rd[("expenditure", "八、社会保障和就业支出")] == ("class", D("1608.51"))
    assert rd[("expenditure", "十八、住房保障支出")] == ("class", D("1512.23"))
    gy = _summary(_extract("js_gy_dept_2018.pdf"), "T6")
    assert gy[("income", "一、财政拨款")] == ("source", D("33172.15"))
    assert gy[("income", "1.一般公共预算")] == ("source_part", D("33172.15"))
    assert gy[("expenditure", "当年支出小计")] == ("current_total", D("33172.15"))
    classes = sum(amount or 0 for (side, _), (role, amount) in gy.items() if side == "expenditure" and role == "class")
    assert classes == D("26200.88") + D("2254.76") + D("4716.51")


@pytest.mark.parametrize(
    ("names", "total", "by_category"),
    [
        # 2017 年政府采购预算表: 合计 2,247.85; 一、货物A 59.00; 三、服务C 2,188.85
        (("js_rd_dept_2017.pdf",), D("2247.85"), {"goods": D("59.00"), "services": D("2188.85")}),
        # 政府采购预算表 over two pages: 合计 4,641.62; 货物 962.86; 工程 539.00; 服务 3,139.76
        (
            ("js_gy_dept_2018.pdf",),
            D("4641.62"),
            {"goods": D("962.86"), "works": D("539.00"), "services": D("3139.76")},
        ),
    ],
)
def test_jiangsu_procurement_items_under_category_and_project_subtotals(names, total, by_category):
    """Jiangsu indents items (with their 采购组织形式) under project and category subtotal
    rows: the items alone add up to the 合计, category by category."""
    items = _extract(*names).procurement_items
    assert [item.amount_wan_yuan for item in items if item.is_total_row] == [total]
    sums: dict[str, Decimal] = {}
    for item in items:
        if not item.is_total_row:
            sums[item.category] = sums.get(item.category, D(0)) + (item.amount_wan_yuan or D(0))
    assert sums == by_category


def test_jiangsu_three_public_header_names_wrapped_over_rows():
    """九、…“三公”经费、会议费、培训费支出预算表 (js_gy): 因公出国（境）费 170.00 and 公务用车运行
    维护费 266.80 are headed by names the PDF wraps over two or three rows; 三公 小计 620.75 =
    170.00 + 266.80 + 183.95."""
    cells = {c.item: c.amount_wan_yuan for c in _extract("js_gy_dept_2018.pdf").three_public_cells}
    assert cells["overseas"] == D("170.00") and cells["vehicle_operation"] == D("266.80")
    assert cells["reception"] == D("183.95") and cells["total"] == D("620.75")


def test_jiangsu_narrative_sections_and_reasons():
    """js_zx: "十二、政府采购支出预算情况说明" is about procurement (总额 1,281.76), not the budget's
    expenditure; "1.财政拨款收入预算总计 10,070.48" is 财政拨款 income. js_gy: "基本支出增加机关
    事业单位养老保险、职业年金缴费等 1447.63 万元" is a part (+1,447.63) of the change 4,322.77.
    Under "八、一般公共预算基本支出预算情况说明", "一般公共预算财政拨款基本支出预算 5,598.17 万元" is the
    一般公共预算 basic expenditure, not the basic expenditure of all funds (T8's 5,678.17)."""
    zx = _extract("js_zx_dept_2018.narrative.pdf", "js_zx_dept_2018.tables.pdf").figures
    assert ("procurement_total", D("1281.76")) in {(f.figure_key, f.value) for f in zx}
    assert ("fiscal_income", D("10070.48")) in {(f.figure_key, f.value) for f in zx}
    assert not [f for f in zx if f.figure_key == "total_expenditure" and f.value == D("1281.76")]
    basic = {f.figure_key for f in zx if f.value == D("5598.17")}
    assert basic == {"basic_expenditure"}
    gy = _extract("js_gy_dept_2018.pdf").figures
    parts = sorted(
        f.value for f in gy if f.figure_kind == "change_part" and f.figure_key == "income_general_public_budget"
    )
    assert parts == [D("-200"), D("1447.63"), D("3075.14")]


def test_shanghai_project_forms_in_yuan_and_funds_of_projects_with_targets():
    """sh_putuo_wanli_dept_2023: each 财政项目支出绩效目标填报表 states 项目资金（元）:
    新建万里街道社区公共服务中心 4,100,000.00 元 = 410.00 万元. The narrative's "编报绩效目标的项目
    5个，涉及项目预算资金3328.13万元" counts only the projects that set targets: not 项目支出."""
    extraction = _extract("sh_putuo_wanli_dept_2023.pdf")
    project = next(p for p in extraction.projects if p.project_name == "新建万里街道社区公共服务中心")
    assert project.total_wan_yuan == project.fiscal_wan_yuan == wan("4,100,000.00")
    keys = {f.figure_key for f in extraction.figures if f.value == D("3328.13")}
    assert keys == {"performance_target_project_funds"}
    # The forms' indicators: 一级 | 二级 | 三级指标 | 年度(/项目)指标值, the operator and unit
    # inside the value ("≥13459.00(平方米)"), no 指标性质 and no 权重 column.
    indicators = {
        (i.project_name, i.indicator_name): (i.level1, i.level2, i.operator, i.target_value, i.measure_unit, i.weight)
        for i in extraction.indicators
    }
    assert indicators[("新建万里街道社区公共服务中心", "规划建筑面积")] == (
        "产出指标",
        "数量指标",
        "≥",
        "13459.00",
        "平方米",
        None,
    )
    assert indicators[("新建万里街道社区公共服务中心", "完工及时率")] == (
        "产出指标",
        "质量指标",
        None,
        "及时率",
        None,
        None,
    )
    assert indicators[("就业援助基地补贴", "补贴对象申请审核完成率")][2:5] == ("=", "100.00", "%")
    assert [p for p in extraction.problems if p.table_id == "T11"] == []
