"""The small generated county that the tests of this package build once and share: each test
that changes anything works on a copy of its raw folder or warehouse."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from synthetic.generate import generate_county
from tests.conftest import build_warehouse

SMALL = {"seed": 11, "departments": 8, "townships": 4, "years": (2023, 2024, 2025), "defect_share": 0.45}


@pytest.fixture(scope="package")
def county(tmp_path_factory):
    """(root, warehouse, manifest): the county's folder, its built warehouse, and what the
    generator injected into it (manifest.json)."""
    root = tmp_path_factory.mktemp("county")
    generated = generate_county(root / "raw", **SMALL)
    warehouse = root / "budget.duckdb"
    summary = build_warehouse(root / "raw", warehouse)
    assert summary.success, summary.render()
    manifest = json.loads((generated.root / "manifest.json").read_text(encoding="utf-8"))
    return root, warehouse, manifest


def copy_of_county(county, tmp_path: Path, name: str) -> tuple[Path, Path]:
    """(raw folder, warehouse file): a copy of the county's raw folder and of its published
    warehouse (as <name>/budget.duckdb) under tmp_path, for a test that changes them."""
    root, warehouse, _ = county
    raw = tmp_path / "raw"
    shutil.copytree(root / "raw", raw)
    copy = tmp_path / name / "budget.duckdb"
    copy.parent.mkdir()
    shutil.copy(warehouse, copy)
    return raw, copy


def correct(path: Path) -> None:
    """A department's correction of its text: one more purpose named in the narrative."""
    path.write_text(
        path.read_text(encoding="utf-8").replace("主要用于年度重点工作", "主要用于年度重点工作和应急保障", 1),
        encoding="utf-8",
    )
