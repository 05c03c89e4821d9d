"""The Dagster definitions: what a user sees in `dagster dev`."""

import dagster as dg
import pytest

from dagster_project.lib.rules import rule_catalogue
from dagster_project.lib.warehouse.raw_schema import ALL_TABLES, WAREHOUSE_TABLES


@pytest.fixture(scope="module")
def graph():
    from dagster_project.definitions import defs

    return defs.resolve_asset_graph()


def test_lineage_from_raw_tables_to_marts(graph):
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {f"raw/{table}" for table in ALL_TABLES} <= keys
    assert {"marts/fct_reconciliation_findings", "marts/fct_department_years", "marts/dim_units"} <= keys
    upstream = graph.get(dg.AssetKey(["staging", "stg_disclosures__projects"])).parent_keys
    assert dg.AssetKey(["raw", "projects"]) in upstream


def test_extraction_is_partitioned_per_disclosure_and_only_extraction(graph):
    """One partition per disclosure, on the one asset that extracts and loads it: Dagster
    records a planned and a done event per partition of each partitioned asset in a run, so
    partitioned raw tables would multiply a county's bookkeeping by their number."""
    node = graph.get(dg.AssetKey(["extracted_disclosures"]))
    assert isinstance(node.partitions_def, dg.DynamicPartitionsDefinition)
    assert node.partitions_def.name == "disclosures"
    partitioned = [key.to_user_string() for key in graph.get_all_asset_keys() if graph.get(key).partitions_def]
    assert partitioned == ["extracted_disclosures"]
    assert dg.AssetKey(["extracted_disclosures"]) in graph.get(dg.AssetKey(["raw", "projects"])).parent_keys


def test_expectation_suites_are_blocking_checks_on_every_raw_table(graph):
    suites = [key for key in graph.asset_check_keys if key.name == "gx_suite"]
    assert {key.asset_key.path[-1] for key in suites} == set(WAREHOUSE_TABLES)
    assert all(graph.get_check_spec(key).blocking for key in suites)


def test_one_check_per_rule_on_the_findings(graph):
    findings = dg.AssetKey(["marts", "fct_reconciliation_findings"])
    names = {key.name for key in graph.asset_check_keys if key.asset_key == findings and key.name.startswith("rule_")}
    assert names == {rule.check_name for rule in rule_catalogue()}
