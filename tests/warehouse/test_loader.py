"""Loading keeps its promises: one version replaces only its own rows, history is kept, a
failing load changes nothing, and a bad file is quarantined while the rest goes on."""

import dataclasses
import shutil
from decimal import Decimal

import duckdb
import pytest

from dagster_project.lib import ingest
from dagster_project.lib.extract import extract_disclosure
from dagster_project.lib.ingest import ingest_disclosures
from dagster_project.lib.warehouse.columns import VersionToLoad, version_rows
from dagster_project.lib.warehouse.loader import (
    ensure_raw_schema,
    load_batch,
    load_version,
    load_versions,
    reject_version,
)
from dagster_project.lib.warehouse.raw_schema import ALL_TABLES
from synthetic.generate import generate_county
from tests.conftest import SEED, SEED_KEY


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_raw_schema(connection)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def seed():
    return extract_disclosure([SEED], [SEED_KEY])


def _counts(con, version=None):
    where = f" where version_id = '{version}'" if version else ""
    return {t: con.execute(f"select count(*) from raw.{t}{where}").fetchone()[0] for t in ALL_TABLES}


def test_reloading_a_version_replaces_its_rows(con, seed):
    first = load_version(con, SEED_KEY, "v1", seed, "500231", 2025)
    once = _counts(con)
    load_version(con, SEED_KEY, "v1", seed, "500231", 2025)
    assert _counts(con) == once
    assert once["subject_expenditure_cells"] == first["subject_expenditure_cells"] > 0
    assert once["disclosures"] == 1


def test_a_new_version_keeps_the_old_one_as_history(con, seed):
    load_version(con, SEED_KEY, "v1", seed, "500231", 2025)
    load_version(con, SEED_KEY, "v2", seed, "500231", 2025)
    assert _counts(con, "v1") == _counts(con, "v2")
    assert con.execute("select count(*) from raw.disclosures").fetchone()[0] == 2


def test_a_failing_load_changes_nothing(con, seed):
    load_version(con, SEED_KEY, "v1", seed, "500231", 2025)
    before = _counts(con)
    # The last family written holds an amount DECIMAL(20, 6) cannot store: the load fails late.
    broken_item = dataclasses.replace(seed.projects[0], total_wan_yuan=Decimal("1e20"))
    broken = dataclasses.replace(seed, projects=[broken_item, *seed.projects[1:]])
    with pytest.raises(Exception):  # noqa: B017 - whatever DuckDB raises, the point is what stays
        load_version(con, SEED_KEY, "v1", broken, "500231", 2025)
    assert _counts(con) == before
    with pytest.raises(Exception):  # noqa: B017
        load_version(con, SEED_KEY, "v2", broken, "500231", 2025)
    assert _counts(con, "v2") == dict.fromkeys(ALL_TABLES, 0)


def test_rejecting_a_version_keeps_what_was_loaded(con, seed):
    load_version(con, SEED_KEY, "v1", seed, "500231", 2025)
    before = _counts(con, "v1")
    reject_version(con, SEED_KEY, "v2", [SEED_KEY], "the file is empty")
    assert _counts(con, "v1") == before
    assert con.execute("select reason from raw.rejected_files").fetchall() == [("the file is empty",)]


def test_bad_files_are_quarantined_and_the_rest_loads(tmp_path, con):
    raw = tmp_path / "raw" / "500231" / "2025"
    raw.mkdir(parents=True)
    shutil.copy(SEED, raw / "office.txt")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04")
    (raw / "minutes.txt").write_text("会议纪要：讨论食堂菜单。", encoding="utf-8")
    keys = ["500231/2025/binary.txt", "500231/2025/empty.txt", "500231/2025/minutes.txt", "500231/2025/office.txt"]
    report = ingest_disclosures(con, tmp_path / "raw", keys)
    assert report.loaded == ["500231/2025/office.txt"]
    reasons = dict(report.rejected)
    assert "binary" in reasons["500231/2025/binary.txt"] and "empty" in reasons["500231/2025/empty.txt"]
    assert "no budget disclosure" in reasons["500231/2025/minutes.txt"]
    assert all(key in reason for key, reason in reasons.items())  # each reason names its file
    rejected = con.execute("select disclosure_id from raw.rejected_files order by 1").fetchall()
    assert [r[0] for r in rejected] == keys[:3]
    assert con.execute("select count(*) from raw.projects").fetchone()[0] == 13


def test_a_cell_read_twice_is_loaded_once_and_reported(con, seed):
    """A layout no parser foresaw can read one cell twice; the repeat would fail the suite's
    uniqueness expectation (a blocking check) for the whole build. It is loaded once, and
    the repeat is a problem of that document with its line."""
    repeated = seed.three_public_cells[0]
    doubled = dataclasses.replace(seed, three_public_cells=[*seed.three_public_cells, repeated])
    counts = load_version(con, SEED_KEY, "v1", doubled, "500231", 2025)

    assert counts["three_public_cells"] == len(seed.three_public_cells)
    problems = con.execute(
        "select source_line, reason from raw.extraction_problems where reason like 'three_public_cells:%'"
    ).fetchall()
    assert problems == [(repeated.source_line, problems[0][1])] and "second reading" in problems[0][1]
    assert con.execute("select problem_count from raw.disclosures").fetchone()[0] == len(seed.problems) + 1


