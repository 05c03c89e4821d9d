import dagster as dg

from ...lib.quality.reconciliation_suites import RuleVerdict, validate_run
from ...lib.rules import rule_catalogue
from ..resources import WarehouseResource

FINDINGS = dg.AssetKey(["marts", "fct_reconciliation_findings"])
_RULES = {rule.check_name: rule for rule in rule_catalogue()}
# Enough failing evaluations to start from; the findings mart and the Data Docs hold them all.
_LISTED = 20


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            name,
            asset=FINDINGS,
            description=f"{rule.rule_id} ({rule.severity}): {rule.description}. "
            f"Great Expectations suite expectations/reconciliation.{rule.suite}.json",
        )
        for name, rule in _RULES.items()
    ],
    can_subset=True,
)
def reconciliation_rule_checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """One check per rule of docs/rules.md, judged by Great Expectations' reconciliation suites
    over the findings dbt pairs, with the rule's severity. Findings about the documents are
    data the officers read: these checks surface them and never stop the build or its
    publication (not blocking)."""
    files = warehouse.files()
    outcome = validate_run(files, context.op_execution_context.run_id)
    verdicts = {verdict.rule_id: verdict for verdict in outcome.verdicts}
    for key in context.selected_asset_check_keys:
        rule = _RULES[key.name]
        verdict = verdicts.get(rule.rule_id)
        if verdict is None:
            raise RuntimeError(f"the reconciliation suites have no expectation for rule {rule.rule_id}")
        yield _check_result(key.name, verdict, files.data_docs)


def _check_result(check_name: str, verdict: RuleVerdict, data_docs) -> dg.AssetCheckResult:
    failing = [
        {
            "disclosure_id": row["disclosure_id"],
            "source_file": row["source_file"],
            "source_line": row["source_line"],
            "row_ref": row["row_ref"],
            "deviation": row["deviation"],
            "tolerance": row["tolerance"],
        }
        for row in sorted(verdict.failing_findings, key=lambda r: (r["disclosure_id"], r["source_line"] or 0))
    ]
    return dg.AssetCheckResult(
        asset_key=FINDINGS,
        check_name=check_name,
        passed=verdict.success,
        severity=dg.AssetCheckSeverity.WARN if verdict.severity == "warning" else dg.AssetCheckSeverity.ERROR,
        metadata={
            "evaluated": verdict.evaluated,
            "failing": verdict.failing,
            "insufficient_data": verdict.insufficient_data,
            "not_applicable": verdict.not_applicable,
            "failing_disclosures": len({row["disclosure_id"] for row in failing}),
            "failing_findings": dg.MetadataValue.json(failing[:_LISTED]),
            "suite": verdict.suite,
            "data_docs": dg.MetadataValue.path(str(data_docs / "index.html")),
        },
    )
