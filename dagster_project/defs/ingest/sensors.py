import json

import dagster as dg

from ...lib.changes import current_versions, pending
from ...lib.raw_files import discover
from ..resources import WarehouseResource
from .partitions import disclosure_partitions


@dg.sensor(
    asset_selection=dg.AssetSelection.all(),
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def raw_disclosures_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    """Watch raw/: register a partition per new disclosure, run the ones added or changed,
    and retire the partitions of disclosures whose files were removed. The cursor holds the
    versions it saw at its last look, and how many looks asked for runs; what is pending is
    decided as the build decides it (lib/changes.py).

    A run's key names the disclosure, its version and the look that asked for it: a look
    evaluated again (its cursor was not stored) asks for nothing twice, and a file put back as
    it was before a correction is asked for again, however often it goes back and forth."""
    found = current_versions(discover(warehouse.raw_path()))
    looks, seen = _read_cursor(context.cursor)
    to_run = pending(found, set(seen.items()))
    added = [key for key in to_run if key not in seen]
    removed = [key for key in seen if key not in found]
    return dg.SensorResult(
        run_requests=[dg.RunRequest(partition_key=key, run_key=f"{key}@{found[key]}@{looks + 1}") for key in to_run],
        dynamic_partitions_requests=[
            disclosure_partitions.build_add_request(added),
            disclosure_partitions.build_delete_request(removed),
        ],
        cursor=json.dumps({"looks": looks + 1 if to_run else looks, "versions": found}),
    )


def _read_cursor(cursor: str | None) -> tuple[int, dict[str, str]]:
    """(looks that asked for runs, the versions seen at the last look). An earlier version of
    this sensor stored the versions alone."""
    state = json.loads(cursor) if cursor else {}
    if isinstance(state.get("versions"), dict):
        return state["looks"], state["versions"]
    return 0, state
