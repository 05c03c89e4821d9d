import dagster as dg

from ...lib.rules import rule_catalogue
from ..resources import WarehouseResource

FINDINGS = dg.AssetKey(["marts", "fct_reconciliation_findings"])
_RULES = {rule.check_name: rule for rule in rule_catalogue()}


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(name, asset=FINDINGS, description=f"{rule.rule_id} ({rule.severity}): {rule.description}")
        for name, rule in _RULES.items()
    ],
    can_subset=True,
)
def reconciliation_rule_checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    """One check per rule of docs/rules.md, with the rule's severity. Findings about the documents
    are data the officers read; these checks surface them, they never stop the build."""
    with warehouse.connect(context.op_execution_context.run_id, read_only=True) as con:
        rows = con.execute(
            """
            select rule_id, status, count(*) as findings,
                list(struct_pack(disclosure_id, row_ref, source_file, source_line,
                    expected := cast(expected as varchar), actual := cast(actual as varchar),
                    difference := cast(difference as varchar), message)
                    order by disclosure_id, source_line)
                    filter (where status = 'fail') as failing
            from marts.fct_reconciliation_findings
            group by rule_id, status
            """
        ).fetchall()
    by_rule: dict[str, dict] = {}
    for rule_id, status, findings, failing in rows:
        entry = by_rule.setdefault(rule_id, {"counts": {}, "failing": []})
        entry["counts"][status] = findings
        entry["failing"].extend(failing or [])
    for key in context.selected_asset_check_keys:
        rule = _RULES[key.name]
        entry = by_rule.get(rule.rule_id, {"counts": {}, "failing": []})
        yield dg.AssetCheckResult(
            asset_key=FINDINGS,
            check_name=key.name,
            passed=entry["counts"].get("fail", 0) == 0,
            severity=dg.AssetCheckSeverity.WARN if rule.severity == "warning" else dg.AssetCheckSeverity.ERROR,
            metadata={
                "status_counts": dg.MetadataValue.json(entry["counts"]),
                "failing_findings": dg.MetadataValue.json(entry["failing"][:20]),
            },
        )
