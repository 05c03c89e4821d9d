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
decimals) and GX's stored validation results, which the Data Docs are built from. The pages
GX rendered for a slice taken over are copied from the previous site with it (build_site):
only the changed slice's pages, the suites' and the index are rendered again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import urllib.parse
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


def build_site(context, site_name: str, site: Path, previous_site: Path | None, taken: list[list[str]]) -> None:
    """Build the Data Docs site: the pages of the results `taken` over (store keys) copied from
    the previous site, where it holds them, and only the others rendered. Rendering every
    slice's page again was most of a one-change rebuild's judgement (1.6 of 2.1 s at 4,000
    disclosures); a taken-over result's page is the one its judgement rendered then."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    if previous_site is None or not taken:
        context.build_data_docs(site_names=[site_name])
        return
    copied = set()
    # GX names a page by a file URL: the site's folder as it is, then the page's path quoted.
    in_site = f"file://{site}/"
    for key in taken:
        identifier = ValidationResultIdentifier.from_tuple(tuple(key))
        (url,) = context.get_docs_sites_urls(resource_identifier=identifier, site_name=site_name, only_if_exists=False)
        if not url["site_url"].startswith(in_site):  # not where it is expected: rendered again
            continue
        page = Path(urllib.parse.unquote(url["site_url"].removeprefix(in_site)))
        if (previous_site / page).is_file():
            (site / page).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(previous_site / page, site / page)
            copied.add(identifier)
    store = context.validation_results_store
    rendered = [key for key in store.list_keys() if key not in copied]
    # Never an empty list, which GX takes for "every page": the suites' pages are always rendered.
    suites = [ExpectationSuiteIdentifier(suite.name) for suite in context.suites.all()]
    context.build_data_docs(site_names=[site_name], resource_identifiers=[*suites, *rendered])
