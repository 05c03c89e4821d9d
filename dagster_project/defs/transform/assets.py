import logging
import os

import dagster as dg
from dagster_dbt import DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ...lib.dbt_project import dbt_project
from ...lib.dbt_translator import WarehouseTranslator
from ...lib.paths import DBT_DATABASE_ENV, PROGRESS_LOGGER
from ..resources import WarehouseResource


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
    pool="warehouse_writer",
)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """dbt build: staging → intermediate → marts, with the reconciliation findings and dbt tests."""
    # The raw tables must exist for dbt's sources even before a first disclosure arrives.
    warehouse.ensure_raw_schema(context.run_id)
    logging.getLogger(PROGRESS_LOGGER).info("  modelling: dbt build (staging → intermediate → marts, reconciliation)")
    # dbt runs as a subprocess and reads the working copy's path from its profile's env var:
    # one stable name for every run, so that dbt's partial parse stays valid.
    os.environ[DBT_DATABASE_ENV] = str(warehouse.path_for_dbt(context.run_id))
    # dbt's debug log file costs about 2 s a run; its events still reach the Dagster log.
    # Set DBT_LOG_LEVEL_FILE=debug to have the file back.
    os.environ.setdefault("DBT_LOG_LEVEL_FILE", "none")
    # One target folder for every run (dagster-dbt would make a new one per run, thousands of
    # compiled files each time); dbt keeps its partial-parse state there between runs.
    target = dbt_project.project_dir / "target" / "dagster_run"
    yield from dbt.cli(["build"], context=context, target_path=target).stream()
