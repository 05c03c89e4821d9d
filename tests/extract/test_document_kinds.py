"""A county folder holds more than budgets: each kind of fiscal document is recognised from its
title and its tables' titles, and only a budget disclosure is read as one."""

from __future__ import annotations

import pytest

from dagster_project.lib.extract import NotADisclosure, extract_disclosure
from tests.conftest import SEED, shared_path
from tests.fixtures.handmade import BASE

EXECUTION_REPORT = """关于测试县2024年预算执行情况和2025年预算草案的报告

一、2024年预算执行情况
全县一般公共预算收入完成12.3亿元，增长5.2%。一般公共预算支出完成30.1亿元。
二、2025年预算草案
"""

TEMPLATE = """部门预算公开参考格式（模板）

XX单位2025年部门预算情况说明
一、部门收支总体情况
"""

BLANK_TABLES = """# 测试县测试局 2025 年部门预算

一、财政拨款收支总表
单位：万元
收入\t\t支出\t
项目\t预算数\t项目\t预算数
一般公共预算\t\t一般公共服务支出\t
收入总计\t\t支出合计\t
二、一般公共预算财政拨款支出预算表
单位：万元
科目编码\t科目名称\t合计\t基本支出\t项目支出
\t合计\t\t\t
三、一般公共预算“三公”经费支出表
单位：万元
合计\t因公出国（境）费\t公务用车购置及运行费\t公务接待费
\t\t\t
"""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (EXECUTION_REPORT, "预算执行报告: a budget execution report, not a budget disclosure"),
        (TEMPLATE, "空白模板: a blank template, not a unit's disclosure"),
        (BLANK_TABLES, "空白模板: a blank template: its tables and text state no figure"),
    ],
)
def test_other_fiscal_documents_are_refused_with_their_kind(tmp_path, text, reason):
    path = tmp_path / "document.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NotADisclosure, match=f"document.txt: {reason}"):
        extract_disclosure([path])


def test_final_accounts_are_refused_as_final_accounts():
    with pytest.raises(NotADisclosure, match="部门决算: final accounts, not a budget disclosure"):
        extract_disclosure([shared_path("real-pdf", "sh_putuo_czj_final_2024.pdf")])


def test_a_budget_names_whose_budget_it_is(tmp_path):
    unit = tmp_path / "unit.txt"
    unit.write_text(BASE.replace("2025 年部门预算", "2025 年单位预算", 1), encoding="utf-8")
    assert extract_disclosure([SEED]).disclosure_kind == "department"
    assert extract_disclosure([unit]).disclosure_kind == "unit"
    # the Shanghai 单位预算's cover: "…区级单位预算" over "预算单位：上海市普陀区商务委员会"
    shanghai = extract_disclosure([shared_path("real-pdf", "sh_putuo_swj_unit_2025.pdf")])
    assert (shanghai.unit_name, shanghai.disclosure_kind) == ("上海市普陀区商务委员会", "unit")
