"""The seed disclosure (垫江县人民政府办公室, 2025) as a person reads it: every expected value
below was read from the document, not from the extractor's output."""

from decimal import Decimal

import pytest

from dagster_project.lib.extract import extract_disclosure, headline
from tests.conftest import SEED, SEED_KEY

D = Decimal


@pytest.fixture(scope="module")
def seed():
    return extract_disclosure([SEED], [SEED_KEY])


def _cell(seed, table, code, column):
    matches = [
        c for c in seed.subject_cells if c.table_id == table and c.subject_code == code and c.column_key == column
    ]
    assert len(matches) == 1
    return matches[0].amount_wan_yuan


def test_identity_and_no_problems(seed):
    assert (seed.unit_name, seed.year, seed.disclosure_kind, seed.county_code) == (
        "垫江县人民政府办公室",
        2025,
        "department",
        "500231",
    )
    assert seed.problems == []


def test_headline(seed):
    assert headline(seed) == {
        "total_income": "3056.75",
        "total_expenditure": "3056.75",
        "general_public_budget": "3056.75",
        "gov_fund_budget": "0",
        "basic_expenditure": "2351.73",
        "project_expenditure": "705.02",
        "three_public_total": "59.30",
        "three_public": {
            "overseas": "2.50",
            "vehicle_purchase": "0",
            "vehicle_operation": "30.00",
            "reception": "26.80",
        },
        "function_classes": {
            "201": "2460.24",
            "205": "6.20",
            "208": "359.38",
            "210": "99.77",
            "213": "2.64",
            "221": "128.53",
        },
    }


def test_function_table_rows_and_blank_cells(seed):
    assert _cell(seed, "T2", "2010350", "basic") == D("734.30")
    assert _cell(seed, "T2", "2010302", "project") == D("479.32")
    assert _cell(seed, "T2", "2010301", "project") is None  # printed blank, not 0
    totals = {
        c.column_key: c.amount_wan_yuan for c in seed.subject_cells if c.table_id == "T2" and c.subject_code is None
    }
    assert totals == {"total": D("3056.75"), "basic": D("2351.73"), "project": D("705.02")}


def test_economic_table(seed):
    assert _cell(seed, "T3", "30226", "public") == D("118.18")
    assert _cell(seed, "T3", "301", "total") == D("1832.47")
    assert _cell(seed, "T3", "30310", "total") is None  # 个人农业生产补贴: an all-blank line
    assert len({c.subject_code for c in seed.subject_cells if c.table_id == "T3" and c.subject_code}) == 37


def test_three_public_both_years(seed):
    cells = {(c.budget_year, c.item): c.amount_wan_yuan for c in seed.three_public_cells}
    assert cells[(2024, "total")] == D("115.40")
    assert cells[(2024, "vehicle_operation")] == D("86.00")
    assert cells[(2024, "reception")] == D("26.90")
    assert cells[(2025, "total")] == D("59.30")
    assert cells[(2025, "vehicle_purchase")] is None


def test_empty_fund_table_keeps_its_note(seed):
    t5 = next(t for t in seed.tables if t.table_id == "T5")
    assert t5.data_rows == 0
    assert "无数据" in t5.note


def test_department_target_with_shifted_last_row(seed):
    target = seed.performance_targets[0]
    assert target.unit_name == "垫江县人民政府办公室" and target.budget_wan_yuan == D("3056.75")
    indicators = [i for i in seed.indicators if i.table_id == "T10"]
    assert len(indicators) == 14
    assert sum(i.weight for i in indicators) == 100
    last = indicators[-1]  # printed one column to the left
    assert (last.indicator_name, last.weight, last.measure_unit, last.target_value, last.was_realigned) == (
        "光纤接入中数条数",
        D(5),
        "条",
        "50",
        True,
    )


def test_all_thirteen_projects(seed):
    assert len(seed.projects) == 13
    by_code = {p.project_code: p for p in seed.projects}
    office = by_code["500231237000003328524"]
    assert (office.project_name, office.unit_code, office.department_code, office.fiscal_wan_yuan) == (
        "政府事务经费",
        "103001",
        "103",
        D("371.00"),
    )
    assert by_code["500231257000004878326"].total_wan_yuan == D("83.21")
    assert sum(p.fiscal_wan_yuan for p in seed.projects) == D("663.95")


def _weights(seed, code):
    return [i.weight for i in seed.indicators if i.project_code == code]


def test_shifted_rows_read_right_and_the_lost_weight_stays_lost(seed):
    # 12 projects: indicators 90 + 预算执行率权重 10; 电子政务外网等级测评 lost one weight cell.
    for project in seed.projects:
        weights = _weights(seed, project.project_code)
        if project.project_code == "500231227000000090379":
            assert weights.count(None) == 1 and sum(w for w in weights if w) == 75
        else:
            assert None not in weights and sum(weights) == 90, project.project_name
    lost = next(i for i in seed.indicators if i.project_code == "500231227000000090379" and i.weight is None)
    assert lost.indicator_name == "等保测评完成及时率"


def test_indicator_levels_survive_vertical_labels_and_doubled_cells(seed):
    reform = [i for i in seed.indicators if i.project_code == "50023122T000000121797"]
    assert (reform[0].level1, reform[0].level2, reform[0].indicator_name, reform[0].weight) == (
        "产出指标",
        "时效指标",
        "办理及时率",
        D(10),
    )
    finance = [i for i in seed.indicators if i.project_code == "500231257000004913812"]
    assert (finance[0].level1, finance[0].level2, finance[0].indicator_name) == ("产出指标", "数量指标", "走访民营企业")


def _figures(seed, key, kind):
    return [f.value for f in seed.figures if f.figure_key == key and f.figure_kind == kind]


def test_narrative_levels_changes_and_parts(seed):
    assert _figures(seed, "total_income", "level") == [D("3056.75")]
    assert _figures(seed, "total_income", "change") == [D("-1625.29")]
    assert D("34.31") in _figures(seed, "basic_expenditure", "change")
    assert D("-1659.6") in _figures(seed, "project_expenditure", "change")
    assert _figures(seed, "three_public_total", "change") == [D("-56.1")]
    assert _figures(seed, "three_public_reception", "change") == [D("-0.1")]
    assert _figures(seed, "three_public_overseas", "change") == [D("0")]  # 与 2024 年持平
    assert _figures(seed, "three_public_vehicle_operation", "change_part") == [D("-6"), D("-50")]
    assert _figures(seed, "operating_costs", "level") == [D("198.11")]
    assert _figures(seed, "procurement_total", "level") == [D("45.22")]
    classes = {f.subject_code: f.value for f in seed.figures if f.figure_key == "function_class"}
    assert classes == {
        "201": D("2460.24"),
        "205": D("6.2"),
        "208": D("359.38"),
        "210": D("99.77"),
        "213": D("2.64"),
        "221": D("128.53"),
    }


def test_vehicle_count_is_dated_to_the_end_of_2024(seed):
    vehicles = next(f for f in seed.figures if f.figure_key == "vehicles_total")
    assert (vehicles.value, vehicles.year, vehicles.measure_unit) == (D(6), 2024, "辆")


def test_provenance_lines_point_at_the_source(seed):
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for cell in [*seed.subject_cells[:20], seed.projects[3]]:
        printed = lines[cell.source_line - 1]
        assert (getattr(cell, "subject_code", None) or getattr(cell, "project_code", None) or "合计") in printed
