"""Great Expectations suites over the raw tables.

Suites are plain JSON in expectations/ (one per raw table, named raw.<table>). GX 1.x
validates pandas frames read from DuckDB here: its SQL route over DuckDB returns empty
metrics (GX issues #10738, #11579). The suites guard extraction's integrity (codes well
formed, amounts present and non-negative where required, no duplicate rows), not the
documents' arithmetic, which the reconciliation rules judge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .paths import EXPECTATIONS_DIR


@dataclass
class SuiteOutcome:
    table: str
    rows: int
    success: bool
    failures: list[dict] = field(default_factory=list)


def suite_files(directory: Path = EXPECTATIONS_DIR) -> dict[str, Path]:
    """raw table name → its suite file."""
    return {path.stem.removeprefix("raw."): path for path in sorted(directory.glob("raw.*.json"))}


def validate_raw_tables(con: duckdb.DuckDBPyConnection, directory: Path = EXPECTATIONS_DIR) -> list[SuiteOutcome]:
    import great_expectations as gx  # 3-5 s to import: only when a check runs
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("warehouse_raw")
    outcomes = []
    for table, path in suite_files(directory).items():
        frame = con.sql(f"select * from raw.{table}").df()
        batch_definition = source.add_dataframe_asset(name=table).add_batch_definition_whole_dataframe("all")
        suite = context.suites.add(gx.ExpectationSuite(**json.loads(path.read_text(encoding="utf-8"))))
        result = batch_definition.get_batch(batch_parameters={"dataframe": frame}).validate(
            suite, result_format="SUMMARY"
        )
        failures = [
            {
                "expectation": item.expectation_config.type,
                "kwargs": {k: v for k, v in item.expectation_config.kwargs.items() if k != "batch_id"},
                "unexpected_count": item.result.get("unexpected_count"),
                "sample": [str(v) for v in (item.result.get("partial_unexpected_list") or [])[:5]],
            }
            for item in result.results
            if not item.success
        ]
        outcomes.append(SuiteOutcome(table, len(frame), result.success, failures))
    return outcomes