def _middle_one_unstorable(seed) -> list[VersionToLoad]:
    """Three versions of the seed, the second with an amount DECIMAL(20, 6) cannot store."""
    broken_item = dataclasses.replace(seed.projects[0], total_wan_yuan=Decimal("1e20"))
    broken = dataclasses.replace(seed, projects=[broken_item, *seed.projects[1:]])
    return [
        VersionToLoad(f"500231/2025/{name}.txt", "v1", extraction, "500231", 2025)
        for name, extraction in (("a", seed), ("b", broken), ("c", seed))
    ]


def test_a_batch_with_one_version_it_cannot_store_loads_the_others(con, seed):
    """Loading in batches keeps the promise of loading one by one: a version whose rows the
    warehouse cannot hold (an amount DECIMAL(20, 6) cannot store) stays out alone."""
    batch = _middle_one_unstorable(seed)
    loaded, failed = load_batch(con, batch)
    assert [version.disclosure_id for version, _ in loaded] == ["500231/2025/a.txt", "500231/2025/c.txt"]
    assert [version.disclosure_id for version, _ in failed] == ["500231/2025/b.txt"]
    stored = con.execute("select disclosure_id, count(*) from raw.projects group by 1 order by 1").fetchall()
    assert stored == [("500231/2025/a.txt", len(seed.projects)), ("500231/2025/c.txt", len(seed.projects))]
    assert con.execute("select count(*) from raw.disclosures where disclosure_id like '%b.txt'").fetchone() == (0,)


def test_a_chunk_converts_the_versions_that_fit_and_returns_the_one_that_does_not(con, seed):
    """An extraction worker converts a chunk of disclosures at once: one whose amount the raw
    tables cannot hold comes back with its error, and the others' rows are all there."""
    chunk = _middle_one_unstorable(seed)
    rows, failed = version_rows(chunk)
    assert [version.disclosure_id for version, _ in failed] == ["500231/2025/b.txt"]
    assert "b.txt" not in str(rows.keys()) and len(rows) == 2
    loaded, failed = load_batch(con, [rows])
    assert [version.disclosure_id for version, _ in loaded] == ["500231/2025/a.txt", "500231/2025/c.txt"]
    assert not failed
    stored = con.execute("select disclosure_id, count(*) from raw.projects group by 1 order by 1").fetchall()
    assert stored == [("500231/2025/a.txt", len(seed.projects)), ("500231/2025/c.txt", len(seed.projects))]


def test_a_chunk_that_cannot_be_stored_whole_is_loaded_version_by_version(con, seed):
    """A chunk travels as one table per raw table; when its batch fails, its versions are cut
    apart again (each with its own rows, nothing shared) and only the one that cannot be
    stored stays out: here one without a version id, which raw.disclosures forbids."""
    versions = [VersionToLoad(f"500231/2025/{name}.txt", "v1", seed, "500231", 2025) for name in "abc"]
    versions[1] = dataclasses.replace(versions[1], version_id=None)
    first, _ = version_rows(versions[:2])
    second, _ = version_rows(versions[2:])
    loaded, failed = load_batch(con, [first, second])
    assert [version.disclosure_id for version, _ in loaded] == ["500231/2025/a.txt", "500231/2025/c.txt"]
    assert [version.disclosure_id for version, _ in failed] == ["500231/2025/b.txt"]
    for table in ALL_TABLES:
        per_version = con.execute(f"select disclosure_id, count(*) from raw.{table} group by 1 order by 1").fetchall()
        expected = con.execute(f"select count(*) from raw.{table} where disclosure_id like '%a.txt'").fetchone()[0]
        assert [count for _, count in per_version] == ([expected] * 2 if expected else []), table
    assert loaded[0][1]["subject_expenditure_cells"] == len(seed.subject_cells) > 0


def test_a_batch_loads_what_loading_one_by_one_loads(tmp_path, seed):
    """One transaction for many versions writes exactly the rows of one transaction each."""
    tables = {}
    for how in ("batch", "one by one"):
        connection = duckdb.connect(str(tmp_path / f"{how}.duckdb"))
        ensure_raw_schema(connection)
        versions = [VersionToLoad(f"500231/2025/{n}.txt", "v1", seed, "500231", 2025) for n in range(3)]
        if how == "batch":
            load_versions(connection, versions)
        else:
            for version in versions:
                load_versions(connection, [version])
        tables[how] = {
            table: connection.execute(f"select * exclude (extracted_at) from raw.{table} order by all").fetchall()
            if table == "disclosures"
            else connection.execute(f"select * from raw.{table} order by all").fetchall()
            for table in ALL_TABLES
        }
        connection.close()
    assert tables["batch"] == tables["one by one"]
    assert len(tables["batch"]["subject_expenditure_cells"]) == 3 * len(seed.subject_cells) > 0


