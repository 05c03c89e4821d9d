"""Dagster's per-disclosure bookkeeping written in batches, on the build's in-memory instance
and on the project's persistent one (.dagster_home, which the UI and `--record` use).

A run over N disclosure partitions ends its ingest step with N materialisation events, one
per partition. Dagster's event logs store each on a fresh SQLite connection in its own
transaction, then update the asset's index rows, again one connection each: about 3-4 ms an
event in memory, a fifth of the ingest step, and about 50 ms an event on disk, where every
transaction is a sync (12 s of a 246-disclosure build). Dagster has its own switch for this
(DAGSTER_EVENT_BATCH_SIZE): the events of one output's partitions are handed to the event
log's `store_event_batch` together. Dagster's SQLite and in-memory storages do not implement
it (they store the events one by one), so the storages here do: one transaction, one
multi-row insert, and the asset index rows updated once per asset key with what the last
event of each kind would have left there. The rows stored are the ones `store_event` stores
(tests/pipeline/test_run_instance.py compares the event logs of the same runs).

.dagster_home/dagster.yaml names the persistent storage; its events stay where Dagster's
default SQLite storage keeps them ($DAGSTER_HOME/history/runs), so earlier runs still show.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as db
from dagster import DagsterInstance, Field, StringSource
from dagster._core.events import ASSET_CHECK_EVENTS, ASSET_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.instance import InstanceType
from dagster._core.launcher.sync_in_memory_run_launcher import SyncInMemoryRunLauncher
from dagster._core.run_coordinator import DefaultRunCoordinator
from dagster._core.storage.event_log import InMemoryEventLogStorage, SqliteEventLogStorage
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


def _asset_events(events, event_ids) -> list[tuple[EventLogEntry, int]]:
    return [
        (event, event_id)
        for event, event_id in zip(events, event_ids, strict=True)
        if event.is_dagster_event and event.dagster_event_type in ASSET_EVENTS and event.dagster_event.asset_key
    ]


def _insert_events(conn, rows: list[dict]) -> list[int]:
    """The events' rows inserted in one statement; their ids, in the rows' order."""
    inserted = conn.execute(
        SqlEventLogStorageTable.insert().returning(SqlEventLogStorageTable.c.id, sort_by_parameter_order=True), rows
    )
    return [row[0] for row in inserted]


def _index_assets(conn, storage, asset_events: list[tuple[EventLogEntry, int]]) -> None:
    """The asset events' tags, and the asset key rows as storing the events one by one leaves
    them. Each event sets a fixed set of columns for its kind (materialisation, planned,
    observation), so each column ends with the value of the last event that sets it: the last
    event of each kind per asset key, applied in storage order, gives the same row."""
    storage._store_asset_event_tags(conn, [e for e, _ in asset_events], [i for _, i in asset_events])
    has_index_cols = storage._has_asset_key_index_cols_on_connection(conn)
    last_of_kind: dict[tuple[str, str], tuple[int, EventLogEntry]] = {}
    for event, event_id in asset_events:
        last_of_kind[(event.dagster_event.asset_key.to_string(), event.dagster_event_type)] = (event_id, event)
    values_by_key: dict[str, dict] = {}
    for (key, _kind), (event_id, event) in sorted(last_of_kind.items(), key=lambda item: item[1][0]):
        values = storage._get_asset_entry_values(event, event_id, has_index_cols)
        if values:
            values_by_key.setdefault(key, {}).update(values)
    for key, values in values_by_key.items():
        where = AssetKeyTable.c.asset_key == key
        if conn.execute(db.select(AssetKeyTable.c.asset_key).where(where)).first():
            conn.execute(AssetKeyTable.update().values(**values).where(where))
        else:
            conn.execute(AssetKeyTable.insert().values(asset_key=key, **values))


class BatchWritingEventLogStorage(InMemoryEventLogStorage):
    """Dagster's in-memory event log, storing a batch of events in one transaction."""

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        if len(events) < 2:
            return super().store_event_batch(events)  # Dagster's own: event by event
        with self.index_transaction() as conn:
            event_ids = _insert_events(conn, [self._event_to_row(event) for event in events])
            _index_assets(conn, self, _asset_events(events, event_ids))
        # Asset check events open their own transaction; a batch holds few if any.
        for event, event_id in zip(events, event_ids, strict=True):
            if event.is_dagster_event and event.dagster_event_type in ASSET_CHECK_EVENTS:
                self.store_asset_check_event(event, event_id)
            self._notify_watchers(event)

    def _notify_watchers(self, event: EventLogEntry) -> None:
        # What InMemoryEventLogStorage.store_event does after storing an event.
        self._storage_id += 1
        for handler in list(self._handlers[event.run_id]):
            try:
                handler(event, str(EventLogCursor.from_storage_id(self._storage_id)))
            except Exception:
                logging.exception("Exception in callback for event watch on run %s.", event.run_id)


class BatchWritingSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log (a database per run, and an index database where asset
    events are mirrored), storing a batch of one run's asset events in one transaction on
    each. `base_dir` defaults to where Dagster's default storage keeps the event logs."""

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        mirrored = ASSET_EVENTS | ASSET_CHECK_EVENTS
        if (
            len(events) < 2
            or len({event.run_id for event in events}) > 1
            or any(not event.is_dagster_event or event.dagster_event_type not in mirrored for event in events)
        ):
            return super().store_event_batch(events)  # Dagster's own: event by event
        rows = [self._event_to_row(event) for event in events]  # serialised once, for both
        with self.run_connection(events[0].run_id) as conn:
            conn.execute(SqlEventLogStorageTable.insert(), rows)
        # Asset and asset check events are mirrored in the index database, in order.
        with self.index_transaction() as conn:
            event_ids = _insert_events(conn, rows)
            _index_assets(conn, self, _asset_events(events, event_ids))
        for event, event_id in zip(events, event_ids, strict=True):
            if event.dagster_event_type in ASSET_CHECK_EVENTS:
                self.store_asset_check_event(event, event_id)

    @classmethod
    def config_type(cls) -> dict:
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> BatchWritingSqliteEventLogStorage:
        base_dir = config_value.get("base_dir") or os.path.join(os.environ["DAGSTER_HOME"], "history", "runs", "")
        return cls(base_dir, inst_data=inst_data)


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


def write_events_in_batches() -> None:
    """Turn on Dagster's batch writing for this process, unless DAGSTER_EVENT_BATCH_SIZE says
    otherwise: called where the project's definitions load (a build, the UI's code server, the
    process of each run it launches), so that a run on either instance writes in batches."""
    os.environ.setdefault(_EVENT_BATCH_SIZE, str(BATCH_SIZE))


@contextmanager
def planned_events_as_ranges(enabled: bool) -> Iterator[None]:
    """One planned event per asset for the run's range of disclosures, not one per disclosure
    (1.5 s before the first step at 1,000 disclosures, growing with the county). Dagster's
    stated cost is that a failed run does not mark each of its partitions failed; an in-memory
    instance is gone when the build ends, so it is used there only."""
    previous = os.environ.get(_PLANNED_AS_RANGE)
    if enabled:
        os.environ[_PLANNED_AS_RANGE] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(_PLANNED_AS_RANGE, None)
        else:
            os.environ[_PLANNED_AS_RANGE] = previous
