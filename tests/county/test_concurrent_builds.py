"""Two builds of different warehouses from one checkout (`budgetwh watch` beside a `budgetwh
build --warehouse ...`) share the dbt project's target folder: their dbt commands run one
after the other (lib/dbt_project.py, one_dbt_command_at_a_time), never at once."""

from __future__ import annotations

import logging
import threading
import time

from dagster_project.lib.dbt_project import dbt_project, one_dbt_command_at_a_time
from dagster_project.lib.paths import PROGRESS_LOGGER
from synthetic.catalogue import COUNTY_CODE
from tests.conftest import build_warehouse
from tests.county.conftest import copy_of_county, correct

CORRECTED = f"{COUNTY_CODE}/2025/101_人民政府办公室.txt"


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_a_build_waits_for_another_builds_dbt_command_in_the_same_checkout(county, tmp_path):
    raw, warehouse = copy_of_county(county, tmp_path, "w")
    correct(raw / CORRECTED)
    progress = logging.getLogger(PROGRESS_LOGGER)
    lines = _Lines()
    progress.addHandler(lines)
    level = progress.level
    progress.setLevel(logging.INFO)
    outcome = {}
    try:
        held = threading.Event()
        with one_dbt_command_at_a_time(dbt_project.project_dir / "target" / "dagster_run", held.set):
            # The other build's dbt command runs: this build comes to its dbt step and waits.
            builder = threading.Thread(target=lambda: outcome.update(summary=build_warehouse(raw, warehouse)))
            builder.start()
            deadline = time.monotonic() + 180
            while not any("waiting for another build's dbt command" in line for line in lines.lines):
                assert builder.is_alive() and time.monotonic() < deadline, f"the build did not wait: {lines.lines}"
                time.sleep(0.2)
            time.sleep(2)
            assert builder.is_alive(), "the build went on while another dbt command held the target folder"
        assert not held.is_set()  # the test's own hold never waited
        builder.join(timeout=300)
    finally:
        progress.removeHandler(lines)
        progress.setLevel(level)
    summary = outcome["summary"]
    assert summary.success and summary.published == warehouse, summary.render()
    assert summary.extracted == 1
