"""The sensor registers a partition per disclosure under raw/ and retires removed ones."""

import json
import shutil

import dagster as dg

from dagster_project.defs.ingest.sensors import raw_disclosures_sensor
from dagster_project.defs.resources import WarehouseResource
from tests.conftest import SEED


def test_new_changed_and_removed_disclosures(tmp_path):
    raw = tmp_path / "raw"
    (raw / "500231" / "2025").mkdir(parents=True)
    shutil.copy(SEED, raw / "500231" / "2025" / "office.txt")
    resources = {"warehouse": WarehouseResource(raw_dir=str(raw), database=str(tmp_path / "w.duckdb"))}
    with dg.instance_for_test() as instance:
        first = raw_disclosures_sensor(dg.build_sensor_context(instance=instance, resources=resources))
        assert [r.partition_key for r in first.run_requests] == ["500231/2025/office.txt"]
        assert first.dynamic_partitions_requests[0].partition_keys == ["500231/2025/office.txt"]

        (raw / "500231" / "2025" / "office.txt").write_text(
            SEED.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8"
        )
        second = raw_disclosures_sensor(
            dg.build_sensor_context(instance=instance, resources=resources, cursor=first.cursor)
        )
        assert [r.partition_key for r in second.run_requests] == ["500231/2025/office.txt"]
        assert json.loads(second.cursor) != json.loads(first.cursor)

        (raw / "500231" / "2025" / "office.txt").unlink()
        third = raw_disclosures_sensor(
            dg.build_sensor_context(instance=instance, resources=resources, cursor=second.cursor)
        )
        assert third.run_requests == []
        assert third.dynamic_partitions_requests[1].partition_keys == ["500231/2025/office.txt"]
