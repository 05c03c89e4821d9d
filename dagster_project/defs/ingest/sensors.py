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
    versions already asked for; what is pending is decided as the build decides it
    (lib/changes.py)."""
    found = current_versions(discover(warehouse.raw_path()))
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    to_run = pending(found, set(seen.items()))
    added = [key for key in to_run if key not in seen]
    removed = [key for key in seen if key not in found]
    return dg.SensorResult(
        run_requests=[dg.RunRequest(partition_key=key, run_key=f"{key}@{found[key]}") for key in to_run],
        dynamic_partitions_requests=[
            disclosure_partitions.build_add_request(added),
            disclosure_partitions.build_delete_request(removed),
        ],
        cursor=json.dumps(found),
    )
