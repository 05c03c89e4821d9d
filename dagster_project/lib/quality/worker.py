"""A Great Expectations worker process, started when `budgetwh build` starts.

Importing Great Expectations takes 2-3 s of one core. Started as a process of its own at
the beginning of a build, the import runs on the other core while the build starts Dagster
and extracts; when the suites step comes, the worker is ready. Requests and answers are
one JSON line each on stdin and stdout:
    {"database": "<working copy>", "since": "<ISO time or null>"}
    [{"table": ..., "rows": ..., "success": ..., "failures": [...]}, ...]
"""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import datetime
from pathlib import Path


def main() -> None:
    import great_expectations  # noqa: F401  the point of this process: import before it is needed

    from .quality import validate_database

    print(json.dumps({"ready": True}), flush=True)
    for request_line in sys.stdin:
        request = json.loads(request_line)
        since = datetime.fromisoformat(request["since"]) if request.get("since") else None
        outcomes = validate_database(Path(request["database"]), since)
        print(json.dumps([dataclasses.asdict(outcome) for outcome in outcomes], default=str), flush=True)


if __name__ == "__main__":
    main()
