"""The `budgetwh` command line (docs/data-contracts.md).

budgetwh extract FILE...                       one disclosure's figures as JSON on stdout
budgetwh build [--raw DIR] [--warehouse FILE] [--target duckdb|postgres]
                                               build the warehouse from raw/ through Dagster
budgetwh watch [--raw DIR] [--warehouse FILE]  publish each change under raw/ as it lands
budgetwh generate [--out DIR] [--seed N] ...   write a synthetic county
budgetwh sql [-c SQL]                          the DuckDB command line on the warehouse, read-only
budgetwh dashboard [--port N]                  serve the dashboard on localhost
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

from .lib.extract import NotADisclosure, extract_disclosure, headline
from .lib.paths import PROJECT_ROOT, WAREHOUSE_ENV, default_raw_dir, default_warehouse


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def extraction_document(paths: list[Path]) -> dict:
    extraction = extract_disclosure(paths, [str(path) for path in paths])
    tables = []
    for table in extraction.tables:
        rows = [
            dataclasses.asdict(row)
            for family in (
                extraction.summary_cells,
                extraction.subject_cells,
                extraction.three_public_cells,
                extraction.performance_targets,
                extraction.projects,
                extraction.indicators,
                extraction.procurement_items,
            )
            for row in family
            if row.table_id == table.table_id and row.source_file == table.source_file
        ]
        tables.append(dataclasses.asdict(table) | {"rows": rows})
    return {
        "source": extraction.source_files[0] if len(extraction.source_files) == 1 else extraction.source_files,
        "unit_name": extraction.unit_name,
        "year": extraction.year,
        "disclosure_kind": extraction.disclosure_kind,
        "headline": headline(extraction),
        "index": [dataclasses.asdict(entry) for entry in extraction.index],
        "narrative_figures": [dataclasses.asdict(figure) for figure in extraction.figures],
        "tables": tables,
        "problems": [dataclasses.asdict(problem) for problem in extraction.problems],
    }


def _extract(args: argparse.Namespace) -> int:
    paths = [Path(name) for name in args.files]
    for path in paths:
        if not path.is_file():
            print(f"budgetwh extract: {path}: no such file", file=sys.stderr)
            return 2
    try:
        document = extraction_document(paths)
    except NotADisclosure as exc:
        print(f"budgetwh extract: {exc}", file=sys.stderr)
        return 1
    try:
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=_json_default) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (e.g. `| head`) closed the pipe: not an error
        sys.stderr.close()
    return 0


def _show_progress() -> None:
    """Progress lines of a long build on the terminal (stderr), whatever happens to stdout."""
    import logging

    from .lib.paths import PROGRESS_LOGGER

    logger = logging.getLogger(PROGRESS_LOGGER)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _raw_and_warehouse(args: argparse.Namespace) -> tuple[Path, Path] | None:
    """The command's raw folder and warehouse file (the defaults when not given); None, said
    on stderr, when the raw folder does not exist."""
    raw_dir = Path(args.raw).resolve() if args.raw else default_raw_dir()
    warehouse = Path(args.warehouse).resolve() if args.warehouse else default_warehouse()
    if not raw_dir.is_dir():
        print(f"budgetwh {args.command}: {raw_dir}: no such folder", file=sys.stderr)
        return None
    return raw_dir, warehouse


def _build(args: argparse.Namespace) -> int:
    from .build import build_holding_lock
    from .lib.warehouse.publish import BuildInProgress, WarehouseFiles, exclusive_build

    if (paths := _raw_and_warehouse(args)) is None:
        return 2
    raw_dir, warehouse = paths
    try:
        with exclusive_build(WarehouseFiles(warehouse)):
            summary = _build_and_log(raw_dir, warehouse, args, build_holding_lock)
    except BuildInProgress as busy:
        print(f"budgetwh build: {busy}", file=sys.stderr)
        return 2
    print(summary.render())
    return 0 if summary.success else 1


def _build_and_log(raw_dir: Path, warehouse: Path, args: argparse.Namespace, build):
    if args.verbose:
        return build(raw_dir, warehouse, log_level="INFO", record=args.record, target=args.target)
    # dagster-dbt echoes every dbt event to stdout: keep that detail in a log file and the
    # terminal for the summary.
    log_path = warehouse.with_suffix(".build.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"Building {warehouse} from {raw_dir} (details: {log_path}) ...", flush=True)
    _show_progress()
    with log_path.open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        return build(raw_dir, warehouse, log_level="WARNING", record=args.record, target=args.target)


def _watch(args: argparse.Namespace) -> int:
    from .watch import watch

    if (paths := _raw_and_warehouse(args)) is None:
        return 2
    raw_dir, warehouse = paths
    # Each build's detail goes to the log file, as `budgetwh build` keeps it (appended to).
    log_path = warehouse.with_suffix(".build.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    _show_progress()

    def report(line: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {line}", file=sys.__stdout__, flush=True)

    # A service manager stops the watcher with SIGTERM: a build under way completes (or fails
    # as a whole, leaving the published file as it was), then the watcher ends.
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _number, _frame: stop.set())
    report(f"watching {raw_dir} for {warehouse} (details: {log_path})")
    with log_path.open("a", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        # Ctrl-C in the middle of a build ends it there: its working copy is never published.
        with contextlib.suppress(KeyboardInterrupt):
            watch(raw_dir, warehouse, report, target=args.target, stop=stop)
    report("stopped")
    return 0


def _published(args: argparse.Namespace) -> Path:
    return Path(args.warehouse).resolve() if args.warehouse else default_warehouse()


def _sql(args: argparse.Namespace) -> int:
    """The DuckDB command line on the published warehouse, read-only: it never blocks a build."""
    warehouse = _published(args)
    if not warehouse.exists():
        print(f"budgetwh sql: no warehouse at {warehouse}; run `make build` first", file=sys.stderr)
        return 2
    duckdb_cli = Path(sys.executable).parent / "duckdb"
    command = [str(duckdb_cli), "-readonly", str(warehouse)] + (["-c", args.command] if args.command else [])
    return subprocess.call(command)


def _dashboard(args: argparse.Namespace) -> int:
    """Serve the dashboard (dashboard/app.py) on localhost with Streamlit."""
    env = dict(os.environ, **{WAREHOUSE_ENV: str(_published(args))})
    app = PROJECT_ROOT / "dashboard" / "app.py"
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port)]
    command += ["--server.address", "localhost", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    command += ["--client.toolbarMode", "viewer"]  # no "Deploy" button: this app is the bureau's own
    print(f"Dashboard on http://localhost:{args.port} (warehouse {env[WAREHOUSE_ENV]}; Ctrl-C stops it)", flush=True)
    # Streamlit takes this process's place, so that stopping it (Ctrl-C, a signal) stops the
    # server itself and leaves nothing running behind.
    os.execve(command[0], command, env)


def _generate(args: argparse.Namespace) -> int:
    # The generator is a tool of its own (synthetic/), outside the package Dagster loads.
    from synthetic.cli import run

    return run(args, default_raw_dir())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="budgetwh", description="County budget warehouse")
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="extract one disclosure (all its files) to JSON")
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.set_defaults(handler=_extract)
    build = commands.add_parser("build", help="build the warehouse from raw/ through Dagster")
    build.add_argument("--raw", metavar="DIR", help="folder of disclosures (default: raw/)")
    build.add_argument("--warehouse", metavar="FILE", help="DuckDB file (default: warehouse/budget.duckdb)")
    build.add_argument("--verbose", action="store_true", help="show every Dagster and dbt event")
    build.add_argument(
        "--record",
        action="store_true",
        help="record the run in the project's Dagster instance (.dagster_home) for the UI; slower",
    )
    build.add_argument(
        "--target",
        choices=("duckdb", "postgres"),
        default="duckdb",
        help="postgres: also serve the warehouse on PostgreSQL for BI tools (server from BUDGETWH_POSTGRES_URL"
        " or PGHOST, PGUSER, PGDATABASE, ...); the DuckDB file is built and published either way",
    )
    build.set_defaults(handler=_build)
    watching = commands.add_parser(
        "watch", help="publish each change under raw/ as it lands (one process, warm between changes)"
    )
    watching.add_argument("--raw", metavar="DIR", help="folder of disclosures (default: raw/)")
    watching.add_argument("--warehouse", metavar="FILE", help="DuckDB file (default: warehouse/budget.duckdb)")
    watching.add_argument("--target", choices=("duckdb", "postgres"), default="duckdb", help="as for build")
    watching.set_defaults(handler=_watch)
    generate = commands.add_parser("generate", help="write a synthetic county's disclosures and manifest.json")
    from synthetic.cli import add_arguments

    add_arguments(generate)
    generate.set_defaults(handler=_generate)
    sql = commands.add_parser("sql", help="the DuckDB command line on the published warehouse, read-only")
    sql.add_argument("--warehouse", metavar="FILE", help="DuckDB file (default: warehouse/budget.duckdb)")
    sql.add_argument("-c", dest="command", metavar="SQL", help="run this SQL and exit")
    sql.set_defaults(handler=_sql)
    dashboard = commands.add_parser("dashboard", help="serve the dashboard on localhost")
    dashboard.add_argument("--warehouse", metavar="FILE", help="DuckDB file (default: warehouse/budget.duckdb)")
    dashboard.add_argument("--port", type=int, default=8501, help="port (default: 8501)")
    dashboard.set_defaults(handler=_dashboard)
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
