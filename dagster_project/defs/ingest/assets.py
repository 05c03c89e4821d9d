import logging
import time

import dagster as dg

from ...lib.ingest import ingest_disclosures
from ...lib.paths import PROGRESS_LOGGER
from ...lib.warehouse.raw_schema import FAMILIES, WAREHOUSE_TABLES
from ..resources import WarehouseResource
from .partitions import disclosure_partitions

EXTRACTED = dg.AssetKey(["extracted_disclosures"])
_DESCRIPTIONS = {family.table: family.description for family in FAMILIES} | {
    "disclosures": "One row per extracted disclosure version",
    "rejected_files": "Files that could not be read as a budget disclosure, with the reason",
    "retired_disclosures": "Disclosures whose files left raw/: kept as history, no longer current",
}


@dg.asset(
    key=EXTRACTED,
    group_name="raw",
    partitions_def=disclosure_partitions,
    # A full build of N disclosures is one run over all partitions, not N runs.
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool="warehouse_writer",
    kinds={"python", "duckdb"},
)
def extracted_disclosures(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """One partition per disclosure (its path under raw/): its current version extracted and
    loaded into the raw.* tables, or rejected with the reason.

    The partitions live here, on one asset, and not on each raw table: Dagster records a
    planned and a done event per partition of every partitioned asset in a run, and with
    seventeen partitioned tables that bookkeeping cost three times the extraction and loading
    themselves (issue 12). Per disclosure it is now one event, without metadata; the run's
    figures are one observation of the asset."""
    started = time.perf_counter()
    keys = context.partition_keys
    with warehouse.connect(context.run_id) as con:
        opened = time.perf_counter()
        report = ingest_disclosures(
            con, warehouse.raw_path(), keys, context.log, progress=logging.getLogger(PROGRESS_LOGGER)
        )
    ingested = time.perf_counter()
    # The run's figures are an observation of the asset, once, not metadata of each partition's
    # materialisation: they are the whole run's, and Dagster would copy them onto every one of
    # its thousands of events (a tenth of the cost of each).
    context.log_event(
        dg.AssetObservation(
            asset_key=EXTRACTED,
            metadata={
                "disclosures_loaded": len(report.loaded),
                "disclosures_unchanged": len(report.unchanged),
                "disclosures_retired": len(report.retired),
                "files_rejected": len(report.rejected),
                "rows_written": sum(report.rows.values()),
                "extraction_problems": report.problems,
                "extract_seconds": round(report.extract_seconds, 3),
                "load_seconds": round(report.load_seconds, 3),
                # Reading and hashing the files, the versions already loaded, retiring the gone.
                "prepare_seconds": round(ingested - opened - report.extract_seconds - report.load_seconds, 3),
                # The partition keys, and the run's working copy of the published warehouse.
                "start_seconds": round(opened - started, 3),
            },
        )
    )
    return dg.MaterializeResult()


def _raw_table_specs() -> list[dg.AssetSpec]:
    # Built in a function: a module-level list of specs would be loaded as assets of its own.
    return [
        dg.AssetSpec(
            ["raw", table],
            description=_DESCRIPTIONS[table],
            group_name="raw",
            kinds={"duckdb"},
            deps=[EXTRACTED],
        )
        for table in WAREHOUSE_TABLES
    ]


@dg.multi_asset(specs=_raw_table_specs(), pool="warehouse_writer", can_subset=False)
def raw_disclosure_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """The raw.* tables as the run left them, one asset each (the dbt sources, and what the
    Great Expectations suites check): their rows, all versions kept as history."""
    with warehouse.connect(context.run_id, read_only=True) as con:
        for table in WAREHOUSE_TABLES:
            (rows,) = con.execute(f"select count(*) from raw.{table}").fetchone()
            yield dg.MaterializeResult(asset_key=["raw", table], metadata={"rows": rows})
