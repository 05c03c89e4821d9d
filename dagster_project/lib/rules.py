"""The catalogue of reconciliation rules (docs/rules.md), kept once: the dbt seed the models join.

Dagster reads the same file to declare one asset check per rule with its severity, and the
reconciliation expectation suites are generated from it (lib/quality/reconciliation_suites.py);
the rules' arithmetic is done only in the warehouse models. docs/rules.md is generated
from it (`python -m dagster_project.lib.rules > docs/rules.md`; a test keeps the two equal).
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass

from .paths import DBT_PROJECT_DIR

RULES_FILE = DBT_PROJECT_DIR / "seeds" / "reconciliation_rules.csv"


_GROUPS = {
    "within_table": "Within a table",
    "across_tables": "Across tables",
    "narrative": "The narrative against the tables",
    "completeness": "Completeness",
}


@dataclass(frozen=True)
class Rule:
    rule_id: str
    severity: str  # error | warning
    rule_group: str
    description: str
    required_tables: str = ""
    tolerance: str = ""
    example: str = ""
    model: str = ""  # the findings model that evaluates it (column evaluated_in)
    suite: str = ""  # the expectation suite that judges it: expectations/reconciliation.<suite>.json

    @property
    def check_name(self) -> str:
        return "rule_" + self.rule_id.replace("-", "_")


def rule_catalogue() -> list[Rule]:
    with RULES_FILE.open(encoding="utf-8") as handle:
        return [
            Rule(
                r["rule_id"],
                r["severity"],
                r["rule_group"],
                r["description"],
                r["required_tables"],
                r["tolerance"],
                r["example"],
                r["evaluated_in"],
                r["suite"],
            )
            for r in csv.DictReader(handle)
        ]


def catalogue_markdown(rules: list[Rule] | None = None) -> str:
    """docs/rules.md: the catalogue as a reader wants it, grouped, one section per rule."""
    rules = rules if rules is not None else rule_catalogue()
    lines = [
        "# Reconciliation rules",
        "",
        "Generated from `dbt/seeds/reconciliation_rules.csv` by `python -m dagster_project.lib.rules`;",
        "edit the seed, not this file (a test fails when they disagree).",
        "",
        "Severity: **error**, the numbers cannot both be right; **warning**, usually holds and needs",
        "a look. Statuses: `pass`; `rounding` (a difference within the tolerance: the source is",
        "right, its figures were rounded); `fail`; `insufficient_data` (the rule applies but an",
        "input it needs is missing, e.g. a table the 附表 index lists is not published);",
        "`not_applicable` (nothing in the document to which the rule applies). Every rule gets a",
        "status on every disclosure. Sums compare each level with its direct children as stated,",
        "so one wrong cell fails where it breaks, not at every level above. Table ids (T1 … T11)",
        "are explained in [data-contracts.md](data-contracts.md).",
        "",
    ]
    for group, title in _GROUPS.items():
        members = [rule for rule in rules if rule.rule_group == group]
        if not members:
            continue
        lines += [f"## {title}", ""]
        for rule in members:
            lines += [
                f"### {rule.rule_id} ({rule.severity})",
                "",
                rule.description,
                "",
                f"- tables: {rule.required_tables.replace(';', ', ') or 'the narrative, whatever tables it names'}",
                f"- tolerance: {rule.tolerance}",
                f"- example: {rule.example}",
                f"- evaluated in: `dbt/models/intermediate/findings/{rule.model}.sql`",
                f"- judged by: `expectations/reconciliation.{rule.suite}.json`",
                "",
            ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(catalogue_markdown())
