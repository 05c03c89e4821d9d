"""A small warehouse built through the real pipeline, the dashboard served from it by the
real `budgetwh dashboard` command, and Debian's Chromium driving it headless (installed by
`make browser`; without it these tests skip with the reason)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from synthetic.generate import generate_county
from tests.conftest import PROJECT_ROOT, SEED, build_warehouse

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = PROJECT_ROOT / "screenshots"
# A county of 4 departments and 2 townships over two years, beside the real seed.
COUNTY = {"seed": 7, "departments": 4, "townships": 2, "years": (2024, 2025), "defect_share": 0.3}


@pytest.fixture(scope="session")
def dashboard_warehouse(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("dashboard")
    seed_dir = root / "raw" / "500231" / "2025"
    seed_dir.mkdir(parents=True)
    shutil.copy(SEED, seed_dir / SEED.name)
    generate_county(root / "raw", **COUNTY)
    warehouse = root / "warehouse" / "budget.duckdb"
    summary = build_warehouse(root / "raw", warehouse)
    assert summary.success and summary.published == warehouse, summary.render()
    return root / "raw", warehouse


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def dashboard_url(dashboard_warehouse):
    _, warehouse = dashboard_warehouse
    port = _free_port()
    command = [str(Path(sys.executable).parent / "budgetwh"), "dashboard", "--warehouse", str(warehouse)]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false"),
    )
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"the dashboard did not start:\n{server.stdout.read()}")
        time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=20)
    # Stopping the command stops the server itself: nothing is left serving on the port.
    with socket.socket() as probe:
        assert probe.connect_ex(("localhost", port)) != 0, "the dashboard server outlived its command"


@pytest.fixture(scope="session")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="session")
def browser(downloads):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip(f"needs Debian's chromium and chromium-driver ({CHROMIUM}, {CHROMEDRIVER}): run `make browser`")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    # Headless, and no background connections: this machine's network is closed.
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1800",
        "--lang=zh-CN",
    ):
        options.add_argument(argument)
    # The browser's console, for pages that must open without errors (the Data Docs).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    SCREENSHOTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()
