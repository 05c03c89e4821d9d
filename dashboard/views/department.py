"""One department: its figures over the years, its function and economic breakdowns, its
projects with their indicators, and its disclosure's findings."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboard import data
from dashboard.views.common import as_float, county, label, table_with_downloads


def render() -> None:
    st.title("单个部门 One department")
    units = data.read(
        """
        select distinct u.unit_id, u.unit_name
        from marts.fct_department_years y join marts.dim_units u using (unit_id)
        where u.county_code = ? and not y.is_implied_by_next_year
        order by u.unit_name
        """,
        [county()],
    )
    if units.empty:
        st.info("No disclosures for this county yet.")
        return
    names = dict(zip(units["unit_id"], units["unit_name"], strict=True))
    unit = st.selectbox("部门 Department", list(names), format_func=lambda u: f"{names[u]} ({u})", key="department")

    years = data.read(
        """
        select year, total_expenditure_wan_yuan, basic_expenditure_wan_yuan, project_expenditure_wan_yuan,
            three_public_total_wan_yuan, is_implied_by_next_year, disclosure_id
        from marts.fct_department_years where unit_id = ? order by year
        """,
        [unit],
    )
    st.subheader("历年 Over the years")
    long = as_float(years, "basic_expenditure_wan_yuan", "project_expenditure_wan_yuan").melt(
        id_vars=["year"], value_vars=["basic_expenditure_wan_yuan", "project_expenditure_wan_yuan"]
    )
    long["variable"] = long["variable"].map(
        {"basic_expenditure_wan_yuan": "基本支出", "project_expenditure_wan_yuan": "项目支出"}
    )
    chart = px.bar(
        long, x="year", y="value", color="variable", labels={"value": "万元", "year": "年度", "variable": ""}
    )
    chart.update_xaxes(type="category")
    st.plotly_chart(chart, width="stretch")
    table_with_downloads(years, f"department_years_{unit}", "department-years", ("fct_department_years",))

    disclosed = years[~years["is_implied_by_next_year"]]
    year = st.selectbox("年度 Year", disclosed["year"].tolist()[::-1], key="department-year")
    disclosure = disclosed.loc[disclosed["year"] == year, "disclosure_id"].iloc[0]
    st.caption(f"公开文件 Disclosure: `{disclosure}`")

    left, right = st.columns(2)
    with left:
        st.subheader("一般公共预算支出按功能分类 By function class")
        functions = data.read(
            """
            select function_code, function_name, expenditure_kind, amount_wan_yuan, source_line
            from marts.fct_function_expenditures
            where disclosure_id = ? and function_level = 1 and fund_code = 'general_public'
            order by function_code, expenditure_kind
            """,
            [disclosure],
        )
        _class_breakdown(functions, f"functions_{unit}_{year}", "fct_function_expenditures")
    with right:
        st.subheader("基本支出按经济分类 Basic expenditure by economic class")
        economic = data.read(
            """
            select economic_code, economic_name, cost_kind, amount_wan_yuan, source_line
            from marts.fct_basic_expenditures
            where disclosure_id = ? and economic_level = 1
            order by economic_code, cost_kind
            """,
            [disclosure],
        )
        _class_breakdown(economic, f"economic_{unit}_{year}", "fct_basic_expenditures")

    st.subheader("项目 Projects")
    projects = data.read(
        """
        select project_code, project_name, unit_name, total_wan_yuan, fiscal_wan_yuan, other_wan_yuan,
            indicator_count, indicator_weight_total, execution_weight, goal, source_line
        from marts.fct_projects where disclosure_id = ? order by project_code
        """,
        [disclosure],
    )
    table_with_downloads(projects, f"projects_{unit}_{year}", "department-projects", ("fct_projects",))
    if not projects.empty:
        labels = dict(zip(projects["project_code"], projects["project_name"], strict=True))
        project = st.selectbox("项目绩效指标 Indicators of", list(labels), format_func=labels.get, key="project")
        indicators = data.read(
            """
            select indicator_level1, indicator_level2, indicator_name, operator, target_value, measure_unit,
                weight, source_line
            from marts.fct_performance_indicators
            where disclosure_id = ? and project_code = ? order by indicator_order
            """,
            [disclosure, project],
        )
        table_with_downloads(
            indicators, f"indicators_{unit}_{year}_{project}", "department-indicators", ("fct_performance_indicators",)
        )

    st.subheader("核对结果 Findings of this disclosure")
    findings = data.read(
        """
        select rule_id, severity, status, table_id, row_ref, expected, actual, difference, tolerance, measure_unit,
            source_file, source_line, message
        from marts.fct_reconciliation_findings
        where disclosure_id = ? and status in ('fail', 'insufficient_data')
        order by status, severity, rule_id, source_line
        """,
        [disclosure],
    )
    if findings.empty:
        st.success("Every rule that could be evaluated passes.")
    table_with_downloads(findings, f"findings_{unit}_{year}", "department-findings", ("fct_reconciliation_findings",))


def _class_breakdown(frame, name: str, mart: str) -> None:
    """Amounts by 类 (code, name; the frame's first two columns) split by kind (its third): a
    bar per class, and the table."""
    code, title, kind = frame.columns[:3]
    if not frame.empty:
        classes = as_float(frame, "amount_wan_yuan").assign(label=frame[code] + " " + frame[title])
        chart = px.bar(
            classes,
            x="amount_wan_yuan",
            y="label",
            color=kind,
            orientation="h",
            labels={"amount_wan_yuan": label(mart, "amount_wan_yuan"), "label": "", kind: ""},
        )
        st.plotly_chart(chart, width="stretch")
    table_with_downloads(frame, name, name, (mart,))
