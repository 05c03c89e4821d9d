"""The dbt project as Dagster sees it. Imported by `dagster-dbt project prepare-and-package`,
so it defines no assets and uses no relative imports."""

from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt"


def project_source_files(project_dir: Path = DBT_PROJECT_DIR) -> list[Path]:
    """Every file of the dbt project that shapes its manifest and its relations, in a stable
    order: the project's own folders only (target/ holds thousands of compiled files)."""
    folders = [project_dir / name for name in ("models", "macros", "seeds", "tests")]
    files = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    return files + sorted(path for folder in folders for path in folder.rglob("*") if path.is_file())


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
