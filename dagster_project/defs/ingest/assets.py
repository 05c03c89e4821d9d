import logging

import dagster as dg

from ...lib.ingest import ingest_disclosures
from ...lib.paths import PROGRESS_LOGGER
from ...lib.warehouse.raw_schema import FAMILIES, WAREHOUSE_TABLES
from ..resources import WarehouseResource
from .partitions import disclosure_partitions

_DESCRIPTIONS = {family.table: family.description for family in FAMILIES} | {
    "disclosures": "One row per extracted disclosure version",
    "rejected_files": "Files that could not be read as a budget disclosure, with the reason",
    "retired_disclosures": "Disclosures whose files left raw/: kept as history, no longer current",
}


def _raw_table_specs() -> list[dg.AssetSpec]:
    # Built in a function: a module-level list of specs would be loaded as assets of its own.
    return [
        dg.AssetSpec(["raw", table], description=_DESCRIPTIONS[table], group_name="raw", kinds={"duckdb", "python"})
        for table in WAREHOUSE_TABLES
    ]


@dg.multi_asset(
    specs=_raw_table_specs(),
    partitions_def=disclosure_partitions,
    # A full build of N disclosures is one run over all partitions, not N runs.
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool="warehouse_writer",
    can_subset=False,
)
def raw_disclosure_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Extract each disclosure of the run's partitions and load its version into raw.*."""
    with warehouse.connect(context.run_id) as con:
        report = ingest_disclosures(
            con, warehouse.raw_path(), context.partition_keys, context.log, progress=logging.getLogger(PROGRESS_LOGGER)
        )
    for table in WAREHOUSE_TABLES:
        yield dg.MaterializeResult(
            asset_key=["raw", table],
            metadata={
                "disclosures_loaded": len(report.loaded),
                "disclosures_unchanged": len(report.unchanged),
                "disclosures_retired": len(report.retired),
                "files_rejected": len(report.rejected),
                "rows_written": report.rows.get(table, 0),
                "extraction_problems": report.problems,
                "extract_seconds": round(report.extract_seconds, 3),
                "load_seconds": round(report.load_seconds, 3),
            },
        )
