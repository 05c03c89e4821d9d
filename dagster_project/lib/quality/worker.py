"""A Great Expectations worker process, started when `budgetwh build` starts.

Importing Great Expectations takes 2-3 s of one core. Started as a process of its own at
the beginning of a build, the import runs on the other core while the build starts Dagster
and extracts; when the suites' steps come, the worker is ready, and a rebuild of one changed
disclosure never waits for the import. Requests and answers are one JSON line each on
stdin and stdout:
    {"suites": "raw", "database": "<working copy>", "since": "<ISO time or null>"}
        → [{"table": ..., "rows": ..., "success": ..., "failures": [...]}, ...]
    {"suites": "reconciliation", "database": "<working copy>", "data_docs": "<directory>",
     "previous": "<the last build's site, or null>"}
        → {"verdicts": [{"rule_id": ..., "success": ..., ...}, ...], "data_docs": ...}

A run started elsewhere (the Dagster UI) has no worker and validates in its own process.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from .raw_suites import SuiteOutcome
from .reconciliation_suites import ReconciliationOutcome


def main() -> None:
    import great_expectations  # noqa: F401  the point of this process: import before it is needed

    from .raw_suites import validate_database
    from .reconciliation_suites import validate_findings

    print(json.dumps({"ready": True}), flush=True)
    for request_line in sys.stdin:
        request = json.loads(request_line)
        if request["suites"] == "raw":
            since = datetime.fromisoformat(request["since"]) if request.get("since") else None
            answer = [dataclasses.asdict(outcome) for outcome in validate_database(Path(request["database"]), since)]
        else:
            previous = Path(request["previous"]) if request.get("previous") else None
            outcome = validate_findings(Path(request["database"]), Path(request["data_docs"]), previous=previous)
            answer = dataclasses.asdict(outcome)
        print(json.dumps(answer, default=str), flush=True)


class PrewarmedValidator:
    """The client side: the build's process sends requests to the worker and reads answers."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "dagster_project.lib.quality.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _ask(self, request: dict) -> list | dict:
        assert self._process.stdin and self._process.stdout
        if self._process.poll() is not None:
            raise RuntimeError("the Great Expectations worker process has ended")
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        for line in self._process.stdout:
            answer = json.loads(line)
            if answer != {"ready": True}:
                return answer
        raise RuntimeError("the Great Expectations worker process ended without an answer")

    def validate_raw(self, database: Path, since: datetime | None) -> list[SuiteOutcome]:
        answer = self._ask({"suites": "raw", "database": str(database), "since": since.isoformat() if since else None})
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


if __name__ == "__main__":
    main()
