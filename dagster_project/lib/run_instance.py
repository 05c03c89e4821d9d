"""The Dagster instance a build runs on when it is not recorded for the UI: in memory, with
the per-disclosure bookkeeping written in batches.

A run over N disclosure partitions ends its ingest step with N materialisation events, one
per partition. Dagster's in-memory event log stores each on a fresh SQLite connection in its
own transaction, then updates the asset's index rows, again one connection each: about
3-4 ms an event on this machine, a fifth of the ingest step. Dagster has its own switch for
this (DAGSTER_EVENT_BATCH_SIZE): the events of one output's partitions are handed to the
event log's `store_event_batch` together. The in-memory storage does not implement it (it
stores them one by one), so `BatchWritingEventLogStorage` does: one transaction, one
multi-row insert, and the asset index rows updated once per asset key with what the last
event of each kind would have left there. The rows stored are the ones `store_event` would
store (tests/pipeline/test_run_instance.py compares both event logs after the same run).

A recorded build (`record=True`) uses the project's persistent instance, unchanged.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as db
from dagster import DagsterInstance
from dagster._core.events import ASSET_CHECK_EVENTS, ASSET_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.instance import InstanceType
from dagster._core.launcher.sync_in_memory_run_launcher import SyncInMemoryRunLauncher
from dagster._core.run_coordinator import DefaultRunCoordinator
from dagster._core.storage.event_log import InMemoryEventLogStorage
from dagster._core.storage.event_log.base import EventLogCursor
from dagster._core.storage.event_log.schema import AssetKeyTable, SqlEventLogStorageTable
from dagster._core.storage.noop_compute_log_manager import NoOpComputeLogManager
from dagster._core.storage.root import TemporaryLocalArtifactStorage
from dagster._core.storage.runs import InMemoryRunStorage

# Dagster's switches (dagster/_core/instance/utils.py, dagster/_core/storage/event_log/base.py):
# events of one partitioned output stored as batches of up to this many, and a single-run
# backfill's planned partitions announced as one range instead of one event per partition.
_EVENT_BATCH_SIZE = "DAGSTER_EVENT_BATCH_SIZE"
_PLANNED_AS_RANGE = "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"
# Large enough that a county's materialisations are a handful of transactions; the events
# are held in memory by the run's result anyway.
BATCH_SIZE = 2000


class BatchWritingEventLogStorage(InMemoryEventLogStorage):
    """Dagster's in-memory event log, storing a batch of events in one transaction."""

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        if len(events) < 2:
            for event in events:
                self.store_event(event)
            return
        with self.index_transaction() as conn:
            inserted = conn.execute(
                SqlEventLogStorageTable.insert().returning(SqlEventLogStorageTable.c.id, sort_by_parameter_order=True),
                [self._event_to_row(event) for event in events],
            )
            event_ids = [row[0] for row in inserted]
            asset_events = [
                (event, event_id)
                for event, event_id in zip(events, event_ids, strict=True)
                if event.is_dagster_event and event.dagster_event_type in ASSET_EVENTS and event.dagster_event.asset_key
            ]
            self._store_asset_event_tags(conn, [e for e, _ in asset_events], [i for _, i in asset_events])
            self._index_assets(conn, asset_events)
        # Asset check events open their own transaction; a batch holds few if any.
        for event, event_id in zip(events, event_ids, strict=True):
            if event.is_dagster_event and event.dagster_event_type in ASSET_CHECK_EVENTS:
                self.store_asset_check_event(event, event_id)
            self._notify_watchers(event)

    def _index_assets(self, conn, asset_events: list[tuple[EventLogEntry, int]]) -> None:
        """The asset key rows as storing the events one by one leaves them. Each event sets a
        fixed set of columns for its kind (materialisation, planned, observation), so each
        column ends with the value of the last event that sets it: the last event of each kind
        per asset key, applied in storage order, gives the same row."""
        has_index_cols = self._has_asset_key_index_cols_on_connection(conn)
        last_of_kind: dict[tuple[str, str], tuple[int, EventLogEntry]] = {}
        for event, event_id in asset_events:
            key = event.dagster_event.asset_key.to_string()
            last_of_kind[(key, event.dagster_event_type)] = (event_id, event)
        values_by_key: dict[str, dict] = {}
        for (key, _kind), (event_id, event) in sorted(last_of_kind.items(), key=lambda item: item[1][0]):
            values = self._get_asset_entry_values(event, event_id, has_index_cols)
            if values:
                values_by_key.setdefault(key, {}).update(values)
        for key, values in values_by_key.items():
            where = AssetKeyTable.c.asset_key == key
            if conn.execute(db.select(AssetKeyTable.c.asset_key).where(where)).first():
                conn.execute(AssetKeyTable.update().values(**values).where(where))
            else:
                conn.execute(AssetKeyTable.insert().values(asset_key=key, **values))

    def _notify_watchers(self, event: EventLogEntry) -> None:
        # What InMemoryEventLogStorage.store_event does after storing an event.
        self._storage_id += 1
        for handler in list(self._handlers[event.run_id]):
            try:
                handler(event, str(EventLogCursor.from_storage_id(self._storage_id)))
            except Exception:
                logging.exception("Exception in callback for event watch on run %s.", event.run_id)


def in_memory_instance() -> DagsterInstance:
    """`DagsterInstance.ephemeral()` with the batch-writing event log."""
    return DagsterInstance(
        instance_type=InstanceType.EPHEMERAL,
        local_artifact_storage=TemporaryLocalArtifactStorage(),
        run_storage=InMemoryRunStorage(),
        event_storage=BatchWritingEventLogStorage(),
        compute_log_manager=NoOpComputeLogManager(),
        run_coordinator=DefaultRunCoordinator(),
        run_launcher=SyncInMemoryRunLauncher(),
    )


@contextmanager
def in_memory_event_switches(enabled: bool) -> Iterator[None]:
    """Dagster's switches for a run on the in-memory instance: materialisations stored in
    batches, and one planned event per asset for the run's range of disclosures, not one per
    disclosure (1.5 s before the first step at 1,000 disclosures, growing with the county).
    Dagster's stated cost of the range is that a failed run does not mark each of its
    partitions failed; an in-memory instance is gone when the build ends, so both switches
    are used there only."""
    switches = {_EVENT_BATCH_SIZE: str(BATCH_SIZE), _PLANNED_AS_RANGE: "true"} if enabled else {}
    previous = {name: os.environ.get(name) for name in switches}
    os.environ.update(switches)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
