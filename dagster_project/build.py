"""`budgetwh build`: materialise every asset and check for everything under raw/, through
Dagster, as one run over the disclosure partitions that changed (lib/changes.py), then
report on the warehouse (lib/build_summary.py)."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from .lib.build_summary import BuildSummary, RuleCheck, summarise
from .lib.changes import current_versions, loaded_versions_in, pending
from .lib.paths import DAGSTER_HOME
from .lib.raw_files import discover
from .lib.warehouse.publish import WarehouseFiles, discard_working_copies, exclusive_build

PARTITIONS = "disclosures"
DUCKDB, POSTGRES = "duckdb", "postgres"
TARGETS = (DUCKDB, POSTGRES)


def venv_first(path: str) -> str:
    """PATH with the commands installed beside this interpreter (dbt) first, as in an activated
    venv; unchanged when they are first already: `budgetwh watch` prepares every build, and an
    ever longer PATH would in time exceed what the kernel passes to a new process (128 KiB)."""
    beside = str(Path(sys.executable).parent)
    return path if path.split(os.pathsep)[0] == beside else f"{beside}{os.pathsep}{path}"


def prepare_environment(warehouse: Path) -> None:
    os.environ.setdefault("DAGSTER_HOME", str(DAGSTER_HOME))
    os.environ["PATH"] = venv_first(os.environ.get("PATH", ""))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    warehouse.parent.mkdir(parents=True, exist_ok=True)


def _manifest_is_current(project) -> bool:
    """dbt's manifest is newer than every model, macro, seed and config of the project."""
    manifest = project.manifest_path
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    from .lib.dbt_project import project_source_files

    return all(path.stat().st_mtime <= built for path in project_source_files(project.project_dir))


def load_definitions():
    """The project's Dagster definitions, with dbt's manifest parsed again first when the dbt
    project changed (the definitions read it when they load)."""
    from .lib.dbt_project import dbt_project

    if not _manifest_is_current(dbt_project):
        dbt_project.preparer.prepare(dbt_project)
    from .definitions import defs

    return defs


def build(
    raw_dir: Path, warehouse: Path, log_level: str = "WARNING", record: bool = False, target: str = DUCKDB
) -> BuildSummary:
    """Materialise everything in one Dagster run.

    By default the run uses an in-memory Dagster instance: Dagster logs a materialisation per
    disclosure, and the SQLite event log of a persistent instance, where every transaction
    syncs, made that the largest cost of a county build (74 s of 97 s for 247 disclosures).
    `record=True` keeps the run in the project's instance for the UI. Either instance writes
    the per-disclosure events in batches (lib/run_instance.py).
    `target="postgres"` also serves the published warehouse on PostgreSQL
    (lib/warehouse/postgres.py) in the same run.
    """
    with exclusive_build(WarehouseFiles(warehouse)):
        return build_holding_lock(raw_dir, warehouse, log_level, record, target)


class Prewarmed:
    """Great Expectations and dbt imported in processes of their own while this one starts
    Dagster and extracts: their 2-4 s imports run on the other core, and neither the suites'
    steps nor the dbt build wait for them (lib/quality/worker.py, lib/warm_dbt.py).

    A build starts its own and closes them at its end. A process that builds again and again
    (`budgetwh watch`) keeps one across its builds: the GX worker serves every build, and a
    warm dbt, which serves one command, is started anew after each build, to import dbt
    while the process waits for the next change."""

    def __init__(self) -> None:
        from .lib.quality.worker import PrewarmedValidator, use_prewarmed
        from .lib.warm_dbt import WarmDbt

        self._validator = PrewarmedValidator()
        use_prewarmed(self._validator)
        self._dbt = WarmDbt()

    def renew(self) -> None:
        """Ready for the next build: a new warm dbt, and a new GX worker if the last one
        ended (killed, out of memory): a long-running process outlives its helpers."""
        from .lib.warm_dbt import WarmDbt

        self._dbt.close()
        self._dbt = WarmDbt()
        self._validator.start_if_ended()

    def close(self) -> None:
        from .lib.quality.worker import use_prewarmed

        use_prewarmed(None)
        self._dbt.close()
        self._validator.close()


