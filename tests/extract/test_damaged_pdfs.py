"""A damaged PDF is refused as 'damaged PDF' with where reading stopped, not with a bare Python
exception; where most of its pages read, those are kept and the damaged pages reported."""

from __future__ import annotations

import re

import pytest

from dagster_project.lib.extract import NotADisclosure, extract_disclosure
from tests.conftest import SEED
from tests.fixtures.damaged import rendered, truncated, with_broken_page_boxes


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory) -> bytes:
    return rendered(SEED.read_text(encoding="utf-8"), tmp_path_factory.mktemp("pdf") / "seed.pdf")


def _pages(data: bytes) -> int:
    return len(re.findall(rb"/MediaBox", data))


def test_one_damaged_page_is_reported_and_the_others_are_read(seed_pdf, tmp_path):
    path = tmp_path / "one_bad_page.pdf"
    path.write_bytes(with_broken_page_boxes(seed_pdf, [2]))
    extraction = extract_disclosure([path])
    damaged = [p.reason for p in extraction.problems if p.reason.startswith("damaged PDF")]
    assert len(damaged) == 1 and "page 2 cannot be read" in damaged[0]
    assert [page.page for page in extraction.pages] == [n for n in range(1, _pages(seed_pdf) + 1) if n != 2]
    assert extraction.unit_name == "垫江县人民政府办公室"  # page 1, the cover, still reads


def test_a_pdf_most_of_whose_pages_are_damaged_is_refused_with_the_page(seed_pdf, tmp_path):
    path = tmp_path / "most_pages_bad.pdf"
    path.write_bytes(with_broken_page_boxes(seed_pdf, range(2, _pages(seed_pdf) + 1)))
    with pytest.raises(
        NotADisclosure, match=r"most_pages_bad.pdf: damaged PDF: page 2 cannot be read .*; 1 of \d+ pages"
    ):
        extract_disclosure([path])


def test_a_truncated_pdf_is_refused_as_damaged(seed_pdf, tmp_path):
    path = tmp_path / "cut_short.pdf"
    path.write_bytes(truncated(seed_pdf))
    with pytest.raises(NotADisclosure, match=r"cut_short.pdf: damaged PDF: its structure cannot be parsed"):
        extract_disclosure([path])
