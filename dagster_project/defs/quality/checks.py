from datetime import UTC, datetime

import dagster as dg

from ...lib.quality.raw_suites import SuiteOutcome, failing_versions, suite_files, validate_database
from ...lib.warehouse.loader import quarantine_failing_version
from ..resources import WarehouseResource


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
    """Validate the rows this run loaded. A failure is an extraction bug. When every failing
    row belongs to a known disclosure version, those versions are quarantined (rejected by
    the integrity checks, their earlier versions kept) and the check warns: the rest of the
    county goes on to the marts. A failure no version explains is an error, and blocks."""
    run_id = context.op_execution_context.run_id
    wanted = {key.asset_key.path[-1] for key in context.selected_asset_check_keys}
    record = context.instance.get_run_record_by_id(run_id)
    started = record.start_time if record and record.start_time else None
    since = datetime.fromtimestamp(started, UTC).replace(tzinfo=None) if started else None
    outcomes = [
        outcome for outcome in validate_database(warehouse.working_path(run_id), since) if outcome.table in wanted
    ]

    quarantinable = [outcome for outcome in outcomes if outcome.attributable]
    quarantined = failing_versions(quarantinable)
    if quarantined:
        with warehouse.connect(run_id) as con:
            for version in quarantined:
                quarantine_failing_version(con, version.disclosure_id, version.version_id, version.reason)
                context.log.warning(
                    "quarantined %s version %s: %s", version.disclosure_id, version.version_id, version.reason
                )
    for outcome in outcomes:
        yield _check_result(outcome)


def _check_result(outcome: SuiteOutcome) -> dg.AssetCheckResult:
    versions = sorted({f"{row['disclosure_id']} ({row['version_id']})" for row in outcome.offending_rows})
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(["raw", outcome.table]),
        check_name="gx_suite",
        passed=outcome.success,
        # Quarantined versions no longer reach the marts: warn, and let the run go on.
        severity=dg.AssetCheckSeverity.WARN if outcome.attributable else dg.AssetCheckSeverity.ERROR,
        metadata={
            "rows_validated": outcome.rows,
            "failed_expectations": len(outcome.failures),
            "failures": dg.MetadataValue.json(outcome.failures),
            "quarantined_versions": dg.MetadataValue.json(versions if outcome.attributable else []),
        },
    )
