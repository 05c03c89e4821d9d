"""What every page shares: the selected county and year, money formatting, chart frames,
and the CSV / Excel buttons under each table."""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd
import streamlit as st

from dashboard import data

SEVERITY_COLOURS = {"error": "#d62728", "warning": "#ff7f0e"}


def county() -> str:
    return st.session_state["county"]


def years() -> list[int]:
    frame = data.read(
        "select distinct year from marts.fct_department_years y join marts.dim_units u using (unit_id) "
        "where u.county_code = ? and not y.is_implied_by_next_year order by year desc",
        [county()],
    )
    return frame["year"].tolist()


def year_picker(key: str) -> int | None:
    available = years()
    if not available:
        st.info("这个县还没有已发布的预算公开。No disclosures for this county yet.")
        return None
    return st.selectbox("年度 Year", available, key=key)


def as_float(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Charts draw floats; the tables and downloads keep the exact decimals."""
    frame = frame.copy()
    for column in columns:
        frame[column] = pd.to_numeric(frame[column].map(lambda v: float(v) if isinstance(v, Decimal) else v))
    return frame


def wan_yuan(value) -> str:
    """An amount in 万元 as printed in the disclosures: two decimals, thousands separated."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return f"{Decimal(value):,.2f}"


def excel_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()


def label(mart: str, column: str) -> str:
    """A mart column's Chinese label (data.column_labels); the column's own name if it has none."""
    return data.column_labels().get(mart, {}).get(column, column)


def labelled(frame: pd.DataFrame, *marts: str) -> pd.DataFrame:
    """The frame with each column headed by its Chinese label, from the first of marts that
    has the column: what a finance officer reads, on screen and in the downloads."""
    labels = data.column_labels()
    headers = {}
    for column in frame.columns:
        for mart in marts:
            if column in labels.get(mart, {}):
                headers[column] = labels[mart][column]
                break
    return frame.rename(columns=headers)


def table_with_downloads(frame: pd.DataFrame, name: str, key: str, marts: tuple[str, ...]) -> None:
    """The table as shown, headed by the labels of the marts its columns come from, and the
    same rows and headers as CSV and Excel (exact decimals, UTF-8 with BOM so that Excel
    opens Chinese text right)."""
    frame = labelled(frame, *marts)
    st.dataframe(frame, hide_index=True, width="stretch")
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "CSV",
        frame.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}-csv",
        icon=":material/download:",
    )
    right.download_button(
        "Excel",
        excel_bytes(frame, name),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}-xlsx",
        icon=":material/download:",
    )
