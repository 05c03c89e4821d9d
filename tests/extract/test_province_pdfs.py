"""Real disclosures of other provinces' templates (shared/real-pdf-provinces/), read from the
text layer of their PDFs.

Every expected figure was read off the document's own pages by a person: the table and line
is named beside each. Amounts printed in 元 are converted by moving the decimal point
(元 / 10,000). A figure a table leaves blank but the narrative states is taken from the
narrative (its line is named); one stated nowhere is absent.

The layouts exercised, one class each: 总体情况表 titles and a qualifier after 表; codes in
brackets ([2010501]); a T1 whose expenditure side is a hierarchy of names; the unit's own row
as a table's total; a 三公 table split by fund, by year block (上年 / 当年), by unit with a 合计
row, or listing its items down the rows; 基本支出 printed only as 人员 + 公用; a table
cross-classified by function and economic subject; figures a PDF split after the decimal point.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dagster_project.lib.extract import extract_disclosure, headline
from tests.conftest import shared_path

D = Decimal


def wan(yuan: str) -> Decimal:
    return D(yuan.replace(",", "")) / 10000


PROVINCES = {
    # Shenzhen: 支出总表 line 297 (the unit's own row is the total); 三公 table line 520 (2026,
    # each item over three fund columns).
    "广东_深圳市统计局本级_2026_预算.pdf": {
        "total_expenditure": D("5417.80"),
        "basic_expenditure": D("4104.00"),
        "project_expenditure": D("1313.80"),
        "three_public_total": D("32.56"),
        "three_public": {
            "overseas": D("16.80"),
            "vehicle_purchase": D("0.00"),
            "vehicle_operation": D("4.20"),
            "reception": D("11.56"),
        },
    },
    # Huzhou: 支出预算总表 line 399, 基本支出 printed as 人员支出 4944.99 + 公用经费 626.67 (T2's
    # 小计, line 463: 5571.66); 三公 table line 555 (合计 row over one row per unit), its blank
    # 因公出国 and 购置费 stated 0.00 in the narrative (lines 223 and 233).
    "浙江_湖州市财政局_2026_预算.pdf": {
        "total_expenditure": D("6838.41"),
        "basic_expenditure": D("5571.66"),
        "project_expenditure": D("1266.75"),
        "three_public_total": D("9.30"),
        "three_public": {
            "overseas": D("0.00"),
            "vehicle_purchase": D("0.00"),
            "vehicle_operation": D("3.50"),
            "reception": D("5.80"),
        },
    },
    # Guangzhou: 收支总体情况表 支出总计 9,483.72; T2 (一般公共预算支出情况表（按功能分类科目）,
    # codes in brackets) 合计 line 205: 基本支出 8,401.67; 三公 items down the rows, lines 301-306.
    "广东_广州市统计局_2026_预算.pdf": {
        "total_expenditure": D("9483.72"),
        "basic_expenditure": D("8401.67"),
        "three_public_total": D("19.86"),
        "three_public": {
            "overseas": D("5.00"),
            "vehicle_purchase": D("0.00"),
            "vehicle_operation": D("6.70"),
            "reception": D("8.16"),
        },
    },
    # Xi'an: tables in 元. 收支总表 line 357 62,109,297.20; 人员经费和公用经费支出 (基本) 36,701,197.20
    # and 专项业务经费支出 (项目) 25,408,100.00, line 332/337; 三公 table line 644, block 当年:
    # 81,000.00 = 接待 15,000.00 + 运行维护 66,000.00; 因公出国 and 购置 0.00 in the narrative
    # (lines 249, 254).
    "陕西_西安市统计局_2026_预算.pdf": {
        "total_expenditure": wan("62,109,297.20"),
        "basic_expenditure": wan("36,701,197.20"),
        "project_expenditure": wan("25,408,100.00"),
        "three_public_total": wan("81,000.00"),
        "three_public": {
            "overseas": D("0.00"),
            "vehicle_purchase": D("0.00"),
            "vehicle_operation": wan("66,000.00"),
            "reception": wan("15,000.00"),
        },
    },
    # Quanzhou: 一般公共预算“三公”经费支出预算表, items down the rows, lines 386-391.
    "福建_泉州市人民政府办公室_2026_预算.pdf": {
        "three_public_total": D("312.75"),
        "three_public": {
            "overseas": D("0.00"),
            "vehicle_purchase": D("261.90"),
            "vehicle_operation": D("32.00"),
            "reception": D("18.85"),
        },
    },
    # Chongqing municipal: 三公 table line 314 (one row of figures; the year printed alone above);
    # the items its table leaves blank stated 0 in the narrative (line 44, its punctuation stored
    # apart from its words: "其中 因公出国 境 费用0万元 … 公务用车购置费0万元").
    "重庆_重庆市气象局_2026_预算.pdf": {
        "three_public_total": D("13.85"),
        "three_public": {
            "overseas": D("0"),
            "vehicle_purchase": D("0"),
            "vehicle_operation": D("13.55"),
            "reception": D("0.30"),
        },
    },
}

# Beijing publishes narrative and tables as two files; 支出总表 (one line per 功能科目 × 经济科目)
# 合 计 line 95: 30,775.648545 = 基本支出 2,018.968210 + 项目支出 28,756.680335.
BEIJING = ("北京_北京市气象局_2026_预算_说明.pdf", "北京_北京市气象局_2026_预算_报表.pdf")
BEIJING_FIGURES = {
    "total_expenditure": D("30775.648545"),
    "basic_expenditure": D("2018.968210"),
    "project_expenditure": D("28756.680335"),
}


def _headline(*names: str) -> dict:
    paths = [shared_path("real-pdf-provinces") / name for name in names]
    for path in paths:
        if not path.exists():
            pytest.skip(f"{path} is not here (shared/ beside the project; CI has it)")
    extraction = extract_disclosure(paths, [p.name for p in paths])
    return headline(extraction)


@pytest.mark.parametrize("name", sorted(PROVINCES))
def test_every_stated_headline_figure_is_read(name):
    stated = _headline(name)
    expected = PROVINCES[name]
    for key, value in expected.items():
        if key == "three_public":
            for item, amount in value.items():
                assert D(stated["three_public"][item]) == amount, (name, item)
        else:
            assert D(stated[key]) == value, (name, key)


@pytest.mark.parametrize("name", sorted(PROVINCES))
def test_the_figures_of_a_document_agree_with_each_other(name):
    stated = _headline(name)
    items = {k: D(v) for k, v in stated.get("three_public", {}).items()}
    if "three_public_total" in stated and len(items) == 4:
        assert sum(items.values()) == D(stated["three_public_total"]), name
    if {"total_expenditure", "basic_expenditure", "project_expenditure"} <= stated.keys():
        parts = D(stated["basic_expenditure"]) + D(stated["project_expenditure"])
        assert parts <= D(stated["total_expenditure"]), name


def test_a_disclosure_in_two_files_reads_its_cross_classified_tables():
    stated = _headline(*BEIJING)
    for key, value in BEIJING_FIGURES.items():
        assert D(stated[key]) == value, key
