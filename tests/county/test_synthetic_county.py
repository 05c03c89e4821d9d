"""A generated county through the real pipeline: every injected defect is caught by its
rule (recall), no clean document fails a rule, near misses stay within the envelope, and
a changed disclosure is re-extracted alone with its earlier version kept as history.

The expectations come from manifest.json, which records what the generator injected."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.dbt_project import dbt_project
from dagster_project.lib.standing_relations import PROJECT_STATE, project_fingerprint, recorded_state
from synthetic.catalogue import COUNTY_CODE
from synthetic.generate import generate_county
from tests.conftest import assert_gx_agrees_with_the_findings_mart, build_warehouse
from tests.county.conftest import SMALL


def _failing(warehouse: Path) -> dict[str, set[tuple[str, str]]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute(
        "select disclosure_id, rule_id, severity from marts.fct_reconciliation_findings where status = 'fail'"
    ).fetchall()
    con.close()
    failing: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for disclosure_id, rule_id, severity in rows:
        failing[disclosure_id].add((rule_id, severity))
    return failing


def test_generation_is_deterministic(tmp_path):
    first = generate_county(tmp_path / "a", **SMALL)
    second = generate_county(tmp_path / "b", **SMALL)
    for key in first.documents:
        assert (tmp_path / "a" / key).read_bytes() == (tmp_path / "b" / key).read_bytes()
    assert first.defects == second.defects


def test_county_shape(county):
    _, warehouse, manifest = county
    con = duckdb.connect(str(warehouse), read_only=True)
    units = con.execute(
        "select count(*), bool_and(is_synthetic) from marts.dim_units where county_code = ? and unit_level != 'county'",
        [COUNTY_CODE],
    ).fetchone()
    years = con.execute(
        "select year, count(*) from marts.mart_department_comparison group by year order by year"
    ).fetchall()
    con.close()
    assert units[1] is True and units[0] >= 12
    assert years == [(2023, 12), (2024, 12), (2025, 12)]
    assert manifest["documents"] == 36 and {d["rule_id"] for d in manifest["defects"]} >= {
        "T2-b",
        "N-1",
        "X-2",
        "C-1",
        "N-2",
        "N-4",
    }


def test_every_injected_defect_is_caught_by_its_rule(county):
    _, warehouse, manifest = county
    failing = _failing(warehouse)
    missed = [d for d in manifest["defects"] if d["rule_id"] not in {rule for rule, _ in failing[d["file"]]}]
    assert missed == []


def test_clean_documents_raise_no_alarm(county):
    _, warehouse, manifest = county
    defective = {d["file"] for d in manifest["defects"]}
    failing = _failing(warehouse)
    alarms = {key: rules for key, rules in failing.items() if key.startswith(COUNTY_CODE) and key not in defective}
    assert alarms == {}


def test_great_expectations_judges_every_evaluation_as_the_findings_mart(county):
    """Every injected defect's rule fails in GX as in the mart, on the same rows, and no other."""
    _, warehouse, _ = county
    assert_gx_agrees_with_the_findings_mart(warehouse)


def test_near_misses_stay_within_the_envelope(county):
    _, warehouse, manifest = county
    failing = _failing(warehouse)
    assert manifest["near_misses"], "the small county should carry a near miss"
    assert [m for m in manifest["near_misses"] if m["rule_id"] in {r for r, _ in failing[m["file"]]}] == []


def test_a_changed_disclosure_is_re_extracted_alone_and_its_old_version_kept(county, tmp_path):
    root, warehouse, _ = county
    raw = tmp_path / "raw"
    shutil.copytree(root / "raw", raw)
    copy = tmp_path / "budget.duckdb"
    shutil.copy(warehouse, copy)
    key = f"{COUNTY_CODE}/2025/101_人民政府办公室.txt"
    con = duckdb.connect(str(copy), read_only=True)
    before = con.execute("select disclosure_id, version_id, extracted_at from raw.disclosures").fetchall()
    versions_shown = con.execute("select count(*) from bi.fct_disclosure_versions").fetchone()[0]
    con.close()
    path = raw / key
    path.write_text(
        path.read_text(encoding="utf-8").replace("主要用于年度重点工作", "主要用于年度重点工作和应急保障"),
        encoding="utf-8",
    )

    summary = build_warehouse(raw, copy)
    assert summary.success, summary.render()
    assert summary.extracted == 1

    con = duckdb.connect(str(copy), read_only=True)
    after = con.execute("select disclosure_id, version_id, extracted_at from raw.disclosures").fetchall()
    versions = con.execute(
        "select version_id, is_current, superseded_by from marts.fct_disclosure_versions where disclosure_id = ?", [key]
    ).fetchall()
    con.close()
    assert set(before) < set(after)  # every earlier row is still there, untouched
    assert [row for row in after if row not in before] == [(key, row[1], row[2]) for row in after if row not in before]
    assert len([row for row in after if row not in before]) == 1
    assert sorted(current for _, current, _ in versions) == [False, True]

    # The warehouse was built by this dbt project: its views and seeds stood, every table model
    # and every test ran, and the views read the rebuilt tables (one version more).
    ran = _dbt_nodes_run()
    assert ran["view"] == set() and ran["seed"] == set()
    assert ran["table"] == _project_nodes("table") and ran["test"] == _project_nodes("test")
    con = duckdb.connect(str(copy), read_only=True)
    assert con.execute("select count(*) from bi.fct_disclosure_versions").fetchone()[0] == versions_shown + 1
    con.close()


