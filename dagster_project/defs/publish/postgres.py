import dagster as dg

from ...lib.warehouse.postgres import READER_ROLE, ServingFailed, serve
from ..resources import PostgresResource, WarehouseResource
from .assets import published_warehouse

SERVED_ON_POSTGRES = dg.AssetKey(["postgres_warehouse"])


@dg.asset(
    key=SERVED_ON_POSTGRES,
    group_name="publish",
    deps=[published_warehouse],
    kinds={"postgres", "dbt"},
)
def postgres_warehouse(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, postgres: PostgresResource
) -> dg.MaterializeResult:
    """The published warehouse served on PostgreSQL for BI tools (lib/warehouse/postgres.py):
    its raw layer copied, the same dbt models and tests built there, and the new schemas put
    in place of the old ones in one transaction, the marts and bi views granted to
    budget_reader. Materialised only by `budgetwh build --target postgres`; a failure here
    leaves both the DuckDB file just published and the schemas served before it as they were.
    """
    target = postgres.target()
    try:
        marts = serve(warehouse.files().published, target)
    except ServingFailed as failure:
        raise dg.Failure(description=str(failure)) from failure
    return dg.MaterializeResult(
        metadata={
            "server": target.describe(),
            "reader_role": READER_ROLE,
            "marts": len(marts),
            "rows": sum(marts.values()),
        }
    )
