import graphlib
import json
import logging
import os
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ...lib.dbt_project import dbt_project, one_dbt_command_at_a_time
from ...lib.dbt_translator import WarehouseTranslator
from ...lib.model_tests import Tracing, failing_tests, read_artifacts, read_run_results, skipped_nodes, trace
from ...lib.paths import DBT_DATABASE_ENV, PROGRESS_LOGGER
from ...lib.quality.worker import prewarmed_set_aside
from ...lib.standing_relations import (
    built_by_project,
    drop_relations_not_built,
    project_fingerprint,
    record_project,
    standing_nodes,
    versions_to_model,
)
from ...lib.warehouse.loader import quarantine_failing_version
from ...lib.warehouse.raw_schema import REJECTED_BY_MODEL_TESTS
from ..resources import WarehouseResource

# One document seldom breaks more than one test; a few rounds cover several bad documents
# found one after another, and bound the build when something else is wrong.
QUARANTINE_ROUNDS = 3
# DuckDB's memory limit (lib/warehouse/connection.py) is dbt's whole process's, shared by the
# threads of its profile: two models computing thousands of versions at once exceeded 600 MB
# at 10,000 disclosures where one at a time spills within it, and was as fast (45.6 s
# against 53.2 s at 1 GB on four threads). A small change keeps the profile's threads: its
# models are light, and one's query overlaps another's Python (10.7 s against 11.7-13.7 s on
# one thread, a no-change build of 1,000 disclosures).
ONE_MODEL_AT_A_TIME_FROM = 2000
# The dbt nodes that are relations in the warehouse, each one asset.
RELATION_TYPES = ("model", "seed", "snapshot")
TRANSLATOR = WarehouseTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=TRANSLATOR,
    pool="warehouse_writer",
)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """dbt build: staging → intermediate → marts, with the reconciliation findings and dbt tests.

    When dbt tests fail, the failing rows are traced to the disclosure versions they come
    from (lib/model_tests.py); those versions are quarantined and the models built again
    without them. Only a failure that no version explains fails the step, and so blocks the
    publish. The events of the build that stands are the ones Dagster records.

    Views and seeds are left as they are when the run's working copy was built by this same
    project (lib/standing_relations.py): every table model and every test runs. The models
    built incrementally by disclosure version (dbt/macros/incremental_by_version.sql) compute
    only the versions they lack, and everything in full when another project built the copy.
    """
    progress = logging.getLogger(PROGRESS_LOGGER)
    # The raw tables must exist for dbt's sources even before a first disclosure arrives.
    warehouse.ensure_raw_schema(context.run_id)
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    whole_project = not _is_subset(context)
    fingerprint = project_fingerprint(dbt_project.project_dir)
    with warehouse.connect(context.run_id, read_only=True) as con:
        standing = standing_nodes(con, manifest, fingerprint) if whole_project else []
        # Incremental models add the versions they lack to rows this same project computed;
        # rows of another project's code are computed again in full.
        incremental = built_by_project(con, fingerprint)
        versions = versions_to_model(con, incremental)
    one_at_a_time = versions >= ONE_MODEL_AT_A_TIME_FROM
    progress.info(
        "  modelling: dbt build (staging → intermediate → marts, reconciliation)"
        + (f"; {len(standing)} views and seeds of this project stand" if standing else "")
        + ("" if incremental else "; incremental models in full")
        + (f"; {versions:,} versions to model, one model at a time" if one_at_a_time else "")
    )
    # dbt runs as a subprocess and reads the working copy's path from its profile's env var:
    # one stable name for every run, so that dbt's partial parse stays valid.
    os.environ[DBT_DATABASE_ENV] = str(warehouse.path_for_dbt(context.run_id))
    # dbt's debug log file costs about 2 s a run; its events still reach the Dagster log.
    # Set DBT_LOG_LEVEL_FILE=debug to have the file back.
    os.environ.setdefault("DBT_LOG_LEVEL_FILE", "none")
    # One target folder for every run (dagster-dbt would make a new one per run, thousands of
    # compiled files each time); dbt keeps its partial-parse state there between runs.
    target = dbt_project.project_dir / "target" / "dagster_run"
    command = [
        "build",
        *_selection_leaving(standing),
        *([] if incremental else ["--full-refresh"]),
        *(["--threads", "1"] if one_at_a_time else []),
    ]

    def waiting() -> None:
        progress.info("  modelling: waiting for another build's dbt command in this project")

    # Modelling a county in full, dbt takes the machine's memory: the GX worker, idle until the
    # findings are judged, waits outside (lib/quality/worker.py, set_aside).
    with one_dbt_command_at_a_time(target, waiting), prewarmed_set_aside(one_at_a_time):
        for attempt in range(QUARANTINE_ROUNDS + 1):
            invocation = dbt.cli(command, context=context, target_path=target, raise_on_error=False)
            events = list(invocation.stream())
            if invocation.is_successful():
                if skipped := skipped_nodes(read_run_results(target)):
                    tracing = Tracing(unexplained=skipped)
                    break
                yield from _with_standing_outputs(manifest, events, standing)
                if whole_project:
                    with warehouse.connect(context.run_id) as con:
                        if dropped := drop_relations_not_built(con, manifest):
                            progress.info(f"  dropped what the dbt project no longer builds: {', '.join(dropped)}")
                        record_project(con, fingerprint)
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
                    progress.info(
                        f"  set aside {disclosure_id}: its rows fail a dbt test; building the county without it"
                    )
        yield from events
        raise dg.Failure(
            description="dbt build failed, and no disclosure explains it: "
            + "; ".join(tracing.unexplained or ["the failing tests still fail after quarantine"])
        )


