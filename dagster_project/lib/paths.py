"""Where things live. Paths come from this file's location, never the working directory;
the published warehouse file and the raw folder can be moved with BUDGETWH_WAREHOUSE /
BUDGETWH_RAW."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
DAGSTER_HOME = PROJECT_ROOT / ".dagster_home"

WAREHOUSE_ENV = "BUDGETWH_WAREHOUSE"
RAW_ENV = "BUDGETWH_RAW"
# The file dbt writes (dbt/profiles.yml): the working copy of the warehouse being built.
DBT_DATABASE_ENV = "BUDGETWH_DBT_DATABASE"


def default_warehouse() -> Path:
    return Path(os.environ.get(WAREHOUSE_ENV, PROJECT_ROOT / "warehouse" / "budget.duckdb")).resolve()


def default_raw_dir() -> Path:
    return Path(os.environ.get(RAW_ENV, PROJECT_ROOT / "raw")).resolve()


# Progress lines for people watching a build (the CLI prints them; Dagster logs its own events).
PROGRESS_LOGGER = "budgetwh.progress"
