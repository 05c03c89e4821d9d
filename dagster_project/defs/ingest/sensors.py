import json

import dagster as dg

from ...lib.ingest import version_id
from ...lib.raw_files import discover
from ...resources import WarehouseResource
from .partitions import disclosure_partitions


@dg.sensor(
    asset_selection=dg.AssetSelection.all(),
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def raw_disclosures_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    """Watch raw/: register a partition per new disclosure, run the ones added or changed,
    and retire the partitions of disclosures whose files were removed."""
    found = {d.key: version_id(d.content_hash()) for d in discover(warehouse.raw_path())}
    seen = json.loads(context.cursor) if context.cursor else {}
    added = [key for key in found if key not in seen]
    changed = [key for key in found if key in seen and seen[key] != found[key]]
    removed = [key for key in seen if key not in found]
    return dg.SensorResult(
        run_requests=[dg.RunRequest(partition_key=key, run_key=f"{key}@{found[key]}") for key in added + changed],
        dynamic_partitions_requests=[
            disclosure_partitions.build_add_request(added),
            disclosure_partitions.build_delete_request(removed),
        ],
        cursor=json.dumps(found),
    )
