"""One-change rebuilds published by `budgetwh watch` (dagster_project/watch.py), in this process.

Starts the watcher on a built county, waits until its helpers are warm, then changes one
disclosure `count` times, each after the last was published, and prints one JSON line: for
each change, the seconds from the file's write to the build's end, and the build's steps.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import sys
import threading
import time
from pathlib import Path

from benchmarks.run import change_one
from dagster_project.watch import watch

# The GX worker's and the warm dbt's imports, on a core of their own, after the watcher starts.
WARM_SECONDS = 10


def main() -> None:
    raw, warehouse, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    stop, built = threading.Event(), queue.Queue()
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        watcher = threading.Thread(
            target=watch,
            args=(raw, warehouse, lambda line: None),
            kwargs={"stop": stop, "on_build": lambda changed, summary: built.put(summary)},
        )
        watcher.start()
        time.sleep(WARM_SECONDS)
        while not built.empty():  # the catch-up build of a county changed before the start
            built.get()
        changes = []
        for _ in range(count):
            written = time.perf_counter()
            change_one(raw)
            summary = built.get(timeout=600)
            changes.append(
                {
                    "seconds": round(time.perf_counter() - written, 2),
                    "success": summary.success,
                    "published": summary.published is not None,
                    "steps": summary.step_seconds,
                }
            )
            time.sleep(WARM_SECONDS // 2)  # a new warm dbt imports dbt meanwhile
        stop.set()
        watcher.join()
    print(json.dumps(changes))


if __name__ == "__main__":
    main()
