"""Shared fixtures: the seed disclosure, the shared/ folder, isolated Dagster homes and
warehouses built through the real pipeline (real DuckDB files, real dbt, real Dagster)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"
SEED_KEY = "500231/2025/000_6b710e25da61e932.txt"
SEED = PROJECT_ROOT / "raw" / SEED_KEY


def shared_path(*parts: str) -> Path:
    """A path under ../shared/, or skip the test with the reason when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the shared/ folder beside the project; CI has it)")
    return path


@pytest.fixture(scope="session", autouse=True)
def isolated_dagster_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Dagster instance of the test session's own, configured like the project's."""
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(PROJECT_ROOT / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest() -> Path:
    """The Dagster definitions read dbt's manifest when they load: parse the project first."""
    from dagster_project.lib.dbt_project import dbt_project

    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    dbt_project.preparer.prepare(dbt_project)
    return dbt_project.manifest_path


def build_warehouse(raw_dir: Path, warehouse: Path, target: str = "duckdb", record: bool = False):
    """Build through Dagster exactly as `budgetwh build [--target postgres] [--record]` does, in
    this process."""
    from dagster_project.build import build

    return build(raw_dir, warehouse, target=target, record=record)


def gx_verdicts(warehouse: Path) -> dict:
    """rule id → Great Expectations' verdict on the published build (the verdicts written
    beside its Data Docs, lib/quality/reconciliation_suites.py)."""
    import json

    from dagster_project.lib.quality.reconciliation_suites import VERDICTS_FILE, ReconciliationOutcome
    from dagster_project.lib.warehouse.publish import WarehouseFiles

    site = WarehouseFiles(warehouse).data_docs
    outcome = ReconciliationOutcome.from_dict(json.loads((site / VERDICTS_FILE).read_text(encoding="utf-8")))
    return {verdict.rule_id: verdict for verdict in outcome.verdicts}


def assert_gx_agrees_with_the_findings_mart(warehouse: Path) -> None:
    """For every rule of the catalogue, the rows GX finds unexpected are exactly the fail rows
    of marts.fct_reconciliation_findings, and GX judged or counted every row of the rule."""
    import duckdb

    from dagster_project.lib.rules import rule_catalogue

    verdicts = gx_verdicts(warehouse)
    assert set(verdicts) == {rule.rule_id for rule in rule_catalogue()}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "select rule_id, list(finding_id) filter (where status = 'fail'), count(*) "
            "from marts.fct_reconciliation_findings group by rule_id"
        ).fetchall()
    finally:
        con.close()
    mart = {rule: (set(failing or []), total) for rule, failing, total in rows}
    for rule, verdict in verdicts.items():
        failing, total = mart.get(rule, (set(), 0))
        assert {row["finding_id"] for row in verdict.failing_findings} == failing, rule
        assert verdict.success == (not failing), rule
        assert verdict.evaluated + verdict.insufficient_data + verdict.not_applicable == total, rule