def build_holding_lock(
    raw_dir: Path,
    warehouse: Path,
    log_level: str = "WARNING",
    record: bool = False,
    target: str = DUCKDB,
    prewarmed: Prewarmed | None = None,
) -> BuildSummary:
    """`build` for a caller that already holds the warehouse's build lock (exclusive_build).
    `prewarmed`: the caller's GX worker and warm dbt, kept after the build (see Prewarmed)."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}: one of {', '.join(TARGETS)}")
    prepare_environment(warehouse)
    helpers = prewarmed or Prewarmed()
    try:
        return _build(raw_dir, warehouse, log_level, record, target)
    finally:
        if prewarmed is None:
            helpers.close()
        else:
            prewarmed.renew()


def _build(raw_dir: Path, warehouse: Path, log_level: str, record: bool, target: str) -> BuildSummary:
    files = WarehouseFiles(warehouse)
    discard_working_copies(files)  # of runs that failed or were killed: never published, never reused
    import dagster as dg

    defs = load_definitions()
    from .lib.run_instance import in_memory_instance

    # An in-memory instance is let go of by the thread that made it: its SQLite storage may not
    # be closed from another (`budgetwh watch` builds on a thread of its own in the benchmark).
    if record:
        return _run(dg.DagsterInstance.get(), defs, files, raw_dir, log_level, record, target)
    instance = in_memory_instance()
    try:
        return _run(instance, defs, files, raw_dir, log_level, record, target)
    finally:
        instance.dispose()


def _run(
    instance, defs, files: WarehouseFiles, raw_dir: Path, log_level: str, record: bool, target: str
) -> BuildSummary:
    """The build's one Dagster run on `instance`, and its summary."""
    import dagster as dg

    from .defs.publish.postgres import SERVED_ON_POSTGRES
    from .lib.run_instance import planned_events_as_ranges

    started = datetime.now(UTC).replace(tzinfo=None)
    current = current_versions(discover(raw_dir))
    keys = list(current)
    registered = set(instance.get_dynamic_partitions(PARTITIONS))
    for stale in registered - set(keys):
        instance.delete_dynamic_partition(PARTITIONS, stale)
    if record:
        instance.add_dynamic_partitions(PARTITIONS, [key for key in keys if key not in registered])
        run_keys = [key for key in instance.get_dynamic_partitions(PARTITIONS) if key in set(keys)]
    else:
        # A fresh instance: register the unchanged disclosures first and the new or changed
        # ones last, so that one run over the contiguous range of changed partitions does all
        # the work. The run still covers a partition when every disclosure is unchanged, so
        # that removed files are retired.
        changed = pending(current, loaded_versions_in(files.published))
        instance.add_dynamic_partitions(PARTITIONS, [key for key in keys if key not in changed] + changed)
        run_keys = changed or keys[-1:]

    job = defs.resolve_implicit_global_asset_job_def()
    # Serving on PostgreSQL is part of the run only when asked for.
    selection = dg.AssetSelection.all()
    if target != POSTGRES:
        selection -= dg.AssetSelection.assets(SERVED_ON_POSTGRES)
    # The paths reach the assets as the warehouse resource's configuration for this run.
    run_config = {
        "loggers": {"console": {"config": {"log_level": log_level}}},
        "resources": {"warehouse": {"config": {"database": str(files.published), "raw_dir": str(raw_dir)}}},
    }
    if run_keys:
        # One run over the range of partitions (single-run backfill policy).
        tags = {
            "dagster/asset_partition_range_start": run_keys[0],
            "dagster/asset_partition_range_end": run_keys[-1],
        }
        with planned_events_as_ranges(not record):
            result = job.execute_in_process(
                instance=instance,
                tags=tags,
                asset_selection=list(selection.resolve(defs.resolve_asset_graph())),
                run_config=run_config,
                raise_on_error=False,
            )
    else:
        selection -= dg.AssetSelection.groups("raw")
        result = job.execute_in_process(
            instance=instance,
            asset_selection=list(selection.resolve(defs.resolve_asset_graph())),
            run_config=run_config,
            raise_on_error=False,
        )
    failed = [
        f"{event.step_key}: {event.step_failure_data.error.message.strip() if event.step_failure_data.error else ''}"
        for event in result.all_events
        if event.event_type_value == "STEP_FAILURE"
    ]
    published = any(
        event.event_type_value == "ASSET_MATERIALIZATION" and event.asset_key == dg.AssetKey("published_warehouse")
        for event in result.all_events
    )
    summary = BuildSummary(
        success=result.success,
        failed_steps=failed,
        published=files.published if published else None,
        last_good=files.published if files.published.exists() else None,
    )
    _served(result.all_events, summary)
    _time_steps(instance, result, summary)
    _rule_checks(result.all_events, summary)
    # What this build did: its working copy, or the published file the working copy became.
    built = files.published if published else files.working(result.run_id)
    if built.exists():
        summarise(built, summary, started)
    discard_working_copies(files)
    return summary


def _served(events, summary: BuildSummary) -> None:
    """Where the build was served on PostgreSQL, as the serving asset recorded it."""
    from .defs.publish.postgres import SERVED_ON_POSTGRES

    for event in events:
        if event.event_type_value == "ASSET_MATERIALIZATION" and event.asset_key == SERVED_ON_POSTGRES:
            metadata = event.step_materialization_data.materialization.metadata
            summary.served_on = (
                f"{metadata['server'].value} ({metadata['marts'].value} marts, read as {metadata['reader_role'].value})"
            )


def _rule_checks(events, summary: BuildSummary) -> None:
    """The asset checks of the reconciliation rules as Dagster recorded them (judged by the
    Great Expectations suites): what the UI and the officers see of each rule."""
    for event in events:
        if event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        evaluation = event.event_specific_data
        if not evaluation.check_name.startswith("rule_"):
            continue
        failing = evaluation.metadata.get("failing_findings")
        summary.rule_checks[evaluation.check_name] = RuleCheck(
            passed=evaluation.passed,
            severity=evaluation.severity.value,
            failing_findings=list(failing.value) if failing is not None else [],
        )


def _time_steps(instance, result, summary: BuildSummary) -> None:
    """Wall time of each step, and the extract/load split the ingest step reports. Only the
    step events are read back from the event log: reading all of them (one per disclosure)
    cost 0.3 s at 1,000 disclosures."""
    from dagster import DagsterEventType

    step_events = {DagsterEventType.STEP_START, DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE}
    starts: dict[str, float] = {}
    for record in instance.get_records_for_run(result.run_id, of_type=step_events).records:
        entry = record.event_log_entry
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            starts[event.step_key] = entry.timestamp
        elif event.step_key in starts:
            summary.step_seconds[event.step_key] = round(entry.timestamp - starts[event.step_key], 2)
    for event in result.all_events:
        if event.event_type_value == "ASSET_OBSERVATION" and event.step_key == "extracted_disclosures":
            metadata = event.event_specific_data.asset_observation.metadata
            for key in ("extract_seconds", "load_seconds", "prepare_seconds", "start_seconds"):
                if key in metadata:
                    summary.ingest_seconds[key.removesuffix("_seconds")] = metadata[key].value
