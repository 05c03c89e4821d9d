import logging
import os

import dagster as dg
from dagster_dbt import DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ...lib.dbt_project import dbt_project
from ...lib.dbt_translator import WarehouseTranslator
from ...lib.model_tests import failing_tests, read_artifacts, trace
from ...lib.paths import DBT_DATABASE_ENV, PROGRESS_LOGGER
from ...lib.warehouse.loader import quarantine_failing_version
from ...lib.warehouse.raw_schema import REJECTED_BY_MODEL_TESTS
from ..resources import WarehouseResource

# One document seldom breaks more than one test; a few rounds cover several bad documents
# found one after another, and bound the build when something else is wrong.
QUARANTINE_ROUNDS = 3


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
    pool="warehouse_writer",
)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """dbt build: staging → intermediate → marts, with the reconciliation findings and dbt tests.

    When dbt tests fail, the failing rows are traced to the disclosure versions they come
    from (lib/model_tests.py); those versions are quarantined and the models built again
    without them. Only a failure that no version explains fails the step, and so blocks the
    publish. The events of the build that stands are the ones Dagster records.
    """
    progress = logging.getLogger(PROGRESS_LOGGER)
    # The raw tables must exist for dbt's sources even before a first disclosure arrives.
    warehouse.ensure_raw_schema(context.run_id)
    progress.info("  modelling: dbt build (staging → intermediate → marts, reconciliation)")
    # dbt runs as a subprocess and reads the working copy's path from its profile's env var:
    # one stable name for every run, so that dbt's partial parse stays valid.
    os.environ[DBT_DATABASE_ENV] = str(warehouse.path_for_dbt(context.run_id))
    # dbt's debug log file costs about 2 s a run; its events still reach the Dagster log.
    # Set DBT_LOG_LEVEL_FILE=debug to have the file back.
    os.environ.setdefault("DBT_LOG_LEVEL_FILE", "none")
    # One target folder for every run (dagster-dbt would make a new one per run, thousands of
    # compiled files each time); dbt keeps its partial-parse state there between runs.
    target = dbt_project.project_dir / "target" / "dagster_run"
    for attempt in range(QUARANTINE_ROUNDS + 1):
        invocation = dbt.cli(["build"], context=context, target_path=target, raise_on_error=False)
        events = list(invocation.stream())
        if invocation.is_successful():
            yield from events
            return
        tests, other = failing_tests(*read_artifacts(target))
        with warehouse.connect(context.run_id) as con:
            tracing = trace(con, tests)
            tracing.unexplained += other
            if not tracing.can_quarantine or attempt == QUARANTINE_ROUNDS:
                break
            for (disclosure_id, version_id), reasons in sorted(tracing.versions.items()):
                quarantine_failing_version(con, disclosure_id, version_id, reasons[0], REJECTED_BY_MODEL_TESTS)
                context.log.warning("quarantined %s version %s: %s", disclosure_id, version_id, "; ".join(reasons))
                progress.info(f"  set aside {disclosure_id}: its rows fail a dbt test; building the county without it")
    yield from events
    raise dg.Failure(
        description="dbt build failed, and no disclosure explains it: "
        + "; ".join(tracing.unexplained or ["the failing tests still fail after quarantine"])
    )