def test_extraction_on_several_workers_loads_the_same_rows_as_on_one(tmp_path):
    """Output never depends on the machine: two workers and one write the same raw rows."""
    generate_county(tmp_path / "raw", seed=3, departments=6, townships=3, years=(2025,))
    keys = sorted(str(path.relative_to(tmp_path / "raw")) for path in (tmp_path / "raw").rglob("*.txt"))
    assert len(keys) >= 8  # enough for the process pool to be used
    tables = {}
    for workers in (1, 2):
        connection = duckdb.connect(str(tmp_path / f"{workers}.duckdb"))
        report = ingest_disclosures(connection, tmp_path / "raw", keys, workers=workers)
        assert sorted(report.loaded) == keys
        tables[workers] = {
            table: connection.execute(
                f"select * {'exclude (extracted_at)' if table == 'disclosures' else ''} from raw.{table} order by all"
            ).fetchall()
            for table in ALL_TABLES
        }
        connection.close()
    assert tables[1] == tables[2]


def test_a_long_ingest_writes_its_batches_into_the_file_as_it_goes(tmp_path, monkeypatch):
    """Every CHECKPOINT_EVERY disclosures the loaded batches go into the file (DuckDB gives back
    what it held for them), and the rows are those of an ingest that writes them at the end."""
    generate_county(tmp_path / "raw", seed=3, departments=6, townships=3, years=(2025,))
    keys = sorted(str(path.relative_to(tmp_path / "raw")) for path in (tmp_path / "raw").rglob("*.txt"))
    assert len(keys) >= 8
    at_the_end = duckdb.connect(str(tmp_path / "at the end.duckdb"))
    assert sorted(ingest_disclosures(at_the_end, tmp_path / "raw", keys, workers=1).loaded) == keys

    # Batches of two disclosures, written into the file every four: the log of DuckDB's
    # writes (the .wal file) is empty when the third batch begins, and not when the second does.
    monkeypatch.setattr(ingest, "BATCH_SIZE", 2)
    monkeypatch.setattr(ingest, "CHECKPOINT_EVERY", 4)
    database = tmp_path / "as it goes.duckdb"
    wal = database.with_name(f"{database.name}.wal")
    logged_before_batch = []
    load_batch_of_ingest = ingest._load_batch

    def observed(con, batch, *args):
        logged_before_batch.append(wal.stat().st_size if wal.exists() else 0)
        return load_batch_of_ingest(con, batch, *args)

    monkeypatch.setattr(ingest, "_load_batch", observed)
    as_it_goes = duckdb.connect(str(database))
    assert sorted(ingest_disclosures(as_it_goes, tmp_path / "raw", keys, workers=1).loaded) == keys
    assert len(logged_before_batch) >= 3
    assert logged_before_batch[1] > 0 and logged_before_batch[2] == 0, logged_before_batch

    for table in ALL_TABLES:
        columns = "* exclude (extracted_at)" if table == "disclosures" else "*"
        query = f"select {columns} from raw.{table} order by all"
        assert as_it_goes.execute(query).fetchall() == at_the_end.execute(query).fetchall(), table
    as_it_goes.close()
    at_the_end.close()


def test_an_ingest_stopped_while_a_checkpoint_runs_keeps_what_it_loaded(tmp_path, monkeypatch):
    """The extraction fails (a worker killed, say) while the checkpoint of the loaded batches
    runs on its thread: the error reaches the caller after the checkpoint has ended, and the
    batches loaded before it are in the file, whole."""
    generate_county(tmp_path / "raw", seed=3, departments=6, townships=3, years=(2025,))
    keys = sorted(str(path.relative_to(tmp_path / "raw")) for path in (tmp_path / "raw").rglob("*.txt"))
    monkeypatch.setattr(ingest, "BATCH_SIZE", 2)
    monkeypatch.setattr(ingest, "CHECKPOINT_EVERY", 2)
    extracted_by_ingest = ingest._extracted
    loaded_first = []

    def failing_after_one_batch(pending, workers):
        for number, (chunk, outcomes, rows) in enumerate(extracted_by_ingest(pending, workers)):
            if number == 1:  # the first batch is loaded and its checkpoint started
                raise RuntimeError("the extraction's process pool broke")
            loaded_first.extend(item.key for item in chunk)
            yield chunk, outcomes, rows

    monkeypatch.setattr(ingest, "_extracted", failing_after_one_batch)
    database = tmp_path / "w.duckdb"
    con = duckdb.connect(str(database))
    with pytest.raises(RuntimeError, match="process pool broke"):
        ingest_disclosures(con, tmp_path / "raw", keys, workers=1)
    wal = database.with_name(f"{database.name}.wal")
    assert not wal.exists() or wal.stat().st_size == 0  # the checkpoint had ended
    con.close()

    assert len(loaded_first) == 2
    con = duckdb.connect(str(database), read_only=True)
    loaded = [row[0] for row in con.execute("select disclosure_id from raw.disclosures order by 1").fetchall()]
    cells = dict(con.execute("select disclosure_id, count(*) from raw.subject_expenditure_cells group by 1").fetchall())
    con.close()
    assert loaded == sorted(loaded_first)
    assert set(cells) == set(loaded_first) and all(count > 0 for count in cells.values())
