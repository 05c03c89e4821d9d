"""Data quality: the reconciliation findings by rule, severity and department, each with
the source file and line and the expected, actual and difference; and a completeness and
consistency score per department (marts.mart_data_quality); and the files refused
(marts.fct_rejected_files)."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboard import data, data_docs
from dashboard.views.common import SEVERITY_COLOURS, as_float, county, table_with_downloads, year_picker

STATUSES = ["fail", "insufficient_data", "rounding", "pass", "not_applicable"]


def render() -> None:
    st.title("数据质量 Data quality")
    year = year_picker("quality-year")
    if year is None:
        return

    st.subheader("完整性与一致性 Completeness and consistency per department")
    scores = data.read(
        """
        select q.unit_name, q.completeness_pct, q.consistency_pct, q.tables_published, q.tables_list,
            q.evaluations, q.evaluations_passed, q.failing_errors, q.failing_warnings, q.insufficient_data,
            q.extraction_problems, q.disclosure_id
        from marts.mart_data_quality q join marts.dim_units u using (unit_id)
        where u.county_code = ? and q.year = ?
        order by q.consistency_pct, q.completeness_pct, q.unit_name
        """,
        [county(), year],
    )
    table_with_downloads(scores, f"data_quality_{county()}_{year}", "quality-scores", ("mart_data_quality",))

    st.subheader("核对结果 Findings")
    left, middle, right = st.columns(3)
    statuses = left.multiselect("状态 Status", STATUSES, default=["fail"], key="quality-status")
    severities = middle.multiselect(
        "严重程度 Severity", ["error", "warning"], default=["error", "warning"], key="quality-severity"
    )
    rules = data.read("select distinct rule_id from marts.fct_reconciliation_findings order by rule_id")
    chosen_rules = right.multiselect("规则 Rule", rules["rule_id"].tolist(), key="quality-rules")
    findings = data.read(
        """
        select u.unit_name, f.rule_id, f.severity, f.status, f.table_id, f.row_ref,
            f.expected, f.actual, f.difference, f.tolerance, f.measure_unit,
            f.source_file, f.source_line, f.source_page, f.message, f.rule_description
        from marts.fct_reconciliation_findings f join marts.dim_units u on f.unit_id = u.unit_id
        where u.county_code = ? and f.year = ?
            and f.status in (select unnest(?::varchar[]))
            and f.severity in (select unnest(?::varchar[]))
            and (len(?::varchar[]) = 0 or f.rule_id in (select unnest(?::varchar[])))
        order by f.severity, f.rule_id, u.unit_name, f.source_line
        """,
        [county(), year, statuses, severities, chosen_rules, chosen_rules],
    )
    st.caption(f"{len(findings)} findings")
    if not findings.empty:
        by_rule = findings.groupby(["rule_id", "severity"], as_index=False).size()
        chart = px.bar(
            by_rule,
            x="rule_id",
            y="size",
            color="severity",
            color_discrete_map=SEVERITY_COLOURS,
            labels={"size": "findings", "rule_id": ""},
        )
        st.plotly_chart(chart, width="stretch")
        by_unit = findings.groupby(["unit_name", "severity"], as_index=False).size()
        chart = px.bar(
            as_float(by_unit, "size"),
            x="size",
            y="unit_name",
            color="severity",
            color_discrete_map=SEVERITY_COLOURS,
            orientation="h",
            labels={"size": "findings", "unit_name": ""},
        )
        chart.update_yaxes(categoryorder="total ascending")
        chart.update_layout(height=max(300, 22 * by_unit["unit_name"].nunique()))
        st.plotly_chart(chart, width="stretch")
    table_with_downloads(
        findings, f"findings_{county()}_{year}", "quality-findings", ("fct_reconciliation_findings", "dim_units")
    )

    st.subheader("核对规则的验证报告 Data Docs of the reconciliation suites")
    docs = data_docs.url()
    if docs is None:
        st.info("This warehouse was published without Data Docs: rebuild it with `make build`.")
    else:
        st.markdown(
            f"[打开 Great Expectations 数据文档 Open the Data Docs]({docs}): one expectation per rule, "
            "judged by Great Expectations over every finding above, with the failing rows' files and lines."
        )

    st.subheader("未载入的文件 Files refused")
    # raw/ is laid out <county code>/<year>/<file>: a refused file's path names its county.
    refused = data.read(
        """
        select disclosure_id, rejected_by, rejection_reason, rejected_at
        from marts.fct_rejected_files
        where disclosure_id like ? || '/%'
        order by rejected_at desc
        """,
        [county()],
    )
    st.caption(
        "Files the extractor could not read, and versions quarantined because their rows failed an "
        "integrity check; the version loaded before each stays current."
    )
    table_with_downloads(refused, f"refused_files_{county()}", "quality-refused", ("fct_rejected_files",))
