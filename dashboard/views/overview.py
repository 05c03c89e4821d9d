"""County overview for a year: totals, expenditure by function class with drill-down
类 → 款 → 项, basic against project expenditure, and 三公 over the years."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboard import data
from dashboard.views.common import as_float, county, table_with_downloads, wan_yuan, year_picker

# Department-level disclosures only: a 部门 disclosure already contains its 单位, so adding
# a unit's own disclosure as well would count it twice.
_TOTALS = """
    select
        count(*) as disclosures,
        sum(total_expenditure_wan_yuan) as total_expenditure_wan_yuan,
        sum(basic_expenditure_wan_yuan) as basic_expenditure_wan_yuan,
        sum(project_expenditure_wan_yuan) as project_expenditure_wan_yuan,
        sum(three_public_total_wan_yuan) as three_public_total_wan_yuan
    from marts.fct_department_years y
    join marts.dim_units u using (unit_id)
    where u.county_code = ? and u.unit_level = 'department' and y.year = ? and not y.is_implied_by_next_year
"""

# T2, the 一般公共预算 expenditure table every template publishes. T8 (all funds) repeats its
# rows where a template has it, so the two are never added together.
_FUNCTION_LEAVES = """
    select
        coalesce(s.class_code || ' ' || s.class_name, left(f.function_code, 3)) as class_name,
        case when f.function_level >= 2
            then coalesce(s.section_code || ' ' || s.section_name, left(f.function_code, 5))
            else coalesce(s.class_name, '') || '（未列款）' end as section_name,
        case when f.function_level = 3 then f.function_code || ' ' || f.function_name
            when f.function_level = 2 then coalesce(s.section_name, f.function_name) || '（未列项）'
            else coalesce(s.class_name, '') || '（未列项）' end as function_name,
        sum(f.amount_wan_yuan) as amount_wan_yuan
    from marts.fct_function_expenditures f
    join marts.dim_units u on f.unit_id = u.unit_id
    left join marts.dim_function_subjects s on f.function_code = s.function_code
    where u.county_code = ? and u.unit_level = 'department' and f.year = ? and f.is_leaf
        and f.fund_code = 'general_public'
    group by all
    having sum(f.amount_wan_yuan) > 0
    order by class_name, section_name, function_name
"""

_THREE_PUBLIC = """
    select t.year, t.item, sum(t.amount_wan_yuan) as amount_wan_yuan
    from marts.fct_three_public_expenses t
    join marts.dim_units u on t.unit_id = u.unit_id
    where u.county_code = ? and u.unit_level = 'department' and t.is_budget_year
    group by all
    order by t.year, t.item
"""

ITEM_NAMES = {
    "overseas": "因公出国(境)费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行费",
    "reception": "公务接待费",
}


def render() -> None:
    st.title("全县概览 County overview")
    year = year_picker("overview-year")
    if year is None:
        return
    totals = data.read(_TOTALS, [county(), year]).iloc[0]
    columns = st.columns(5)
    columns[0].metric("部门公开 Disclosures", int(totals["disclosures"]))
    columns[1].metric("支出合计 Total (万元)", wan_yuan(totals["total_expenditure_wan_yuan"]))
    columns[2].metric("基本支出 Basic (万元)", wan_yuan(totals["basic_expenditure_wan_yuan"]))
    columns[3].metric("项目支出 Project (万元)", wan_yuan(totals["project_expenditure_wan_yuan"]))
    columns[4].metric("“三公”经费 (万元)", wan_yuan(totals["three_public_total_wan_yuan"]))

    st.subheader("一般公共预算支出按功能分类 By function class (click to drill down 类 → 款 → 项)")
    leaves = data.read(_FUNCTION_LEAVES, [county(), year])
    if leaves.empty:
        st.info("No function-class rows for this year.")
    else:
        chart = px.treemap(
            as_float(leaves, "amount_wan_yuan"),
            path=[px.Constant(f"{year} 全县"), "class_name", "section_name", "function_name"],
            values="amount_wan_yuan",
            maxdepth=2,
        )
        chart.update_traces(hovertemplate="%{label}<br>%{value:,.2f} 万元<extra></extra>")
        chart.update_layout(margin={"t": 10, "l": 0, "r": 0, "b": 0}, height=480)
        st.plotly_chart(chart, width="stretch")
        with st.expander("数据 Data"):
            table_with_downloads(
                leaves,
                f"function_classes_{county()}_{year}",
                "overview-functions",
                ("dim_function_subjects", "fct_function_expenditures"),
            )

    left, right = st.columns(2)
    with left:
        st.subheader("基本支出与项目支出 Basic vs project")
        split = data.read(_TOTALS, [county(), year]).melt(
            value_vars=["basic_expenditure_wan_yuan", "project_expenditure_wan_yuan"],
            var_name="kind",
            value_name="amount_wan_yuan",
        )
        split["kind"] = split["kind"].map(
            {"basic_expenditure_wan_yuan": "基本支出", "project_expenditure_wan_yuan": "项目支出"}
        )
        st.plotly_chart(
            px.pie(as_float(split, "amount_wan_yuan").fillna(0), names="kind", values="amount_wan_yuan", hole=0.4),
            width="stretch",
        )
    with right:
        st.subheader("“三公”经费历年 三公 over the years")
        three = data.read(_THREE_PUBLIC, [county()])
        three["item"] = three["item"].map(ITEM_NAMES).fillna(three["item"])
        chart = px.bar(
            as_float(three, "amount_wan_yuan"),
            x="year",
            y="amount_wan_yuan",
            color="item",
            labels={"amount_wan_yuan": "万元", "year": "年度", "item": "项目"},
        )
        chart.update_xaxes(type="category")
        st.plotly_chart(chart, width="stretch")
