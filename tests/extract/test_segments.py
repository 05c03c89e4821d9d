import pytest

from dagster_project.lib.extract.readers.text import read_lines, split_lines
from dagster_project.lib.extract.segments import chinese_number, classify_title, split_layout
from tests.conftest import SEED


@pytest.mark.parametrize(
    ("title", "table_id"),
    [
        ("垫江县人民政府办公室财政拨款收支总表", "T1"),
        ("垫江县人民政府办公室一般公共预算财政拨款支出预算表", "T2"),
        ("垫江县人民政府办公室一般公共预算财政拨款基本支出预算表", "T3"),
        ("垫江县人民政府办公室一般公共预算“三公”经费支出表", "T4"),
        ("垫江县人民政府办公室政府性基金预算支出表", "T5"),
        ("垫江县人民政府办公室部门收支总表", "T6"),
        ("垫江县人民政府办公室部门收入总表", "T7"),
        ("垫江县人民政府办公室部门支出总表", "T8"),
        ("垫江县人民政府办公室政府采购明细表", "T9"),
        ("垫江县人民政府办公室部门整体绩效目标表", "T10"),
        ("垫江县人民政府办公室2025年项目绩效目标表", "T11"),
        # Shanghai district titles (docs/rules.md, variants)
        ("财务收支预算总表", "T6"),
        ("收入预算总表", "T7"),
        ("支出预算总表", "T8"),
        ("财政拨款收支预算总表", "T1"),
        ("一般公共预算支出功能分类预算表", "T2"),
        ("一般公共预算基本支出经济分类预算表", "T3"),
        ('"三公"经费和机关运行经费预算表', "T4"),
        ("部门预算公开联系人", None),
    ],
)
def test_tables_are_recognised_by_what_their_title_says(title, table_id):
    assert classify_title(title) == table_id


@pytest.mark.parametrize(
    ("text", "number"), [("二", 2), ("十", 10), ("十一", 11), ("二十", 20), ("12", 12), ("甲", None)]
)
def test_printed_table_numbers(text, number):
    assert chinese_number(text) == number


def test_seed_layout():
    layout = split_layout(read_lines(SEED))
    assert [entry.listed_number for entry in layout.index] == list(range(1, 12))
    assert [entry.table_id for entry in layout.index] == [f"T{n}" for n in range(1, 12)]
    assert [table.table_id for table in layout.tables] == ["T1", "T2", "T3", "T4", "T5", "T10", "T11"]
    printed = {table.table_id: table.printed_number for table in layout.tables}
    assert printed["T2"] == 2 and printed["T10"] == 10 and printed["T11"] == 11


def test_an_index_entry_is_not_a_table_even_as_a_heading():
    # The seed's last index entry is a markdown heading: "## 11. …项目绩效目标表".
    layout = split_layout(split_lines("附表:1.某局财政拨款收支总表\n\n## 2. 某局项目绩效目标表\n"))
    assert [e.listed_number for e in layout.index] == [1, 2]
    assert layout.tables == []
