"""One build in its own process, so the caller can measure its wall time and peak memory.

Prints one JSON line: success, disclosures, extracted, step seconds, extract/load seconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

from dagster_project.build import build


def main() -> None:
    raw, warehouse = Path(sys.argv[1]), Path(sys.argv[2])
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        summary = build(raw, warehouse)
    print(
        json.dumps(
            {
                "success": summary.success,
                "disclosures": summary.disclosures,
                "extracted": summary.extracted,
                "steps": summary.step_seconds,
                "ingest": summary.ingest_seconds,
                "failed": summary.failed_steps,
            }
        )
    )


if __name__ == "__main__":
    main()