def _is_subset(context: dg.AssetExecutionContext) -> bool:
    """Whether the run asks for only some of the models or tests (as dagster-dbt decides it)."""
    assets_def = context.assets_def
    return (
        assets_def.keys_by_output_name != assets_def.node_keys_by_output_name
        or assets_def.check_specs_by_output_name != assets_def.node_check_specs_by_output_name
    )


def _selection_leaving(standing: list[str]) -> list[str]:
    """dbt's selection of every node but the standing views and seeds (standing_nodes gives
    all of them or none). Every test still runs, those on views and seeds too: dbt's
    exclusion by materialisation leaves tests selected, and --exclude-resource-type is a
    last filter on the nodes, not a selection their tests follow (an --exclude of the seeds
    would drop the relationships tests that name them). No arguments when nothing stands:
    dbt's default, the whole project."""
    if not standing:
        return []
    return ["--exclude", "config.materialized:view", "--exclude-resource-type", "seed"]


def _with_standing_outputs(manifest: Mapping[str, Any], events: list, standing: list[str]) -> Iterator:
    """dbt's events, with an output for each standing view and seed as dagster-dbt reports a
    node dbt ran: a view reads the tables this run built, a seed holds the project's rows.
    Without them Dagster would skip the publish step that depends on every model. Dagster
    takes a multi-asset's outputs in the order of its graph (a bi view after its mart), so the
    outputs come first, in that order, and the tests' results after them."""
    if not standing:
        yield from events
        return
    relations = [unique_id for unique_id in manifest["parent_map"] if unique_id.split(".")[0] in RELATION_TYPES]
    graph = {
        unique_id: [parent for parent in manifest["parent_map"][unique_id] if parent in relations]
        for unique_id in relations
    }
    order = {
        TRANSLATOR.get_asset_spec(manifest, unique_id, dbt_project).key.to_python_identifier(): position
        for position, unique_id in enumerate(graphlib.TopologicalSorter(graph).static_order())
    }
    outputs = [event for event in events if isinstance(event, dg.Output)]
    for unique_id in standing:
        key = TRANSLATOR.get_asset_spec(manifest, unique_id, dbt_project).key
        outputs.append(
            dg.Output(
                value=None,
                output_name=key.to_python_identifier(),
                metadata={"standing": "left as built by this dbt project; not created again"},
            )
        )
    yield from sorted(outputs, key=lambda output: order[output.output_name])
    yield from (event for event in events if not isinstance(event, dg.Output))
