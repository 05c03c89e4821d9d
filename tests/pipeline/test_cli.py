"""`budgetwh extract` as the contract in docs/data-contracts.md states it."""

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEED

BUDGETWH = [str(Path(sys.executable).parent / "budgetwh")]


def test_extract_prints_one_json_document():
    result = subprocess.run([*BUDGETWH, "extract", str(SEED)], capture_output=True, text=True, check=True)
    document = json.loads(result.stdout)
    assert {"source", "unit_name", "year", "headline", "tables", "problems"} <= set(document)
    assert document["headline"]["total_expenditure"] == "3056.75"
    assert document["headline"]["three_public"]["reception"] == "26.80"
    assert {table["table_id"] for table in document["tables"]} == {"T1", "T2", "T3", "T4", "T5", "T10", "T11"}
    assert document["problems"] == []


def test_extract_refuses_a_non_disclosure_with_one_line(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("会议纪要：讨论食堂菜单。", encoding="utf-8")
    result = subprocess.run([*BUDGETWH, "extract", str(notes)], capture_output=True, text=True)
    assert result.returncode != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "notes.txt" in result.stderr
