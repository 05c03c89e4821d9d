"""The dbt project as Dagster sees it. Imported by `dagster-dbt project prepare-and-package`,
so it defines no assets and uses no relative imports."""

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt"


def project_source_files(project_dir: Path = DBT_PROJECT_DIR) -> list[Path]:
    """Every file of the dbt project that shapes its manifest and its relations, in a stable
    order: the project's own folders only (target/ holds thousands of compiled files)."""
    folders = [project_dir / name for name in ("models", "macros", "seeds", "tests")]
    files = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    return files + sorted(path for folder in folders for path in folder.rglob("*") if path.is_file())


@contextmanager
def one_dbt_command_at_a_time(target: Path, waiting: Callable[[], None]) -> Iterator[None]:
    """Hold dbt's target folder for one command at a time, across processes. Every build of a
    checkout runs dbt in the same target folder (its partial-parse state is kept there), and
    two dbt commands writing their compiled SQL and artifacts there at once fail each other
    (an ephemeral model's SQL missing from the other's query): two builds of different
    warehouses from one checkout, `budgetwh watch` beside a `budgetwh build --warehouse ...`.
    The second waits, after `waiting()` says so; the lock goes with the process however it ends."""
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".command.lock", "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
