"""Entry point: `budgetwh dashboard` (or `streamlit run dashboard/app.py`).

The frame around every page: which warehouse file is served and when it was published,
and the county the pages show. The pages live in dashboard/views/.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from dashboard import data
from dashboard.views import comparison, department, downloads, overview, quality

st.set_page_config(page_title="县级部门预算仓库", page_icon=":material/account_balance:", layout="wide")

pages = st.navigation(
    [
        st.Page(overview.render, title="全县概览 Overview", url_path="overview", default=True),
        st.Page(comparison.render, title="部门比较 Comparison", url_path="comparison"),
        st.Page(department.render, title="单个部门 Department", url_path="department"),
        st.Page(quality.render, title="数据质量 Data quality", url_path="quality"),
        st.Page(downloads.render, title="下载 Downloads", url_path="downloads"),
    ]
)

version = data.current_version()
with st.sidebar:
    if version is None:
        st.warning(f"No warehouse at {data.warehouse_path()}. {data.WAREHOUSE_ENV_HINT}")
        st.stop()
    published = datetime.fromtimestamp(version.modified_ns / 1e9).strftime("%Y-%m-%d %H:%M:%S")
    st.caption(f"仓库 Warehouse: `{version.path}`  \n发布于 published {published} (read-only)")
    counties = data.read(
        "select county_code, unit_name as county_name, is_synthetic from marts.dim_units "
        "where unit_level = 'county' order by is_synthetic, county_code",
        version=version,
    )
    labels = {
        row.county_code: f"{row.county_name} {row.county_code}" + (" (合成 synthetic)" if row.is_synthetic else "")
        for row in counties.itertuples()
    }
    if not labels:
        st.warning("The warehouse holds no disclosures yet.")
        st.stop()
    # The county travels in the address (?county=500231), so that a view can be shared as a link.
    asked = st.query_params.get("county")
    codes = list(labels)
    chosen = st.selectbox(
        "县 County", codes, index=codes.index(asked) if asked in labels else 0, format_func=labels.get, key="county"
    )
    st.query_params["county"] = chosen

pages.run()
