"""`budgetwh watch`: publish each change under raw/ as it lands, from a process that stays warm.

A `budgetwh build` of one corrected disclosure spends about as long starting as building: the
Python start-up of Dagster, dagster-dbt and the definitions (about 4.5 s), Great Expectations'
and dbt's imports in their helper processes. The watcher pays them once: it loads the
definitions, keeps the GX worker and a warm dbt waiting (build.Prewarmed), and builds in the
same process, through the same Dagster run as `budgetwh build`, whenever raw/ changes in a way
that changes the warehouse (lib/changes.py, out_of_date): a file added, corrected, removed
or put back. An editor's scratch file, or a file saved unchanged, builds nothing.

Each build takes the warehouse's build lock for its own duration, so a `budgetwh build` run
by hand between two changes is not refused; a change that arrives while another process
builds is tried again every few seconds until that build has ended. Readers keep reading the
published file while the watcher builds (lib/warehouse/publish.py).

The project's code is read once, at the start: restart the watcher after changing the dbt
project or the extractor.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from .build import DUCKDB, Prewarmed, build_holding_lock, load_definitions, prepare_environment
from .lib.build_summary import BuildSummary
from .lib.changes import out_of_date
from .lib.warehouse.publish import BuildInProgress, WarehouseFiles, exclusive_build

# How long raw/ must be quiet before a build starts: a department's files copied in together,
# or an editor's save in several writes, make one build, not one each.
QUIET_MILLISECONDS = 200
# How often a build refused because another process held the warehouse is tried again.
RETRY_MILLISECONDS = 5000


def watch(
    raw_dir: Path,
    warehouse: Path,
    report: Callable[[str], None],
    target: str = DUCKDB,
    stop: threading.Event | None = None,
    on_build: Callable[[list[str], BuildSummary], None] | None = None,
) -> None:
    """Build now if raw/ is ahead of the published warehouse, then after every change that
    puts it ahead, until `stop` is set (or the process is interrupted). `report` receives a
    line per event worth an officer's eye; `on_build` the disclosures and summary of each build."""
    import watchfiles

    prepare_environment(warehouse)
    prewarmed = Prewarmed()
    try:
        # Loaded now, not at the first change: the first build after a quiet start is as
        # quick as the others.
        load_definitions().resolve_implicit_global_asset_job_def()

        refused = False

        def build_if_out_of_date(seen: float) -> None:
            nonlocal refused
            refused = False
            try:
                changed = out_of_date(raw_dir, warehouse)
                if not changed:
                    return
                shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
                report(f"building: {shown}")
                with exclusive_build(WarehouseFiles(warehouse)):
                    summary = build_holding_lock(raw_dir, warehouse, target=target, prewarmed=prewarmed)
            except BuildInProgress as busy:
                report(f"not built now: {busy}; tried again in {RETRY_MILLISECONDS // 1000} s")
                refused = True
                return
            except Exception as error:
                # Whatever stopped this build (the warehouse file unreadable, the disk full), the
                # published file is as it was, and the next change is tried again.
                report(f"not built: {type(error).__name__}: {error}; readers keep the last good warehouse")
                return
            seconds = time.perf_counter() - seen
            report(_outcome(summary, seconds))
            if on_build is not None:
                on_build(changed, summary)

        build_if_out_of_date(time.perf_counter())
        report(f"watching {raw_dir} (Ctrl-C stops)")
        for changes in watchfiles.watch(
            raw_dir,
            debounce=QUIET_MILLISECONDS,
            step=50,
            stop_event=stop,
            raise_interrupt=False,
            rust_timeout=RETRY_MILLISECONDS,
            yield_on_timeout=True,
        ):
            # Nothing changed for a while (an empty set): only a refused build is tried again.
            if changes or refused:
                build_if_out_of_date(time.perf_counter())
    finally:
        prewarmed.close()


def _outcome(summary: BuildSummary, seconds: float) -> str:
    if summary.published is not None:
        return f"published {summary.published} in {seconds:.1f} s"
    failed = "; ".join(summary.failed_steps) or "nothing was published"
    return f"not published ({failed}); readers keep the last good warehouse"
