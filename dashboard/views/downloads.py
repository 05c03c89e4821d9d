"""Downloads: every mart whole, as Parquet (exact decimals and types), CSV or Excel."""

from __future__ import annotations

import io

import pyarrow.parquet as pq
import streamlit as st

from dashboard import data
from dashboard.views.common import excel_bytes, labelled

EXCEL_ROW_LIMIT = 1_048_575  # one header row


def parquet_bytes(name: str) -> bytes:
    table = data.read_arrow(f"select * from marts.{name}")
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def render() -> None:
    st.title("下载 Downloads")
    st.write(
        "Each mart of the published warehouse, whole. CSV and Excel are headed by the columns' Chinese "
        "labels; Parquet keeps the marts' own column names, exact decimals and types, for tools. "
        "Every table on the other pages has its own CSV and Excel buttons."
    )
    marts = data.mart_names()
    titles = data.mart_titles()
    name = st.selectbox(
        "数据集 Mart", marts, format_func=lambda mart: f"{titles.get(mart, mart)} ({mart})", key="download-mart"
    )
    frame = labelled(data.read(f"select * from marts.{name}"), name)
    st.caption(f"marts.{name}: {len(frame)} rows, {len(frame.columns)} columns")
    st.dataframe(frame.head(200), hide_index=True, width="stretch")
    columns = st.columns([1, 1, 1, 3])
    columns[0].download_button(
        "Parquet",
        parquet_bytes(name),
        file_name=f"{name}.parquet",
        mime="application/vnd.apache.parquet",
        key="download-parquet",
        icon=":material/download:",
    )
    columns[1].download_button(
        "CSV",
        frame.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key="download-csv",
        icon=":material/download:",
    )
    if len(frame) <= EXCEL_ROW_LIMIT:
        columns[2].download_button(
            "Excel",
            excel_bytes(frame, name),
            file_name=f"{name}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="download-xlsx",
            icon=":material/download:",
        )
