"""The catalogue of reconciliation rules (RULES.md), kept once: the dbt seed the models join.

Dagster reads the same file to declare one asset check per rule with its severity; the
rules themselves are evaluated only in the warehouse models.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from .paths import DBT_PROJECT_DIR

RULES_FILE = DBT_PROJECT_DIR / "seeds" / "reconciliation_rules.csv"


@dataclass(frozen=True)
class Rule:
    rule_id: str
    severity: str  # error | warning
    rule_group: str
    description: str

    @property
    def check_name(self) -> str:
        return "rule_" + self.rule_id.replace("-", "_")


def rule_catalogue() -> list[Rule]:
    with RULES_FILE.open(encoding="utf-8") as handle:
        return [Rule(r["rule_id"], r["severity"], r["rule_group"], r["description"]) for r in csv.DictReader(handle)]
