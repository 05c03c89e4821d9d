"""Slices of the findings Great Expectations already judged, taken over when unchanged.

The reconciliation suites judge the findings a slice of disclosures at a time, and each
expectation judges row by row (`tolerance ≥ deviation` on its rule's evaluated rows): a slice
whose rows are the ones judged in the previous build gets the same verdicts. A one-change
rebuild therefore judges only the slice holding the changed disclosure, and takes the others'
judgements, and their validation results for the Data Docs, from the site published with the
previous build: at 4,000 disclosures and more, most of the suites' time.

A disclosure's slice is stable: hash(disclosure_id) mod the number of slices, so a changed
disclosure never moves another one. A slice's key hashes its rows (every column the suites
read or report), the suites' files, the versions of Great Expectations and DuckDB (whose hash
it uses) and the slicing: any difference is a new judgement. Each judgement is kept in the
site's `judged/` folder as one JSON file: its verdicts per rule (failing rows with their exact
decimals) and GX's stored validation results, which the Data Docs are built from.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

JUDGED_DIR = "judged"
# The judgement file's own format: a change to it, or to how verdicts are made from GX's
# results, must not take over judgements written before.
FORMAT = 1


@dataclass
class SliceJudgement:
    """GX's judgement of one slice: a verdict per rule (RuleVerdict fields, as dicts), and the
    validation results as GX's store holds them (key tuple → serialised result)."""

    key: str
    verdicts: list[dict]
    results: list[tuple[list[str], str]]


def suites_fingerprint(suite_files: list[Path]) -> str:
    """The suites and the versions that judge with them."""
    digest = hashlib.sha256(f"{FORMAT} gx {version('great-expectations')} duckdb {version('duckdb')}".encode())
    for path in suite_files:
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def slice_key(suites: str, slice_number: int, slices: int, rows: int, rows_hash: str) -> str:
    return hashlib.sha256(f"{suites} {slice_number}/{slices} {rows} {rows_hash}".encode()).hexdigest()[:32]


def taken_over(previous_site: Path | None, key: str) -> SliceJudgement | None:
    """The judgement of the slice with this key in the previous build's site, if it holds one."""
    if previous_site is None:
        return None
    path = previous_site / JUDGED_DIR / f"{key}.json"
    if not path.is_file():
        return None
    document = json.loads(path.read_text(encoding="utf-8"))
    return SliceJudgement(key, document["verdicts"], [(list(k), v) for k, v in document["results"]])


def keep(site: Path, judgement: SliceJudgement) -> None:
    """Write a slice's judgement into the site being built, for the next build to take over."""
    folder = site / JUDGED_DIR
    folder.mkdir(parents=True, exist_ok=True)
    document = {"verdicts": judgement.verdicts, "results": judgement.results}
    (folder / f"{judgement.key}.json").write_text(json.dumps(document, ensure_ascii=False, default=str))