def test_a_file_put_back_as_it_was_makes_its_earlier_version_current_again(county, tmp_path):
    """An officer corrects a disclosure, then puts the original file back: the warehouse reads
    what raw/ holds again (the earlier version is loaded again and is current), and keeps the
    correction as history."""
    root, warehouse, _ = county
    raw = tmp_path / "raw"
    shutil.copytree(root / "raw", raw)
    copy = tmp_path / "budget.duckdb"
    shutil.copy(warehouse, copy)
    key = f"{COUNTY_CODE}/2025/102_发展和改革委员会.txt"
    path = raw / key
    original = path.read_bytes()

    def current() -> list[str]:
        con = duckdb.connect(str(copy), read_only=True)
        rows = con.execute(
            "select version_id from marts.fct_disclosure_versions where disclosure_id = ? and is_current", [key]
        ).fetchall()
        con.close()
        return [version for (version,) in rows]

    (first,) = current()
    path.write_bytes(original + "\n补充说明。\n".encode())
    assert build_warehouse(raw, copy).success
    (corrected,) = current()
    assert corrected != first
    path.write_bytes(original)
    summary = build_warehouse(raw, copy)
    assert summary.success, summary.render()
    assert summary.extracted == 1
    assert current() == [first]
    con = duckdb.connect(str(copy), read_only=True)
    versions = con.execute(
        "select version_id from marts.fct_disclosure_versions where disclosure_id = ? order by all", [key]
    ).fetchall()
    con.close()
    assert sorted(versions) == sorted([(first,), (corrected,)])


@pytest.mark.parametrize(
    ("recorded", "name"),
    [
        ("an earlier project", "budget.duckdb"),
        ("an earlier layout", "budget.duckdb"),
        ("this project", "renamed.duckdb"),
    ],
    ids=["another-project", "older-state-table", "renamed-file"],
)
def test_a_warehouse_built_by_another_project_or_renamed_is_built_whole(county, tmp_path, recorded, name):
    """A warehouse whose views and seeds another version of the dbt project made (its recorded
    fingerprint differs, or its state table has an older layout), or whose file was renamed
    since (DuckDB names the catalog after the file, and a view names the catalog it reads),
    gets every node built again, and then records this project and its new name."""
    root, warehouse, _ = county
    copy = tmp_path / name
    shutil.copy(warehouse, copy)
    con = duckdb.connect(str(copy))
    if recorded == "an earlier project":
        con.execute(f"update {PROJECT_STATE} set project_fingerprint = ?", [recorded])
    elif recorded == "an earlier layout":  # the table as a build before it recorded the catalog wrote it
        fingerprint = project_fingerprint(dbt_project.project_dir)
        con.execute(f"create or replace table {PROJECT_STATE} as select ? as project_fingerprint", [fingerprint])
    con.close()

    summary = build_warehouse(root / "raw", copy)
    assert summary.success, summary.render()

    ran = _dbt_nodes_run()
    assert ran["view"] == _project_nodes("view") and ran["seed"] == _project_nodes("seed")
    con = duckdb.connect(str(copy), read_only=True)
    assert recorded_state(con) == (project_fingerprint(dbt_project.project_dir), copy.stem)
    assert con.execute("select count(*) from bi.fct_disclosure_versions").fetchone()[0] > 0
    con.close()


def _manifest() -> dict:
    return json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))


def _kind(node: dict) -> str:
    """A dbt node as the build treats it: a test, a seed, or a model's materialisation."""
    return node["resource_type"] if node["resource_type"] != "model" else node["config"]["materialized"]


def _project_nodes(kind: str) -> set[str]:
    return {unique_id for unique_id, node in _manifest()["nodes"].items() if _kind(node) == kind}


def _dbt_nodes_run() -> dict[str, set[str]]:
    """The nodes the last dbt build of the pipeline ran, by kind."""
    nodes = _manifest()["nodes"]
    results = json.loads((dbt_project.project_dir / "target" / "dagster_run" / "run_results.json").read_text())
    ran: dict[str, set[str]] = defaultdict(set)
    for result in results["results"]:
        ran[_kind(nodes[result["unique_id"]])].add(result["unique_id"])
    return ran


def test_a_misstated_prior_year_is_caught_only_against_last_years_disclosure(county):
    """The document restates last year's 三公 consistently (T4's prior-year column, its 合计 and
    the narrative's changes agree), so no rule inside it fails; N-2 across years compares the
    prior-year 合计 with what last year's own disclosure printed, 0.05 apart."""
    _, warehouse, manifest = county
    misstated = [d for d in manifest["defects"] if d["defect"] == "prior_year_misstated"]
    assert misstated, "the small county should carry a misstated prior year"
    con = duckdb.connect(str(warehouse), read_only=True)
    for defect in misstated:
        rows = con.execute(
            "select rule_id, table_id, row_ref, abs(difference) from marts.fct_reconciliation_findings "
            "where disclosure_id = ? and status = 'fail'",
            [defect["file"]],
        ).fetchall()
        year = int(defect["file"].split("/")[1])
        last_years = f"{COUNTY_CODE}/{year - 1}/{defect['file'].split('/')[2]}"
        assert rows == [("N-2", "T4", f"three_public_total {year - 1} = {last_years}", Decimal("0.05"))]
    con.close()
