"""The five real disclosures from other counties' web pages (shared/disclosures/): each
extracts exactly the figures its expected.json (written by a person) gives, and reports a
figure the text does not state as absent."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from dagster_project.lib.extract import extract_disclosure, headline
from tests.conftest import SHARED, shared_path

NAMES = (
    sorted(p.stem for p in (SHARED / "disclosures").glob("*.txt"))
    if (SHARED / "disclosures").is_dir()
    else ["02_dianjiang_shuiliguanlizhan_2026"]
)


def _decimals(value):
    if isinstance(value, dict):
        return {key: _decimals(item) for key, item in value.items()}
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


@pytest.mark.parametrize("name", NAMES)
def test_extracts_exactly_the_expected_figures(name):
    text = shared_path("disclosures", f"{name}.txt")
    expected = json.loads(Path(str(text).replace(".txt", ".expected.json")).read_text(encoding="utf-8"))
    expected.pop("notes", None)
    extraction = extract_disclosure([text], [text.name])
    found = headline(extraction) | {"unit_name": extraction.unit_name, "year": extraction.year}
    found = {key: value for key, value in found.items() if value is not None}
    assert {k: (v if k in ("unit_name", "year") else _decimals(v)) for k, v in found.items()} == {
        k: (v if k in ("unit_name", "year") else _decimals(v)) for k, v in expected.items()
    }
