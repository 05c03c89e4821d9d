"""GX's verdicts on the reconciliation rules: one per rule, made from the suites' results slice by
slice and merged over the county (lib/quality/reconciliation_suites.py)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass
class RuleVerdict:
    """GX's verdict on one rule over every current disclosure."""

    rule_id: str
    severity: str
    suite: str
    success: bool
    evaluated: int  # rows GX judged
    failing: int  # of those, rows whose deviation exceeds the tolerance
    insufficient_data: int  # rows left out: an input the rule needs is missing
    not_applicable: int  # rows left out: nothing in the document the rule applies to
    # Each failing row: finding_id, disclosure_id, source_file, source_line, row_ref, deviation, tolerance.
    failing_findings: list[dict] = field(default_factory=list)


def add_verdict(verdicts: dict[str, RuleVerdict], suite: str, item) -> None:
    """Add one suite result's judgement of a rule to the rule's verdict for the slice."""
    meta = item.expectation_config.meta
    rule_id = meta["rule_id"]
    verdict = verdicts.setdefault(
        rule_id,
        RuleVerdict(
            rule_id=rule_id,
            severity=meta["severity"],
            suite=suite,
            success=True,
            evaluated=0,
            failing=0,
            insufficient_data=0,
            not_applicable=0,
        ),
    )
    verdict.success = verdict.success and bool(item.success)
    verdict.evaluated += int(item.result.get("element_count") or 0)
    verdict.failing += int(item.result.get("unexpected_count") or 0)
    verdict.failing_findings += [located(row) for row in item.result.get("unexpected_index_list") or []]


def merge_verdict(verdicts: dict[str, RuleVerdict], part: RuleVerdict) -> None:
    """Add a slice's verdict on a rule to the county's."""
    verdict = verdicts.setdefault(
        part.rule_id, replace(part, success=True, evaluated=0, failing=0, failing_findings=[])
    )
    verdict.success = verdict.success and part.success
    verdict.evaluated += part.evaluated
    verdict.failing += part.failing
    verdict.failing_findings += part.failing_findings


def located(row: dict) -> dict:
    """A failing row for JSON: the decimals as their exact text, the line as a number (GX
    hands back numpy's integers, which JSON does not know)."""
    for_json = {}
    for key, value in row.items():
        if value is not None and key in ("deviation", "tolerance"):
            value = str(value)
        elif value is not None and key == "source_line":
            value = int(value)
        for_json[key] = value
    return for_json
