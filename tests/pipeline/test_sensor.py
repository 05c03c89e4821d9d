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


def test_a_file_put_back_is_asked_for_again_each_time(tmp_path):
    """A corrected file put back as it was, and corrected again: every change asks for a run,
    under a run key Dagster has not seen (it skips a request whose key it ran before)."""
    raw = tmp_path / "raw"
    (raw / "500231" / "2025").mkdir(parents=True)
    path = raw / "500231" / "2025" / "office.txt"
    original = SEED.read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    resources = {"warehouse": WarehouseResource(raw_dir=str(raw), database=str(tmp_path / "w.duckdb"))}
    keys: list[str] = []
    cursor = None
    with dg.instance_for_test() as instance:
        for text in (original, original + "\n补充。\n", original, original + "\n补充。\n"):
            path.write_text(text, encoding="utf-8")
            result = raw_disclosures_sensor(
                dg.build_sensor_context(instance=instance, resources=resources, cursor=cursor)
            )
            assert [r.partition_key for r in result.run_requests] == ["500231/2025/office.txt"]
            keys.append(result.run_requests[0].run_key)
            # The same look evaluated again (its cursor was not stored) asks under the same key.
            replay = raw_disclosures_sensor(
                dg.build_sensor_context(instance=instance, resources=resources, cursor=cursor)
            )
            assert [r.run_key for r in replay.run_requests] == keys[-1:]
            cursor = result.cursor
        # Looked at again with nothing changed: nothing to run.
        again = raw_disclosures_sensor(dg.build_sensor_context(instance=instance, resources=resources, cursor=cursor))
        assert again.run_requests == []
    assert len(set(keys)) == 4, keys


def test_a_cursor_of_the_earlier_sensor_is_read(tmp_path):
    """The sensor stored the versions alone before it counted its looks."""
    raw = tmp_path / "raw"
    (raw / "500231" / "2025").mkdir(parents=True)
    shutil.copy(SEED, raw / "500231" / "2025" / "office.txt")
    resources = {"warehouse": WarehouseResource(raw_dir=str(raw), database=str(tmp_path / "w.duckdb"))}
    with dg.instance_for_test() as instance:
        first = raw_disclosures_sensor(dg.build_sensor_context(instance=instance, resources=resources))
        earlier = json.dumps(json.loads(first.cursor)["versions"])
        result = raw_disclosures_sensor(dg.build_sensor_context(instance=instance, resources=resources, cursor=earlier))
    assert result.run_requests == []
