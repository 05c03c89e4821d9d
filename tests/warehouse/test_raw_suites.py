"""The raw tables' integrity suites judge a large county slice by slice (bounded memory)
exactly as they would judge each table whole; the Great Expectations worker a build starts
(lib/quality/worker.py) answers each request from a child process, with the same outcomes,
and an error comes back to the build as an error naming its cause, the worker still there for
the next request; a worker set aside for a step answers after it."""

import shutil

import duckdb
import pytest

from dagster_project.lib.ingest import ingest_disclosures
from dagster_project.lib.quality.raw_suites import validate_raw_tables
from dagster_project.lib.quality.worker import PrewarmedValidator
from tests.conftest import SEED
from tests.fixtures.handmade import BASE

# A 项 row of T2 printed negative: the raw.subject_expenditure_cells suite (amounts are not
# negative) fails on that row, and only there.
ROW = "2010301\t行政运行\t1,023.57\t1,023.57\t"
NEGATIVE_ROW = "2010301\t行政运行\t-1,023.57\t-1,023.57\t"


def test_validating_in_slices_of_versions_judges_as_the_whole_table(tmp_path):
    raw = tmp_path / "raw" / "500231" / "2025"
    raw.mkdir(parents=True)
    shutil.copy(SEED, raw / "office.txt")
    text = SEED.read_text(encoding="utf-8")
    assert text.count(ROW) == 1
    revised = text.replace(ROW, NEGATIVE_ROW)
    (raw / "negative.txt").write_text(revised, encoding="utf-8")
    # The same failure in a second version, another slice: the slices' counts add up.
    (raw / "negative_again.txt").write_text(revised + "\n", encoding="utf-8")
    (raw / "handmade.txt").write_text(BASE, encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    keys = [f"500231/2025/{name}.txt" for name in ("handmade", "negative", "negative_again", "office")]
    assert sorted(ingest_disclosures(con, tmp_path / "raw", keys).loaded) == keys

    whole = validate_raw_tables(con)
    # A slice of at most 10 rows: every version of every table is a slice of its own.
    sliced = validate_raw_tables(con, slice_rows=10)
    con.close()

    assert [(o.table, o.rows, o.success, o.failures, o.offending_rows) for o in sliced] == [
        (o.table, o.rows, o.success, o.failures, o.offending_rows) for o in whole
    ]
    failing = [outcome for outcome in sliced if not outcome.success]
    assert [outcome.table for outcome in failing] == ["subject_expenditure_cells"]
    line = revised.splitlines().index(NEGATIVE_ROW) + 1
    reasons = [row["reason"] for row in failing[0].offending_rows]
    assert {row["disclosure_id"] for row in failing[0].offending_rows} == set(keys[1:3])
    assert all(f"line {line}" in reason and "-1023.57" in reason for reason in reasons), reasons
    # The row's two amounts (财政拨款 and 合计), in each of the two versions.
    assert sum(failure["unexpected_count"] for failure in failing[0].failures) == 4


def test_the_worker_judges_as_the_build_would_and_survives_a_failed_request(tmp_path):
    raw = tmp_path / "raw" / "500231" / "2025"
    raw.mkdir(parents=True)
    shutil.copy(SEED, raw / "office.txt")
    # A 项 amount printed negative: raw.subject_expenditure_cells' suite fails on that row,
    # in two versions: judged in two children, their counts add up.
    revised = SEED.read_text(encoding="utf-8").replace(ROW, NEGATIVE_ROW)
    (raw / "negative.txt").write_text(revised, encoding="utf-8")
    (raw / "negative_again.txt").write_text(revised + "\n", encoding="utf-8")
    database = tmp_path / "w.duckdb"
    con = duckdb.connect(str(database))
    keys = ["500231/2025/negative.txt", "500231/2025/negative_again.txt", "500231/2025/office.txt"]
    assert sorted(ingest_disclosures(con, tmp_path / "raw", keys).loaded) == keys
    in_process = validate_raw_tables(con)
    con.close()

    worker = PrewarmedValidator()
    try:
        missing = tmp_path / "no such warehouse.duckdb"
        with pytest.raises(RuntimeError, match="validation failed") as failed:
            worker.validate_raw(missing, since=None)
        assert "no such warehouse.duckdb" in str(failed.value)

        # Set aside (as during dbt's step of a large county): its process ends, and a new one
        # answers afterwards.
        before = worker._process
        with worker.set_aside():
            assert before.poll() is not None
        assert worker._process is not before
        # Ended from outside (the OOM killer, a signal): `budgetwh watch` starts it again
        # before its next build, and the new process answers.
        ended = worker._process
        ended.kill()
        ended.wait()
        worker.start_if_ended()
        assert worker._process is not ended
        # Every version a slice of its own, each judged in a child of the worker's child.
        answered = worker.validate_raw(database, since=None, slice_rows=10)
        # Rows that fit one slice in all (a correction's few versions): every table judged in
        # one child, as the slices were.
        answered_at_once = worker.validate_raw(database, since=None)
    finally:
        worker.close()
    judged = [(o.table, o.rows, o.success, o.failures, o.offending_rows) for o in in_process]
    assert [(o.table, o.rows, o.success, o.failures, o.offending_rows) for o in answered] == judged
    assert [(o.table, o.rows, o.success, o.failures, o.offending_rows) for o in answered_at_once] == judged
    failing = [outcome for outcome in answered if not outcome.success]
    assert [outcome.table for outcome in failing] == ["subject_expenditure_cells"]
    assert {row["disclosure_id"] for row in failing[0].offending_rows} == set(keys[:2])
    # The row's two amounts (财政拨款 and 合计), in each of the two versions.
    assert sum(failure["unexpected_count"] for failure in failing[0].failures) == 4
