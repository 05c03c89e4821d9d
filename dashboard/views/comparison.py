"""Department comparison: rank the county's departments and townships on any measure of
marts.mart_department_comparison, with their shares and change against the prior year."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboard import data
from dashboard.views.common import as_float, county, label, table_with_downloads, year_picker

MART = "mart_department_comparison"
# The measures a user can rank by; each is shown by its label (common.label).
MEASURES = (
    "total_expenditure_wan_yuan",
    "basic_expenditure_wan_yuan",
    "project_expenditure_wan_yuan",
    "personnel_wan_yuan",
    "three_public_total_wan_yuan",
    "basic_share_pct",
    "project_share_pct",
    "personnel_share_of_basic_pct",
    "three_public_share_pct",
    "change_wan_yuan",
    "change_pct",
    "failing_errors",
    "failing_warnings",
)
KINDS = {"all": "全部 all", "department": "部门 departments", "township": "乡镇街道 townships"}


def render() -> None:
    st.title("部门比较 Department comparison")
    year = year_picker("comparison-year")
    if year is None:
        return
    left, middle, right = st.columns([2, 2, 1])
    measure = left.selectbox(
        "排序指标 Rank by", MEASURES, format_func=lambda column: label(MART, column), key="comparison-measure"
    )
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
    st.caption(f"{len(frame)} units; ranked by {label(MART, measure)}")
    shown = frame.head(int(top))
    chart = px.bar(
        as_float(shown, measure),
        x=measure,
        y="unit_name",
        color="unit_kind",
        orientation="h",
        labels={measure: label(MART, measure), "unit_name": "", "unit_kind": label(MART, "unit_kind")},
    )
    chart.update_yaxes(categoryorder="total ascending")
    chart.update_layout(height=max(320, 24 * len(shown)), margin={"t": 10})
    st.plotly_chart(chart, width="stretch")
    table_with_downloads(frame, f"department_comparison_{county()}_{year}", "comparison-table", (MART,))
