from decimal import Decimal

import pytest

from dagster_project.lib.extract.amounts import Amount, find_unit_declaration, parse_amount


@pytest.mark.parametrize(
    ("printed", "value", "decimals"),
    [
        ("3,056.75", "3056.75", 2),
        ("３０５６．７５", "3056.75", 2),  # full-width digits and point
        ("１，２３４", "1234", 0),  # full-width thousands separator
        ("6.20", "6.20", 2),
        ("83.2", "83.2", 1),
        ("0", "0", 0),
        ("0.00", "0.00", 2),
        (" 17,192 ", "17192", 0),
        ("(12.50)", "-12.50", 2),
        ("-1625.29", "-1625.29", 2),
    ],
)
def test_printed_numbers_read_exactly(printed, value, decimals):
    amount = parse_amount(printed)
    assert amount == Amount(Decimal(value), decimals)
    assert isinstance(amount.value, Decimal)


@pytest.mark.parametrize("blank", ["", "  ", "-", "—", "－", None])
def test_blank_cells_are_none_not_zero(blank):
    assert parse_amount(blank) is None


def test_a_stated_zero_is_not_blank():
    assert parse_amount("0") is not None and parse_amount("0").value == 0


@pytest.mark.parametrize("garbage", ["abc", "12..5", "1,23", "3056.75万", "1.2.3"])
def test_garbage_is_refused(garbage):
    with pytest.raises(ValueError):
        parse_amount(garbage)


def test_yuan_convert_to_wan_yuan_exactly_and_keep_their_precision():
    # RULES X-6: 光纤线路接入 268200 元/年 = 26.82 万元
    assert parse_amount("268200").to_wan_yuan("元") == Amount(Decimal("26.82"), 4)
    # disclosures/README: "108.520363" 万元 from 1,085,203.63 元
    assert parse_amount("1,085,203.63").to_wan_yuan("元").value == Decimal("108.520363")
    assert parse_amount("1.5").to_wan_yuan("亿元").value == Decimal("15000")


@pytest.mark.parametrize(
    ("line", "unit"),
    [
        ("单位：万元", "万元"),
        ("单位: 元", "元"),
        ("\t\t金额单位:万元", "万元"),
        ("单位：亿元", "亿元"),
        ("项目支出", None),
    ],
)
def test_unit_declarations(line, unit):
    assert find_unit_declaration(line) == unit
