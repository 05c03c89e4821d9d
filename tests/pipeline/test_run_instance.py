"""The build's in-memory Dagster instance stores a run's per-partition events in batches
(lib/run_instance.py): what it stores must be what Dagster's own in-memory event log stores
for the same runs, event by event, and the asset index Dagster's UI and sensors read."""

import os

import dagster as dg
import pytest
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from dagster_project.lib.run_instance import BatchWritingEventLogStorage, in_memory_event_switches, in_memory_instance

PARTITIONS = dg.DynamicPartitionsDefinition(name="disclosures")
KEYS = [f"county/unit-{number:03d}.txt" for number in range(60)]


@dg.asset(partitions_def=PARTITIONS, backfill_policy=dg.BackfillPolicy.single_run())
def extracted(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    return dg.MaterializeResult(data_version=dg.DataVersion(str(len(context.partition_keys))))


@dg.asset(deps=[extracted], check_specs=[dg.AssetCheckSpec("ties_out", asset="published")])
def published() -> dg.MaterializeResult:
    return dg.MaterializeResult(check_results=[dg.AssetCheckResult(check_name="ties_out", passed=True)])


def _run_twice(instance: dg.DagsterInstance) -> list[str]:
    """A county's first build over every partition, then a rebuild over the last ten."""
    instance.add_dynamic_partitions(PARTITIONS.name, KEYS)
    job = dg.Definitions(assets=[extracted, published]).resolve_implicit_global_asset_job_def()
    run_ids = []
    for first, last in ((KEYS[0], KEYS[-1]), (KEYS[-10], KEYS[-1])):
        tags = {"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last}
        with in_memory_event_switches(True):
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


class _CountingStorage(BatchWritingEventLogStorage):
    """The batch-writing storage, noting the size of each batch it is handed."""

    batches: list[int]

    def store_event_batch(self, events):
        self.batches.append(len(events))
        super().store_event_batch(events)


@pytest.fixture
def batching_instance(monkeypatch) -> dg.DagsterInstance:
    _CountingStorage.batches = []
    monkeypatch.setattr("dagster_project.lib.run_instance.BatchWritingEventLogStorage", _CountingStorage)
    return in_memory_instance()


def test_batches_store_what_dagster_stores_event_by_event(batching_instance):
    stock = dg.DagsterInstance.ephemeral()
    expected = _stored(stock, _run_twice(stock))
    stored = _stored(batching_instance, _run_twice(batching_instance))

    # Each run's planned events (two assets and a check) came as one batch, and its
    # per-partition materialisations as another: all 60, then the last 10.
    assert _CountingStorage.batches == [3, 60, 3, 10]
    assert stored["events"] == expected["events"]
    assert stored["materialized"] == set(KEYS)
    assert stored["index"] == expected["index"]
    # The asset's last materialisation is the run's last stored one, from the second run.
    materialized = dg.DagsterEventType.ASSET_MATERIALIZATION
    last_materialization = max(
        event for event in stored["events"] if event[2] == materialized and event[3] == dg.AssetKey("extracted")
    )
    assert stored["index"][dg.AssetKey("extracted")] == (last_materialization[0], last_materialization[4], 1)
    assert stored["tags"] == expected["tags"]
    # One data version per partition materialised: 60 from the first run, 10 from the second.
    versions = [dict(tags)["dagster/data_version"] for tags in stored["tags"]]
    assert sorted(versions) == ["10"] * 10 + ["60"] * 60
    ((_, execution),) = stored["check"].items()
    ((_, expected_execution),) = expected["check"].items()
    assert execution.status == expected_execution.status == AssetCheckExecutionRecordStatus.SUCCEEDED


def test_switches_are_restored(monkeypatch):
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", "7")
    monkeypatch.delenv("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", raising=False)
    with in_memory_event_switches(True):
        assert os.environ["DAGSTER_EVENT_BATCH_SIZE"] != "7"
        assert os.environ["DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"] == "true"
    assert os.environ["DAGSTER_EVENT_BATCH_SIZE"] == "7"
    assert "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS" not in os.environ
