"""The report a build prints: what the warehouse holds after the run, read from its marts.

Plain SQL over the run's working copy (published or not), opened read-only: disclosures by
year, rejected files, rows per mart, findings by status and severity, the rules failing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .warehouse.connection import connect
from .warehouse.publish import WarehouseFiles


@dataclass
class RuleCheck:
    """A rule's asset check in the run: Great Expectations' verdict as Dagster recorded it."""

    passed: bool
    severity: str  # ERROR (error rules) or WARN (warnings)
    failing_findings: list[dict] = field(default_factory=list)  # disclosure, file, line, row (the first 20)


@dataclass
class BuildSummary:
    success: bool
    disclosures: int = 0
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # file, rejected by, reason
    mart_rows: dict[str, int] = field(default_factory=dict)
    extracted: int = 0
    retired: int = 0
    by_year: list[tuple[int, int]] = field(default_factory=list)
    failing_rules: list[tuple[str, str, int, str]] = field(default_factory=list)  # rule, severity, documents, what
    step_seconds: dict[str, float] = field(default_factory=dict)  # Dagster step → wall seconds
    ingest_seconds: dict[str, float] = field(default_factory=dict)  # extract / load
    findings: list[tuple[str, str, int]] = field(default_factory=list)  # status, severity, count
    failed_steps: list[str] = field(default_factory=list)
    published: Path | None = None  # the file readers open, when this build replaced it
    last_good: Path | None = None  # the file still served when this build did not publish
    rule_checks: dict[str, RuleCheck] = field(default_factory=dict)  # check name (rule_X_5) → outcome
    served_on: str | None = None  # the PostgreSQL server this build was served on (--target postgres)

    def render(self) -> str:
        lines = [f"Build {'succeeded' if self.success else 'FAILED'}."]
        lines += [f"  step failed: {step}" for step in self.failed_steps]
        if self.published:
            lines.append(f"Published: {self.published} (the version it replaced is kept as *.previous.duckdb)")
            site = WarehouseFiles(self.published).data_docs / "index.html"
            if site.exists():
                lines.append(f"Data Docs of the reconciliation suites: {site}")
        elif self.last_good:
            lines.append(f"Not published: readers keep the last good warehouse, {self.last_good}")
        else:
            lines.append("Not published: there is no good warehouse yet")
        if self.served_on:
            lines.append(f"Served on PostgreSQL: {self.served_on}; BI tools read schemas marts and bi")
        lines.append(
            f"Disclosures in the warehouse (current versions): {self.disclosures}"
            f" ({', '.join(f'{year}: {count}' for year, count in self.by_year)})"
        )
        lines.append(
            f"Extracted in this build: {self.extracted}; unchanged and skipped: "
            f"{max(self.disclosures - self.extracted, 0)}; retired (file removed): {self.retired}"
        )
        if self.rejected:
            lines.append(f"Files rejected: {len(self.rejected)}")
            lines += [f"  {key} (by the {by}): {reason}" for key, by, reason in self.rejected]
        if self.mart_rows:
            lines.append("Rows per mart:")
            lines += [f"  marts.{name:<32} {count:>8}" for name, count in self.mart_rows.items()]
        if self.findings:
            lines.append("Reconciliation findings (status × severity):")
            lines += [f"  {status:<18} {severity:<8} {count:>6}" for status, severity, count in self.findings]
        if self.failing_rules:
            lines.append("Rules failing, by documents (see marts.fct_reconciliation_findings for file and line):")
            lines += [
                f"  {rule:<6} {severity:<8} {documents:>4} documents  {what}"
                for rule, severity, documents, what in self.failing_rules
            ]
        if self.rule_checks:
            failing = sorted(_rule_id(name) for name, check in self.rule_checks.items() if not check.passed)
            met = len(self.rule_checks) - len(failing)
            line = f"Great Expectations reconciliation suites: {met} of {len(self.rule_checks)} rule expectations met"
            lines.append(line + (f"; failing: {', '.join(failing)}" if failing else ""))
        return "\n".join(lines)


def _rule_id(check_name: str) -> str:
    return check_name.removeprefix("rule_").replace("_", "-")  # rule_T11_a → T11-a


def summarise(warehouse: Path, summary: BuildSummary, started: datetime) -> None:
    con = connect(warehouse, read_only=True)
    try:
        tables = {
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by table_name"
            ).fetchall()
        }
        summary.mart_rows = {
            name: con.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in sorted(tables)
        }
        summary.extracted = con.execute(
            "select count(*) from raw.disclosures where extracted_at >= ?", [started]
        ).fetchone()[0]
        if "fct_disclosure_versions" in tables:
            summary.by_year = con.execute(
                "select year, count(*) from marts.fct_disclosure_versions where is_current group by year order by year"
            ).fetchall()
            summary.disclosures = sum(count for _, count in summary.by_year)
            summary.retired = con.execute(
                "select count(distinct disclosure_id) from marts.fct_disclosure_versions where is_retired"
            ).fetchone()[0]
        if "fct_reconciliation_findings" in tables:
            summary.findings = con.execute(
                "select status, severity, count(*) from marts.fct_reconciliation_findings group by all order by all"
            ).fetchall()
            summary.failing_rules = con.execute(
                "select rule_id, severity, count(distinct disclosure_id), min(rule_description) "
                "from marts.fct_reconciliation_findings where status = 'fail' "
                "group by rule_id, severity order by severity, 3 desc, rule_id"
            ).fetchall()
        if "fct_rejected_files" in tables:
            summary.rejected = con.execute(
                "select disclosure_id, rejected_by, rejection_reason from marts.fct_rejected_files order by 1"
            ).fetchall()
    finally:
        con.close()
