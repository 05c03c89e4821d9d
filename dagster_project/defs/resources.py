import sys
from pathlib import Path

import dagster as dg

from ..lib.dbt_project import dbt_project
from ..resources import WarehouseDbtResource, WarehouseResource


@dg.definitions
def resources() -> dg.Definitions:
    # In-process execution: one writer to the DuckDB file at a time, and on 2 cores it is
    # faster than the multiprocess executor (STACK.md: 22 s against 52 s).
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource(),
            "dbt": WarehouseDbtResource(
                project_dir=dbt_project,
                # The dbt installed beside this interpreter, whether or not the venv is activated.
                dbt_executable=str(Path(sys.executable).parent / "dbt"),
            ),
        },
        executor=dg.in_process_executor,
    )
