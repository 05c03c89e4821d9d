"""Great Expectations' Data Docs of the published warehouse, served beside the dashboard.

Each published build carries the Data Docs of its reconciliation suites, a static site at
`<warehouse>.data-docs/` (a link switched with the warehouse file, see
dagster_project/lib/warehouse/publish.py). Streamlit serves no HTML of its own, so the
dashboard's process serves the site from a small HTTP server on a port of its own, started
once per process; it ends with the dashboard. Every request follows the link afresh, so a
new publish is served at once, never a mix of two builds' pages.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import streamlit as st

from dagster_project.lib.warehouse.publish import WarehouseFiles
from dashboard import data


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass  # the dashboard's own log is Streamlit's; a line per page and stylesheet is noise


def site() -> Path:
    """The published build's Data Docs (a link to its directory)."""
    return WarehouseFiles(data.warehouse_path()).data_docs


@st.cache_resource
def _server() -> ThreadingHTTPServer:
    # The link's name, not its target: each request resolves it to the build published now.
    handler = functools.partial(_QuietHandler, directory=str(site()))
    server = ThreadingHTTPServer(("localhost", 0), handler)
    threading.Thread(target=server.serve_forever, name="data-docs", daemon=True).start()
    return server


def url() -> str | None:
    """The Data Docs' index page as the officer's browser reaches it, or None before any
    build has published them."""
    if not (site() / "index.html").exists():
        return None
    host = (st.context.headers.get("Host") or "localhost").rsplit(":", 1)[0]
    return f"http://{host}:{_server().server_port}/index.html"
