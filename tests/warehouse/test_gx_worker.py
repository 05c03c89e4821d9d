"""The Great Expectations worker a build starts (lib/quality/worker.py) answers each request
from a child process: the same outcomes as validating in the build's own process, and an error
comes back to the build as an error naming its cause, with the worker still there for the
next request."""

import shutil

import duckdb
import pytest

from dagster_project.lib.ingest import ingest_disclosures
from dagster_project.lib.quality.raw_suites import validate_raw_tables
from dagster_project.lib.quality.worker import PrewarmedValidator
from tests.conftest import SEED

ROW = "2010301\t行政运行\t1,023.57\t1,023.57\t"
NEGATIVE_ROW = "2010301\t行政运行\t-1,023.57\t-1,023.57\t"


def test_the_worker_judges_as_the_build_would_and_survives_a_failed_request(tmp_path):
    raw = tmp_path / "raw" / "500231" / "2025"
    raw.mkdir(parents=True)
    shutil.copy(SEED, raw / "office.txt")
    # A 项 amount printed negative: raw.subject_expenditure_cells' suite fails on that row.
    (raw / "negative.txt").write_text(SEED.read_text(encoding="utf-8").replace(ROW, NEGATIVE_ROW), encoding="utf-8")
    database = tmp_path / "w.duckdb"
    con = duckdb.connect(str(database))
    keys = ["500231/2025/negative.txt", "500231/2025/office.txt"]
    assert sorted(ingest_disclosures(con, tmp_path / "raw", keys).loaded) == keys
    in_process = validate_raw_tables(con)
    con.close()

    worker = PrewarmedValidator()
    try:
        missing = tmp_path / "no such warehouse.duckdb"
        with pytest.raises(RuntimeError, match="validation failed") as failed:
            worker.validate_raw(missing, since=None)
        assert "no such warehouse.duckdb" in str(failed.value)

        answered = worker.validate_raw(database, since=None)
    finally:
        worker.close()
    assert [(o.table, o.rows, o.success, o.failures, o.offending_rows) for o in answered] == [
        (o.table, o.rows, o.success, o.failures, o.offending_rows) for o in in_process
    ]
    failing = [outcome for outcome in answered if not outcome.success]
    assert [outcome.table for outcome in failing] == ["subject_expenditure_cells"]
    assert {row["disclosure_id"] for row in failing[0].offending_rows} == {"500231/2025/negative.txt"}
