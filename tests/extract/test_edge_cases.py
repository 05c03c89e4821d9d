"""Layouts the seed does not show: other numbering, 元 tables, bad cells, encodings, several files."""

from decimal import Decimal

import pytest

from dagster_project.lib.extract import NotADisclosure, extract_disclosure

T = "\t"
HEAD = "# 某县某局 2025 年部门预算情况说明\n\n"


def _t2(unit: str, rows: list[str], title: str = "某局一般公共预算财政拨款支出预算表", number: str = "表二") -> str:
    header = [
        number,
        "",
        title,
        "",
        f"单位：{unit}",
        "",
        T.join(["科目编码", "科目名称", "总计", "基本支出", "项目支出"]),
    ]
    return "\n".join(header + rows) + "\n"


def _extract(tmp_path, text, name="doc.txt", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return extract_disclosure([path], [name])


def _cells(extraction, code):
    return {c.column_key: c.amount_wan_yuan for c in extraction.subject_cells if c.subject_code == code}


def test_thousands_separators_full_width_digits_and_blank_versus_zero(tmp_path):
    rows = [
        T.join(["合计", "", "1,234.50", "1,000.00", "234.50"]),
        T.join(["201", "一般公共服务支出", "１，２３４．５０", "1,000.00", "234.50"]),
        T.join(["20101", "人大事务", "1,234.50", "1,000.00", "0.00"]),
        T.join(["2010101", "行政运行", "1,000.00", "1,000.00", ""]),
    ]
    extraction = _extract(tmp_path, HEAD + _t2("万元", rows))
    assert _cells(extraction, "201")["total"] == Decimal("1234.50")
    assert _cells(extraction, "20101")["project"] == Decimal("0.00")  # a stated zero
    assert _cells(extraction, "2010101")["project"] is None  # a blank cell
    assert extraction.problems == []


def test_a_table_in_yuan_is_converted_exactly(tmp_path):
    rows = [T.join(["合计", "", "30,567,500.00", "23,517,300.00", "7,050,200.00"])]
    extraction = _extract(tmp_path, HEAD + _t2("元", rows))
    assert {c.column_key: c.amount_wan_yuan for c in extraction.subject_cells} == {
        "total": Decimal("3056.75"),
        "basic": Decimal("2351.73"),
        "project": Decimal("705.02"),
    }
    assert extraction.tables[0].measure_unit == "元"


def test_other_numbering_is_recognised_by_title(tmp_path):
    rows = [T.join(["合计", "", "10.00", "10.00", ""])]
    extraction = _extract(tmp_path, HEAD + _t2("万元", rows, title="附件3 某局一般公共预算支出表", number="表 3"))
    assert [t.table_id for t in extraction.tables] == ["T2"]
    assert extraction.tables[0].printed_number == 3


def test_an_unreadable_cell_is_a_problem_with_its_line_and_the_rest_loads(tmp_path):
    rows = [
        T.join(["合计", "", "20.00", "20.00", ""]),
        T.join(["201", "一般公共服务支出", "12..5", "20.00", ""]),
        T.join(["205", "教育支出", "8.00", "8.00", ""]),
        T.join(["", "未编码的一行", "1.00", "1.00", ""]),
    ]
    text = HEAD + _t2("万元", rows)
    extraction = _extract(tmp_path, text)
    line_of = {
        cells[0] or cells[1]: n for n, line in enumerate(text.splitlines(), start=1) if len(cells := line.split(T)) > 1
    }
    reasons = {(p.source_line, p.table_id): p.reason for p in extraction.problems}
    assert "12..5" in reasons[(line_of["201"], "T2")]
    assert "未编码的一行" in reasons[(line_of["未编码的一行"], "T2")]
    assert _cells(extraction, "201") == {"total": None, "basic": Decimal("20.00"), "project": None}
    assert _cells(extraction, "205")["total"] == Decimal("8.00")
    assert all(p.source_file == "doc.txt" for p in extraction.problems)


@pytest.mark.parametrize(
    ("encoding", "prefix", "newline"),
    [("gb18030", "", "\n"), ("gbk", "", "\r\n"), ("utf-8", "\ufeff", "\r\n")],
)
def test_encodings_bom_and_crlf_read_like_utf8(tmp_path, encoding, prefix, newline):
    rows = [T.join(["合计", "", "10.00", "10.00", ""]), T.join(["201", "一般公共服务支出", "10.00", "10.00", ""])]
    text = prefix + (HEAD + _t2("万元", rows)).replace("\n", newline)
    extraction = _extract(tmp_path, text, encoding=encoding)
    assert extraction.unit_name == "某县某局"
    assert _cells(extraction, "201")["total"] == Decimal("10.00")


def test_one_disclosure_published_as_two_files(tmp_path):
    narrative = tmp_path / "narrative.txt"
    tables = tmp_path / "tables.txt"
    narrative.write_text(
        HEAD + "## 二、部门收支总体情况\n\n(二)支出预算:2025年年初预算数 10.00 万元。\n", encoding="utf-8"
    )
    tables.write_text(_t2("万元", [T.join(["合计", "", "10.00", "10.00", ""])]), encoding="utf-8")
    extraction = extract_disclosure([narrative, tables], ["d/narrative.txt", "d/tables.txt"])
    assert extraction.unit_name == "某县某局"
    assert {f.source_file for f in extraction.figures} == {"d/narrative.txt"}
    assert {c.source_file for c in extraction.subject_cells} == {"d/tables.txt"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\xff\xfe binary", "not a text document"),
        ("会议纪要：今天讨论了食堂菜单。".encode(), "no budget disclosure"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(NotADisclosure, match=reason):
        extract_disclosure([path], ["bad.txt"])
