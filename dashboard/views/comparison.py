"""Department comparison: rank the county's departments and townships on any measure of
marts.mart_department_comparison, with their shares and change against the prior year."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboard import data
from dashboard.views.common import as_float, county, table_with_downloads, year_picker

MEASURES = {
    "total_expenditure_wan_yuan": "支出合计 (万元)",
    "basic_expenditure_wan_yuan": "基本支出 (万元)",
    "project_expenditure_wan_yuan": "项目支出 (万元)",
    "personnel_wan_yuan": "人员经费 (万元)",
    "three_public_total_wan_yuan": "“三公”经费 (万元)",
    "basic_share_pct": "基本支出占比 (%)",
    "project_share_pct": "项目支出占比 (%)",
    "personnel_share_of_basic_pct": "人员经费占基本支出 (%)",
    "three_public_share_pct": "“三公”经费占比 (%)",
    "change_wan_yuan": "比上年增减 (万元)",
    "change_pct": "比上年增减 (%)",
    "failing_errors": "错误级问题 failing errors",
    "failing_warnings": "警告级问题 failing warnings",
}
KINDS = {"all": "全部 all", "department": "部门 departments", "township": "乡镇街道 townships"}


def render() -> None:
    st.title("部门比较 Department comparison")
    year = year_picker("comparison-year")
    if year is None:
        return
    left, middle, right = st.columns([2, 2, 1])
    measure = left.selectbox("排序指标 Rank by", list(MEASURES), format_func=MEASURES.get, key="comparison-measure")
    kind = middle.radio("类别 Kind", list(KINDS), format_func=KINDS.get, horizontal=True, key="comparison-kind")
    kinds = ["department", "township"] if kind == "all" else [kind]
    top = right.number_input("显示前 Top", min_value=5, max_value=500, value=20, step=5, key="comparison-top")
    frame = data.read(
        f"""
        select unit_name, unit_kind, rank_in_county, {", ".join(MEASURES)}, prior_total_expenditure_wan_yuan,
            disclosure_id
        from marts.mart_department_comparison
        where county_code = ? and year = ? and unit_kind in (select unnest(?::varchar[]))
        order by {measure} desc nulls last, unit_name
        """,
        [county(), year, kinds],
    )
    st.caption(f"{len(frame)} units; ranked by {MEASURES[measure]}")
    shown = frame.head(int(top))
    chart = px.bar(
        as_float(shown, measure),
        x=measure,
        y="unit_name",
        color="unit_kind",
        orientation="h",
        labels={measure: MEASURES[measure], "unit_name": "", "unit_kind": "类别"},
    )
    chart.update_yaxes(categoryorder="total ascending")
    chart.update_layout(height=max(320, 24 * len(shown)), margin={"t": 10})
    st.plotly_chart(chart, width="stretch")
    table_with_downloads(frame, f"department_comparison_{county()}_{year}", "comparison-table")
