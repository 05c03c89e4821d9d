"""The house stays in order: every intermediate model feeds something, every findings model
has the one shape the findings mart unions, lookups are seeds, the rule catalogue in docs/ is
the seed's, and no module grows past what a reviewer reads at once."""

import json
import re

import pytest

from dagster_project.lib.dbt_project import dbt_project
from dagster_project.lib.paths import PROJECT_ROOT
from dagster_project.lib.rules import catalogue_markdown, rule_catalogue

FINDINGS_MART = "fct_reconciliation_findings"
WITHIN_VERSIONS = "int_findings_within_versions"


@pytest.fixture(scope="module")
def models() -> dict[str, dict]:
    """The project's models from dbt's manifest (written by `make setup`)."""
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    return {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "model"}


def _parents(models: dict[str, dict]) -> dict[str, set[str]]:
    """Model name → the names of the models it selects from."""
    by_id = {node["unique_id"]: name for name, node in models.items()}
    return {name: {by_id[p] for p in node["depends_on"]["nodes"] if p in by_id} for name, node in models.items()}


def test_every_intermediate_model_feeds_another_model(models):
    parents = _parents(models)
    used = set().union(*parents.values())
    dangling = [name for name, node in models.items() if node["path"].startswith("intermediate/") and name not in used]
    assert dangling == [], f"intermediate models that nothing reads: {dangling}"


def test_every_findings_model_reaches_the_findings_mart_once(models):
    """Directly, or through the model that keeps the evaluations of one version alone (built
    incrementally by version); never both, which would count its findings twice."""
    parents = _parents(models)
    assert WITHIN_VERSIONS in parents[FINDINGS_MART]
    findings = {name for name in models if name.startswith("int_findings__")}
    assert findings, "no findings models found"
    direct, within = parents[FINDINGS_MART] & findings, parents[WITHIN_VERSIONS] & findings
    assert direct & within == set(), direct & within
    assert findings <= direct | within, findings - direct - within


def test_every_findings_model_ends_through_the_one_macro(models):
    for name, node in models.items():
        if name.startswith("int_findings__"):
            code = node["raw_code"].strip()
            assert node["path"].startswith("intermediate/findings/"), name
            ends_in_macro = re.search(r"final as \((?:\s|--[^\n]*)*\{\{ as_findings\(\[", code)
            assert ends_in_macro, f"{name} does not end in as_findings"
            assert code.endswith("select * from final"), name


def test_no_lookup_table_is_typed_inline(models):
    inline = [name for name, node in models.items() if re.search(r"\(\s*values\b", node["raw_code"])]
    assert inline == [], f"values (...) lookups belong in dbt/seeds: {inline}"


def test_sql_models_stay_readable(models):
    long = {name: node["raw_code"].count("\n") for name, node in models.items() if node["raw_code"].count("\n") > 250}
    assert long == {}


def test_python_modules_stay_readable():
    packages = ["dagster_project", "synthetic", "dashboard", "benchmarks"]
    long = {
        str(path.relative_to(PROJECT_ROOT)): count
        for package in packages
        for path in (PROJECT_ROOT / package).rglob("*.py")
        if (count := path.read_text(encoding="utf-8").count("\n")) > 400
    }
    assert long == {}


def test_the_rule_catalogue_in_docs_is_the_seeds():
    written = (PROJECT_ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert written == catalogue_markdown(), "run: python -m dagster_project.lib.rules > docs/rules.md"


def test_every_rule_is_evaluated_where_the_catalogue_says(models):
    for rule in rule_catalogue():
        assert rule.tolerance and rule.example, rule.rule_id
        code = models[rule.model]["raw_code"]
        assert re.search(rf"\b{re.escape(rule.rule_id)}\b", code), f"{rule.rule_id} is not evaluated in {rule.model}"
