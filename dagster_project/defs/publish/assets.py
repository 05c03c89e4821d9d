import logging

import dagster as dg

from ...lib.paths import PROGRESS_LOGGER
from ...lib.quality.reconciliation_suites import validate_run
from ...lib.warehouse.publish import publish
from ..resources import WarehouseResource
from ..transform.assets import warehouse_models


@dg.asset(
    key=dg.AssetKey(["published_warehouse"]),
    group_name="publish",
    deps=list(warehouse_models.keys),
    pool="warehouse_writer",
    kinds={"duckdb"},
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The warehouse file readers open, replaced atomically by this run's working copy.

    It runs only when every model was built and every dbt test and blocking GX suite passed:
    Dagster does not start a step whose upstream failed, so a broken build leaves the last
    good file served. Findings about the documents are data, and do not hold it back; the
    Data Docs of the reconciliation suites (validated once a run, by whichever of this step
    and the rule checks comes first) are published with the file.
    """
    files = warehouse.files()
    logging.getLogger(PROGRESS_LOGGER).info(f"  publishing: {files.published}")
    # The suites judge the findings (in the GX worker) while the marts are exported.
    publish(files, context.run_id, while_exporting=lambda: validate_run(files, context.run_id))
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(files.published)),
            "previous_version": dg.MetadataValue.path(str(files.previous)),
            "parquet_exports": dg.MetadataValue.path(str(files.exports)),
            "data_docs": dg.MetadataValue.path(str(files.data_docs / "index.html")),
            "size_mib": round(files.published.stat().st_size / 2**20, 1),
        }
    )
