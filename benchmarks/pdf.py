"""Benchmarks: disclosures published as PDF (issue 12, item 4).

    .venv/bin/python -m benchmarks.pdf [--county N] [--workdir DIR]
    make bench-pdf

Two measurements, each on one core, against floors of the approach:
- the real PDFs of ../shared/ (real-pdf/ and real-pdf-provinces/, skipped when absent):
  extraction per file and per page, against pdfplumber's own opening of the same pages and
  reading of their characters through pdfminer (what a reader on pdfminer pays at least), and
  against pypdfium2 reading the same text layer; and how many pages the reader had PDFium
  read (readers/pdf_objects.py), with the reasons the others were left to pdfminer;
- a county whose disclosures are PDFs (the generator's text disclosures rendered by
  synthetic/formats.py): extraction throughput per core, then `budgetwh build` of it end to
  end with every core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from dagster_project.lib.extract import NotADisclosure, extract_disclosure
from dagster_project.lib.extract.readers.pdf_objects import ENGINE_ENV, open_pdfium, page_objects
from synthetic.formats import render_pdf
from synthetic.generate import generate_county

from .run import _timed_build

SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL_FOLDERS = ("real-pdf", "real-pdf-provinces")


def _pdfplumber_floor(path: Path) -> tuple[float, int]:
    """Seconds to open the PDF with pdfplumber and read every page's characters; pages."""
    import pdfplumber

    started = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        for page in pdf.pages:
            page.chars  # noqa: B018 (reading them is the point)
    return time.perf_counter() - started, pages


def _pdfium_read(path: Path) -> float:
    """Seconds for pypdfium2 to read every page's text layer (characters and their boxes)."""
    import pypdfium2 as pdfium

    started = time.perf_counter()
    document = pdfium.PdfDocument(path)
    try:
        for page in document:
            text = page.get_textpage()
            for index in range(text.count_chars()):
                text.get_charbox(index)
            text.get_text_range()
            text.close()
            page.close()
    finally:
        document.close()
    return time.perf_counter() - started


def _engines(path: Path) -> Counter:
    """Why each page is read by the engine that reads it: "" for PDFium, else the reason it is
    left to pdfminer (readers/pdf_objects.py)."""
    import pdfplumber

    document = open_pdfium(path)
    try:
        with pdfplumber.open(path) as pdf:
            if document is None:
                off = os.environ.get(ENGINE_ENV, "").lower() == "pdfminer"
                reason = f"{ENGINE_ENV}=pdfminer" if off else "PDFium cannot open the file"
                return Counter({reason: len(pdf.pages)})
            return Counter(page_objects(document, page)[1] for page in pdf.pages)
    finally:
        if document is not None:
            document.close()


def _extract_seconds(path: Path, name: str) -> float:
    started = time.perf_counter()
    try:
        extract_disclosure([path], [name])
    except NotADisclosure:
        pass  # a 决算 is refused after it is read: the time counts all the same
    return time.perf_counter() - started


def measure_files(paths: list[Path]) -> list[dict]:
    # One untimed round first: the imports and caches (pdfminer's CMaps, PDFium's fonts) are
    # paid once by a process, not by the first file measured.
    _extract_seconds(paths[0], paths[0].name)
    _pdfplumber_floor(paths[0])
    rows = []
    for path in paths:
        extract = _extract_seconds(path, path.name)
        floor, pages = _pdfplumber_floor(path)
        rows.append(
            {
                "file": path.name,
                "pages": pages,
                "extract": extract,
                "floor": floor,
                "pdfium": _pdfium_read(path),
                "engines": _engines(path),
            }
        )
    return rows


def summary(rows: list[dict], label: str) -> str:
    pages = sum(row["pages"] for row in rows)
    extract = sum(row["extract"] for row in rows)
    floor = sum(row["floor"] for row in rows)
    pdfium = sum(row["pdfium"] for row in rows)
    engines = sum((row["engines"] for row in rows), Counter())
    lines = [
        f"{label}: {len(rows)} files, {pages} pages (one core)",
        f"  extraction per file: median {statistics.median(r['extract'] for r in rows):.2f} s, "
        f"max {max(r['extract'] for r in rows):.2f} s; {len(rows) / extract:.2f} files/s",
        f"  extraction per page: {extract / pages:.3f} s",
        f"  floor, pdfplumber opening the pages and reading their characters: {floor / pages:.3f} s a page "
        f"(extraction is {extract / floor:.2f}x it)",
        f"  pypdfium2 reading the same text layer: {pdfium / pages:.4f} s a page ({floor / pdfium:.0f}x faster "
        "than pdfplumber's reading)",
        f"  pages whose characters and rules PDFium read: {engines.pop('', 0)} of {pages}"
        + "".join(f"; {count} left to pdfminer: {reason}" for reason, count in engines.most_common()),
    ]
    return "\n".join(lines)


def pdf_county(size: int, workdir: Path) -> tuple[Path, list[Path]]:
    """A generated county with every disclosure rendered as PDF (the text files removed)."""
    units = max(1, size // 3)
    departments = min(32, units)
    raw = workdir / f"pdf_county_{size}" / "raw"
    county = generate_county(raw, seed=size, departments=departments, townships=units - departments)
    pdfs = []
    for document in sorted(raw.rglob("*.txt")):
        pdfs.append(render_pdf(document.read_text(encoding="utf-8"), document.with_suffix(".pdf")))
        document.unlink()
    assert len(pdfs) == len(county.documents)
    return raw, pdfs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--county", type=int, default=102, help="disclosures in the PDF county (default 102)")
    parser.add_argument("--workdir", type=Path, help="where to generate and build (default: a temporary folder)")
    args = parser.parse_args()
    real = sorted(path for folder in REAL_FOLDERS for path in (SHARED / folder).glob("*.pdf"))
    if real:
        print(summary(measure_files(real), f"Real PDFs of {SHARED}"), flush=True)
    else:
        print(f"Real PDFs: none found under {SHARED} (the shared/ folder beside the project)")
    with tempfile.TemporaryDirectory(prefix="budgetwh-bench-pdf-") as temporary:
        workdir = args.workdir or Path(temporary)
        raw, pdfs = pdf_county(args.county, workdir)
        rows = measure_files(pdfs)
        print(summary(rows, f"Rendered county ({len(pdfs)} PDF disclosures)"), flush=True)
        built = _timed_build(raw, raw.parent / "budget.duckdb")
        ingest = built["ingest"]
        print(
            f"  budgetwh build of the PDF county ({built['workers']} workers): {built['wall']:.1f} s end to end, "
            f"extraction {ingest.get('extract', 0):.1f} s ({len(pdfs) / max(ingest.get('extract', 0), 0.001):.1f} "
            f"disclosures/s), peak {built['peak_mib']:.0f} MiB "
            f"(all its processes together {built['peak_together_mib']:.0f} MiB), "
            + ("succeeded" if built["success"] else f"FAILED: {built['failed']}")
        )


if __name__ == "__main__":
    main()
