# County budget warehouse. Every target installs what it needs first (`setup`), so the
# README's two commands work on a fresh machine with only Python 3.11.

# The interpreter's own path, not a shim's (pyenv): given a path other than the one the venv
# records, uv removes and recreates the venv, 25 s of every make command.
PYTHON ?= $(shell $$(command -v python3.11 || command -v python3) -c 'import sys; print(sys.executable)')
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
BIN := .venv/bin

# The project's own Dagster instance and the venv's tools (dbt among them) on PATH.
export DAGSTER_HOME := $(CURDIR)/.dagster_home
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup browser postgres build test lint dev dashboard docs clean bench bench-pdf

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# Exactly the locked versions (uv.lock): dagster 1.13.27 + dagster-dbt 0.29.27, dbt-core 1.11;
# then the dbt manifest, which the Dagster definitions read when they load; then the scripts
# and stylesheets of GX's Data Docs, once, from the npm registry (lib/quality/data_docs.py). Bytecode is
# compiled at install: where PYTHONDONTWRITEBYTECODE is set (as on these machines) every
# process would otherwise recompile dagster, dbt and GX from source, 5 s a start.
setup: $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	$(BIN)/dagster-dbt project prepare-and-package --file dagster_project/lib/dbt_project.py > /dev/null
	$(BIN)/python -m dagster_project.lib.quality.data_docs

# Build warehouse/budget.duckdb from raw/ through Dagster, and print the summary: the real
# seed and a synthetic county (990001 样例县, generated once, deterministic for its seed).
SYNTHETIC_COUNTY := raw/990001
build: setup
	test -d $(SYNTHETIC_COUNTY) || $(BIN)/budgetwh generate --out raw
	$(BIN)/budgetwh build

# Debian's Chromium, its driver and Chinese fonts, for the dashboard's browser tests.
# Installed once; needs root (as on CI) or an existing install.
BROWSER_PACKAGES := chromium chromium-driver fonts-noto-cjk
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null && \
		dpkg -s fonts-noto-cjk >/dev/null 2>&1; then :; else \
		echo "Installing $(BROWSER_PACKAGES) from Debian's packages"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES) >/dev/null; fi

# Debian's PostgreSQL server, for the tests of the PostgreSQL target (tests/postgres_server.py
# starts one in a temporary directory and stops it). Installed once; needs root or an install.
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; else \
		echo "Installing postgresql from Debian's packages"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends postgresql >/dev/null; fi

# With the server installed, its tests must run: a skip would hide a broken install.
test: lint browser postgres
	BUDGETWH_REQUIRE_POSTGRES=1 $(BIN)/pytest

lint: setup
	$(BIN)/ruff check dagster_project synthetic dashboard tests benchmarks
	$(BIN)/ruff format --check dagster_project synthetic dashboard tests benchmarks
	$(BIN)/sqlfluff lint dbt/models --processes 2

# The Dagster UI on http://localhost:3000 (lineage, partitions, checks, runs).
dev: setup
	$(BIN)/dagster dev

# The dashboard on http://localhost:8501, read-only over warehouse/budget.duckdb.
dashboard: setup
	$(BIN)/budgetwh dashboard

# dbt docs for every model and column on http://localhost:8080, and the Data Docs of the
# reconciliation suites of the published build on http://localhost:8081 (after `make build`;
# Ctrl-C stops both). The catalogue is read from a copy of the published warehouse: dbt
# opens its database for writing, which would lock readers out of the published file.
DOCS_DATABASE := $(CURDIR)/warehouse/work/budget.docs.duckdb
docs: setup
	mkdir -p warehouse/work && cp warehouse/budget.duckdb $(DOCS_DATABASE)
	cd dbt && BUDGETWH_DBT_DATABASE=$(DOCS_DATABASE) $(CURDIR)/$(BIN)/dbt docs generate --profiles-dir . --project-dir .
	@echo "Data Docs (Great Expectations) on http://localhost:8081/index.html, files in warehouse/budget.data-docs/"
	$(BIN)/python -m http.server 8081 --bind localhost --directory warehouse/budget.data-docs > /dev/null 2>&1 & \
		trap "kill $$!" EXIT INT TERM; \
		cd dbt && $(CURDIR)/$(BIN)/dbt docs serve --profiles-dir . --project-dir . --port 8080 --no-browser

clean:
	rm -rf warehouse screenshots dbt/target dbt/logs .dagster_home/storage .dagster_home/history .dagster_home/logs .dagster_home/schedules

# Generate and build counties of 100 and 1,000 disclosures (or SIZES="100 1000 4000"); print
# each phase, load against its floor, peak memory and the one-change rebuild.
SIZES ?= 100 1000
bench: setup
	$(BIN)/python -m benchmarks.run --sizes $(SIZES)

# Disclosures as PDF: the real PDFs of ../shared/ against pdfplumber's own reading of their
# pages, and a county of rendered PDFs extracted and built (benchmarks/pdf.py).
bench-pdf: setup
	$(BIN)/python -m benchmarks.pdf
