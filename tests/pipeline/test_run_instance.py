"""The project's Dagster event logs store a run's per-partition events in batches
(lib/run_instance.py), in memory (a build) and in SQLite (the UI, `--record`): what each
stores must be what Dagster's own storage of that kind stores for the same runs, event by
event, and the asset index Dagster's UI and sensors read."""

import os

import dagster as dg
import pytest
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from dagster_project.lib.run_instance import (
    BatchWritingEventLogStorage,
    BatchWritingSqliteEventLogStorage,
    in_memory_instance,
    planned_events_as_ranges,
    write_events_in_batches,
)

PARTITIONS = dg.DynamicPartitionsDefinition(name="disclosures")
KEYS = [f"county/unit-{number:03d}.txt" for number in range(60)]


@dg.asset(partitions_def=PARTITIONS, backfill_policy=dg.BackfillPolicy.single_run())
def extracted(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    return dg.MaterializeResult(data_version=dg.DataVersion(str(len(context.partition_keys))))


@dg.asset(deps=[extracted], check_specs=[dg.AssetCheckSpec("ties_out", asset="published")])
def published() -> dg.MaterializeResult:
    return dg.MaterializeResult(check_results=[dg.AssetCheckResult(check_name="ties_out", passed=True)])


def _run_twice(instance: dg.DagsterInstance, in_memory: bool) -> list[str]:
    """A county's first build over every partition, then a rebuild over the last ten, as
    `budgetwh build` runs them (planned events as ranges in memory only)."""
    instance.add_dynamic_partitions(PARTITIONS.name, KEYS)
    job = dg.Definitions(assets=[extracted, published]).resolve_implicit_global_asset_job_def()
    run_ids = []
    for first, last in ((KEYS[0], KEYS[-1]), (KEYS[-10], KEYS[-1])):
        tags = {"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last}
        with planned_events_as_ranges(in_memory):
            result = job.execute_in_process(instance=instance, tags=tags)
        assert result.success
        run_ids.append(result.run_id)
    return run_ids


def _stored(instance: dg.DagsterInstance, run_ids: list[str]) -> dict:
    """What the event log holds, with the run ids numbered (each instance has its own)."""
    run_number = {run_id: number for number, run_id in enumerate(run_ids)}
    events = [
        (
            record.storage_id,
            run_number[record.run_id],
            record.event_log_entry.dagster_event_type,
            record.asset_key,
            record.partition_key,
        )
        for run_id in run_ids
        for record in instance.get_records_for_run(run_id).records
    ]
    keys = [dg.AssetKey("extracted"), dg.AssetKey("published")]
    index = {
        asset.asset_entry.asset_key: (
            asset.asset_entry.last_materialization_record.storage_id,
            asset.asset_entry.last_materialization_record.partition_key,
            run_number[asset.asset_entry.last_run_id],
        )
        for asset in instance.get_asset_records(keys)
    }
    storage = instance.event_log_storage
    return {
        "events": events,
        "index": index,
        "materialized": instance.get_materialized_partitions(dg.AssetKey("extracted")),
        "tags": [sorted(tags.items()) for tags in storage.get_event_tags_for_asset(dg.AssetKey("extracted"))],
        "check": instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("published"), "ties_out")]
        ),
    }


BATCHES: list[int] = []  # the size of each batch a storage below is handed


class _Counting:
    def store_event_batch(self, events):
        BATCHES.append(len(events))
        super().store_event_batch(events)


class CountingStorage(_Counting, BatchWritingEventLogStorage):
    pass


class CountingSqliteStorage(_Counting, BatchWritingSqliteEventLogStorage):
    pass


def _instances(in_memory: bool, tmp_path, monkeypatch) -> tuple[dg.DagsterInstance, dg.DagsterInstance]:
    """Dagster's own instance of the kind, and the project's."""
    if in_memory:
        monkeypatch.setattr("dagster_project.lib.run_instance.BatchWritingEventLogStorage", CountingStorage)
        return dg.DagsterInstance.ephemeral(), in_memory_instance()
    # The project's instance as .dagster_home/dagster.yaml configures it, on a folder of its own.
    storage = {"module": __name__, "class": CountingSqliteStorage.__name__}
    for folder in ("stock", "ours"):
        (tmp_path / folder).mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "ours"))
    return (
        dg.DagsterInstance.local_temp(str(tmp_path / "stock")),
        dg.DagsterInstance.local_temp(str(tmp_path / "ours"), overrides={"event_log_storage": storage}),
    )


@pytest.mark.parametrize("in_memory", [True, False], ids=["in memory", "sqlite"])
def test_batches_store_what_dagster_stores_event_by_event(in_memory, tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_EVENT_BATCH_SIZE", raising=False)
    write_events_in_batches()
    stock, ours = _instances(in_memory, tmp_path, monkeypatch)
    assert type(ours.event_log_storage).__name__.startswith("Counting")
    BATCHES.clear()
    expected = _stored(stock, _run_twice(stock, in_memory))
    stock_batches = list(BATCHES)
    stored = _stored(ours, _run_twice(ours, in_memory))

    # Each run's planned events came as one batch (in memory one per asset and check, on disk
    # one per partition and the check), and its per-partition materialisations as another:
    # all 60, then the last 10.
    planned = (3, 3) if in_memory else (62, 12)
    assert stock_batches == [] and BATCHES == [planned[0], 60, planned[1], 10]
    assert stored["events"] == expected["events"]
    assert stored["materialized"] == set(KEYS)
    assert stored["index"] == expected["index"]
    # The asset's last materialisation is the second run's last stored one (an on-disk
    # log numbers each run's events on its own, and the index's copies apart).
    materialized = dg.DagsterEventType.ASSET_MATERIALIZATION
    last = max(e for e in stored["events"] if e[1] == 1 and e[2] == materialized and e[3] == dg.AssetKey("extracted"))
    storage_id, partition, run = stored["index"][dg.AssetKey("extracted")]
    assert (partition, run) == (last[4], 1) and (storage_id == last[0] or not in_memory)
    assert stored["tags"] == expected["tags"]
    # One data version per partition materialised: 60 from the first run, 10 from the second.
    versions = [dict(tags)["dagster/data_version"] for tags in stored["tags"]]
    assert sorted(versions) == ["10"] * 10 + ["60"] * 60
    ((_, execution),) = stored["check"].items()
    ((_, expected_execution),) = expected["check"].items()
    assert execution.status == expected_execution.status == AssetCheckExecutionRecordStatus.SUCCEEDED


def test_planned_ranges_are_switched_back_and_batch_writing_yields_to_the_environment(monkeypatch):
    monkeypatch.delenv("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", raising=False)
    with planned_events_as_ranges(True):
        assert os.environ["DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"] == "true"
    assert "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS" not in os.environ
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", "0")  # an operator turning batches off
    write_events_in_batches()
    assert os.environ["DAGSTER_EVENT_BATCH_SIZE"] == "0"
