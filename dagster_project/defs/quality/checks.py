from datetime import UTC, datetime

import dagster as dg

from ...lib.quality import suite_files, validate_database
from ...resources import WarehouseResource


def _suite_specs() -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            "gx_suite",
            asset=dg.AssetKey(["raw", table]),
            blocking=True,
            description=f"Great Expectations suite expectations/raw.{table}.json: extraction integrity",
        )
        for table in suite_files()
    ]


@dg.multi_asset_check(specs=_suite_specs(), can_subset=True)
def raw_table_suites(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """Blocking: a failure here is an extraction bug, and stops the marts from being rebuilt."""
    wanted = {key.asset_key.path[-1] for key in context.selected_asset_check_keys}
    record = context.instance.get_run_record_by_id(context.op_execution_context.run_id)
    started = record.start_time if record and record.start_time else None
    since = datetime.fromtimestamp(started, UTC).replace(tzinfo=None) if started else None
    outcomes = validate_database(warehouse.working_path(context.op_execution_context.run_id), since)
    for outcome in outcomes:
        if outcome.table not in wanted:
            continue
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(["raw", outcome.table]),
            check_name="gx_suite",
            passed=outcome.success,
            metadata={
                "rows_validated": outcome.rows,
                "failed_expectations": len(outcome.failures),
                "failures": dg.MetadataValue.json(outcome.failures),
            },
        )
