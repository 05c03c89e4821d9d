"""The models built incrementally by disclosure version (dbt/macros/incremental_by_version.sql)
hold, after a rebuild, exactly what a full refresh computes from the same raw tables: every
table of the warehouse, row for row.

The rebuild meets each way a version's rows reach or leave raw.*: a corrected file (a new
version beside the old one), a removed file (retired; its rows stay as history), and a version
set aside and loaded again (its rows left raw.* and came back with a new load stamp)."""

from __future__ import annotations

import json
import shutil

import duckdb

from dagster_project.defs.transform import assets as transform_assets
from dagster_project.lib.dbt_project import dbt_project
from dagster_project.lib.ingest import ingest_disclosures
from dagster_project.lib.quality.worker import PrewarmedValidator
from dagster_project.lib.standing_relations import PROJECT_STATE, versions_to_model
from dagster_project.lib.warehouse.loader import quarantine_failing_version
from synthetic.catalogue import COUNTY_CODE
from tests.conftest import build_warehouse, gx_verdicts
from tests.county.conftest import copy_of_county, correct

CHANGED = f"{COUNTY_CODE}/2025/101_人民政府办公室.txt"
REMOVED = f"{COUNTY_CODE}/2024/101_人民政府办公室.txt"
LOADED_AGAIN = f"{COUNTY_CODE}/2023/101_人民政府办公室.txt"
# What version_not_built() puts on the inputs of an incremental model: a look at the rows it holds.
INCREMENT = "as built"
STALE = "int_findings__no_longer_built"


def _incremental_models() -> set[str]:
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    return {
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
    }


def _compiled_runs() -> dict[str, str]:
    """The SQL each model of the pipeline's last dbt build ran, by unique id."""
    results = json.loads((dbt_project.project_dir / "target" / "dagster_run" / "run_results.json").read_text())
    return {result["unique_id"]: result["compiled_code"] or "" for result in results["results"]}


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ? "
        "and schema_name in ('intermediate', 'marts') order by all",
        [catalog],
    ).fetchall()


def test_an_incremental_rebuild_equals_a_full_refresh(county, tmp_path, monkeypatch):
    raw, incremental = copy_of_county(county, tmp_path, "incremental")
    correct(raw / CHANGED)
    (raw / REMOVED).unlink()
    con = duckdb.connect(str(incremental))
    query = "select version_id from raw.disclosures where disclosure_id = ?"
    (version,) = con.execute(query, [LOADED_AGAIN]).fetchone()
    quarantine_failing_version(con, LOADED_AGAIN, version, "set aside by the test, to be loaded again")
    con.close()

    summary = build_warehouse(raw, incremental)
    assert summary.success, summary.render()
    assert summary.extracted == 2  # the corrected file and the version set aside
    models = _incremental_models()
    by_version = {"int_subject_cells_leaves", "int_findings__subject_tables", "int_findings_within_versions"}
    assert by_version <= {model.split(".")[-1] for model in models}
    runs = _compiled_runs()
    assert all(INCREMENT in runs[model] for model in models), "the rebuild computed the incremental models in full"

    # The same warehouse, computed again in full: a copy recorded as built by another project.
    full = tmp_path / "full" / "budget.duckdb"
    full.parent.mkdir()
    shutil.copy(incremental, full)
    con = duckdb.connect(str(full))
    con.execute(f"update {PROJECT_STATE} set project_fingerprint = 'another project'")
    # What the other project built and this one does not: a model since removed or made ephemeral.
    con.execute(f"create table intermediate.{STALE} as select 1 as left_behind")
    con.execute(f"create view marts.{STALE} as select 1 as left_behind")
    con.close()
    # Modelled as a large county is: dbt one model at a time, the GX worker set aside meanwhile
    # and started anew for the findings' judgement.
    monkeypatch.setattr(transform_assets, "ONE_MODEL_AT_A_TIME_FROM", 1)
    set_aside = []
    set_aside_of_worker = PrewarmedValidator.set_aside

    def observed(validator):
        set_aside.append(validator)
        return set_aside_of_worker(validator)

    monkeypatch.setattr(PrewarmedValidator, "set_aside", observed)
    summary = build_warehouse(raw, full)
    assert summary.success, summary.render()
    assert summary.extracted == 0
    assert len(set_aside) == 1
    assert gx_verdicts(full), "no reconciliation verdicts after the worker was set aside"
    con = duckdb.connect(str(full), read_only=True)
    left = con.execute("select count(*) from duckdb_tables() where table_name = ?", [STALE]).fetchone()[0]
    left += con.execute("select count(*) from duckdb_views() where view_name = ?", [STALE]).fetchone()[0]
    con.close()
    assert left == 0, "the build kept relations its dbt project does not build"
    runs = _compiled_runs()
    assert not any(INCREMENT in runs[model] for model in models), "the full refresh added to the rows it held"

    con = duckdb.connect()
    con.execute(f"attach '{incremental}' as incremental (read_only)")
    con.execute(f"attach '{full}' as full_refresh (read_only)")
    tables = _tables(con, "incremental")
    assert tables == _tables(con, "full_refresh")
    for schema, table in tables:
        for left, right in (("incremental", "full_refresh"), ("full_refresh", "incremental")):
            extra = con.execute(
                f"select count(*) from (select * from {left}.{schema}.{table} "
                f"except all select * from {right}.{schema}.{table})"
            ).fetchone()[0]
            assert extra == 0, f"{schema}.{table}: {extra} rows in the {left} build that the {right} build lacks"
    # The three versions are where they should be: history kept, the set-aside one back once.
    versions = dict(
        con.execute(
            "select disclosure_id, count(distinct version_id) from incremental.intermediate.int_subject_cells_leaves "
            "where disclosure_id in (?, ?, ?) group by disclosure_id",
            [CHANGED, REMOVED, LOADED_AGAIN],
        ).fetchall()
    )
    assert versions == {CHANGED: 2, REMOVED: 1, LOADED_AGAIN: 1}
    (stamps,) = con.execute(
        "select count(distinct version_loaded_at) from incremental.intermediate.int_subject_cells_leaves "
        "where disclosure_id = ?",
        [LOADED_AGAIN],
    ).fetchone()
    assert stamps == 1
    con.close()


def test_the_versions_to_model_are_those_loaded_after_the_models_last_built(county, tmp_path):
    """What decides whether dbt runs one model at a time (defs/transform/assets.py): after a
    build none; after two corrected files are loaded, those two; built in full, every one."""
    root, warehouse, _ = county
    raw = tmp_path / "raw"
    shutil.copytree(root / "raw", raw)
    copy = tmp_path / "budget.duckdb"
    shutil.copy(warehouse, copy)
    corrected = [CHANGED, LOADED_AGAIN]
    for key in corrected:
        path = raw / key
        path.write_text(path.read_text(encoding="utf-8") + "\n（更正版）\n", encoding="utf-8")
    con = duckdb.connect(str(copy))
    try:
        (loaded,) = con.execute("select count(*) from raw.disclosures").fetchone()
        assert versions_to_model(con, incremental=True) == 0
        assert versions_to_model(con, incremental=False) == loaded
        assert sorted(ingest_disclosures(con, raw, corrected, workers=1).loaded) == sorted(corrected)
        assert versions_to_model(con, incremental=True) == len(corrected)
        assert versions_to_model(con, incremental=False) == loaded + len(corrected)
    finally:
        con.close()
