"""A Great Expectations worker process, started when `budgetwh build` starts.

Importing Great Expectations takes 2-3 s of one core. Started as a process of its own at
the beginning of a build, the import runs on the other core while the build starts Dagster
and extracts; when the suites' steps come, the worker is ready, and a rebuild of one changed
disclosure never waits for the import. Requests and answers are one JSON line each on
stdin and stdout:
    {"suites": "raw", "database": "<working copy>", "since": "<ISO time or null>",
     "slice_rows": <rows per slice, or null for the default>}
        → [{"table": ..., "rows": ..., "success": ..., "failures": [...]}, ...]
    {"suites": "reconciliation", "database": "<working copy>", "data_docs": "<directory>",
     "previous": "<the last build's site, or null>"}
        → {"verdicts": [{"rule_id": ..., "success": ..., ...}, ...], "data_docs": ...}
Each request is answered by a child forked from the worker (lib/quality/forked.py), so that
the memory a validation takes is given back before the next step (the raw suites of 10,000
disclosures left 600 MB in the worker, held through dbt's step), and each slice of a table
(or all of a run's few rows) by a child of that child, and each slice of the findings by two,
each judging a group of its suites; an error comes back as
{"child_error": "<traceback>"}, which the build raises, and the worker answers the next.

A run started elsewhere (the Dagster UI) has no worker and validates in its own process.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from pathlib import Path

from .forked import answered_in_a_child, raise_child_error
from .raw_suites import SLICE_ROWS, SuiteOutcome, validate_raw_tables_in_children
from .reconciliation_suites import ReconciliationOutcome, validate_findings


def main() -> None:
    import great_expectations  # noqa: F401  the point of this process: imported once, inherited by each child

    print(json.dumps({"ready": True}), flush=True)
    for request_line in sys.stdin:
        request = json.loads(request_line)
        print(answered_in_a_child(functools.partial(_answer, request)), flush=True)


def _answer(request: dict) -> list | dict:
    if request["suites"] == "raw":
        since = datetime.fromisoformat(request["since"]) if request.get("since") else None
        # Each slice in a child of this child: the memory of one slice at a time (forked.py).
        slice_rows = request.get("slice_rows") or SLICE_ROWS
        outcomes = validate_raw_tables_in_children(Path(request["database"]), since, slice_rows=slice_rows)
        return [dataclasses.asdict(outcome) for outcome in outcomes]
    previous = Path(request["previous"]) if request.get("previous") else None
    outcome = validate_findings(
        Path(request["database"]), Path(request["data_docs"]), previous=previous, slices_in_children=True
    )
    return dataclasses.asdict(outcome)


class PrewarmedValidator:
    """The client side: the build's process sends requests to the worker and reads answers."""

    def __init__(self) -> None:
        self._process = self._start()

    @staticmethod
    def _start() -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "dagster_project.lib.quality.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    @contextmanager
    def set_aside(self) -> Iterator[None]:
        """The worker ended for the duration and started anew after it: a step that needs the
        machine's memory (dbt modelling a county in full) does not share it with the worker's
        imports (about 240 MiB); the new worker imports GX again (2-3 s of the other core)
        while the build goes on to its next step."""
        self.close()
        try:
            yield
        finally:
            self._process = self._start()

    def start_if_ended(self) -> None:
        """A new worker in place of one that ended (killed, out of memory) since it started."""
        if self._process.poll() is not None:
            self._process = self._start()

    def _ask(self, request: dict) -> list | dict:
        assert self._process.stdin and self._process.stdout
        if self._process.poll() is not None:
            raise RuntimeError("the Great Expectations worker process has ended")
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        for line in self._process.stdout:
            answer = json.loads(line)
            raise_child_error(answer, "the Great Expectations worker's validation")
            if answer != {"ready": True}:
                return answer
        raise RuntimeError("the Great Expectations worker process ended without an answer")

    def validate_raw(self, database: Path, since: datetime | None, slice_rows: int | None = None) -> list[SuiteOutcome]:
        """The raw suites' outcomes; `slice_rows`: rows per slice, if not the default."""
        request = {"suites": "raw", "database": str(database), "since": since.isoformat() if since else None}
        answer = self._ask(request | {"slice_rows": slice_rows})
        return [SuiteOutcome(**outcome) for outcome in answer]

    def validate_findings(self, database: Path, data_docs: Path, previous: Path | None) -> ReconciliationOutcome:
        answer = self._ask(
            {
                "suites": "reconciliation",
                "database": str(database),
                "data_docs": str(data_docs),
                "previous": str(previous) if previous else None,
            }
        )
        assert isinstance(answer, dict)
        return ReconciliationOutcome.from_dict(answer)

    def close(self) -> None:
        # The worker holds nothing to save (its connections are read-only and closed after
        # each request): ending it at once spares the build half a second of interpreter
        # teardown of Great Expectations.
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
        for stream in (self._process.stdin, self._process.stdout):
            if stream:
                stream.close()


_prewarmed: PrewarmedValidator | None = None


def use_prewarmed(validator: PrewarmedValidator | None) -> None:
    global _prewarmed
    _prewarmed = validator


def prewarmed() -> PrewarmedValidator | None:
    return _prewarmed


def prewarmed_set_aside(when: bool) -> AbstractContextManager[None]:
    """A context in which the prewarmed worker, if there is one and `when`, is set aside."""
    return _prewarmed.set_aside() if when and _prewarmed is not None else nullcontext()


if __name__ == "__main__":
    main()
