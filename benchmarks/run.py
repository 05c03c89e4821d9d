"""Benchmarks: generate and build synthetic counties of 100 and 1,000 disclosures.

    .venv/bin/python -m benchmarks.run [--sizes 100 1000] [--workers N] [--workdir DIR]
    make bench SIZES="100 1000 4000"

For each size it prints extraction throughput, load beside its floor (the same rows
inserted from Arrow in one statement), the rest of the ingest step (Dagster's bookkeeping),
dbt build and checks time, the end-to-end wall time and peak memory of `budgetwh build`,
the time to rebuild after one changed disclosure, and the time `budgetwh watch` takes to
publish one changed disclosure from the process it keeps warm between changes. Each build
runs in its own process (GNU time measures it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import psutil

from dagster_project.build import venv_first
from dagster_project.lib.ingest import WORKERS_ENV, extraction_workers, ingest_disclosures
from dagster_project.lib.raw_files import discover
from dagster_project.lib.warehouse.raw_schema import ALL_TABLES
from synthetic.catalogue import COUNTY_CODE
from synthetic.generate import generate_county

YEARS = (2023, 2024, 2025)
# Changes published one after another by `budgetwh watch`: the figure is their median.
WATCHED_CHANGES = 3


def _child_environment() -> dict[str, str]:
    """This environment, with the venv's commands (dbt) first on PATH, as in an activated venv."""
    return dict(os.environ, PATH=venv_first(os.environ.get("PATH", "")))


def _timed_build(raw: Path, warehouse: Path) -> dict:
    """Run one build in a child process under GNU time: wall seconds, peak memory, step timings.

    Two peaks: GNU time's, the largest any one of the build's processes reached (the kernel's
    figure for the build and every child it waited for: the extraction workers, the GX worker,
    the warm dbt), and the sum over all of them at once, sampled while the build runs: what
    the machine must hold for the build."""
    timing = warehouse.with_suffix(".time")
    command = [
        "/usr/bin/time",
        "-f",
        "%e %M",
        "-o",
        str(timing),
        sys.executable,
        "-m",
        "benchmarks.measure_build",
        str(raw),
        str(warehouse),
    ]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=_child_environment())
    with ThreadPoolExecutor(max_workers=1) as pool:
        output = pool.submit(child.communicate)
        together_pss, together_rss = _peak_of_tree(child)
        stdout, _ = output.result()
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command, stdout)
    result = json.loads(stdout.strip().splitlines()[-1])
    wall, peak_kib = timing.read_text().split()[-2:]
    return result | {
        "wall": float(wall),
        "peak_mib": int(peak_kib) / 1024,
        "peak_together_mib": together_pss / 2**20,
        "peak_together_rss_mib": together_rss / 2**20,
        "workers": extraction_workers(),
    }


def _peak_of_tree(child: subprocess.Popen, every: float = 0.2) -> tuple[int, int]:
    """The largest memory (bytes) of a process and its descendants together, sampled until it
    ends, two ways: the sum of their proportional set sizes (a page shared by n processes
    counted 1/n in each: what the machine holds for them; the GX worker's validations run in
    children forked from it, sharing its imported libraries), and the plain sum of their
    resident sets (a shared page counted in every process, an overstatement)."""
    peak_pss = peak_rss = 0
    root = psutil.Process(child.pid)
    while child.poll() is None:
        pss = rss = 0
        try:
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                memory = process.memory_full_info()
                pss, rss = pss + memory.pss, rss + memory.rss
        peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
        time.sleep(every)
    return peak_pss, peak_rss


def _arrow_floor(warehouse: Path) -> tuple[float, int]:
    """What loading the raw tables could cost at best: the same rows, already in Arrow, each
    table inserted into a fresh DuckDB file in one statement. Returns (seconds, rows)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = {table: con.sql(f"select * from raw.{table}").to_arrow_table() for table in ALL_TABLES}
    finally:
        con.close()
    floor = warehouse.with_name("floor.duckdb")
    floor.unlink(missing_ok=True)
    target = duckdb.connect(str(floor))
    try:
        target.execute("create schema raw")
        started = time.perf_counter()
        for table, rows in tables.items():
            target.register("incoming_rows", rows)
            target.execute(f"create table raw.{table} as select * from incoming_rows")
            target.unregister("incoming_rows")
        target.execute("checkpoint")
        seconds = time.perf_counter() - started
    finally:
        target.close()
        floor.unlink(missing_ok=True)
    return seconds, sum(rows.num_rows for rows in tables.values())


# Disclosures extracted once on one worker and once on every core, to measure how extraction
# scales with the workers: enough for the pool's start-up to be amortised as in a county.
SCALING_SAMPLE = 1000


def _worker_scaling(raw: Path, scratch: Path) -> dict:
    """Extraction seconds of the same sample of disclosures (every n-th of the county) on one
    worker (in process, as a small rebuild runs) and on `extraction_workers()`, each loaded
    into a scratch warehouse of its own so that both do the whole ingest."""
    keys = [disclosure.key for disclosure in discover(raw)]
    sample = keys[:: max(1, len(keys) // SCALING_SAMPLE)][:SCALING_SAMPLE]
    seconds = {}
    for workers in sorted({1, extraction_workers()}):
        scratch.unlink(missing_ok=True)
        con = duckdb.connect(str(scratch))
        try:
            seconds[workers] = ingest_disclosures(con, raw, sample, workers=workers).extract_seconds
        finally:
            con.close()
            scratch.unlink(missing_ok=True)
    return {"disclosures": len(sample), "seconds": seconds}


def change_one(raw: Path) -> None:
    path = sorted((raw / COUNTY_CODE / str(YEARS[-1])).glob("*.txt"))[0]
    path.write_text(
        path.read_text(encoding="utf-8").replace("主要用于年度重点工作", "主要用于年度重点工作和应急保障", 1),
        encoding="utf-8",
    )


def _watched_changes(raw: Path, warehouse: Path) -> list[dict]:
    """One change after another published by `budgetwh watch`, in a process of its own
    (benchmarks/measure_watch.py): seconds from the file's write to the build's end, steps."""
    command = [sys.executable, "-m", "benchmarks.measure_watch", str(raw), str(warehouse), str(WATCHED_CHANGES)]
    output = subprocess.run(command, stdout=subprocess.PIPE, text=True, env=_child_environment(), check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def bench(size: int, workdir: Path) -> dict:
    units = math.ceil(size / len(YEARS))
    departments = min(32, units)
    root = workdir / f"county_{size}"
    started = time.perf_counter()
    county = generate_county(
        root / "raw", seed=size, departments=departments, townships=units - departments, years=YEARS
    )
    generate_seconds = time.perf_counter() - started
    full = _timed_build(root / "raw", root / "budget.duckdb")
    if not full["success"]:
        sys.exit(f"the build of {len(county.documents)} disclosures failed: {full['failed']}")
    full["load_floor"], full["raw_rows"] = _arrow_floor(root / "budget.duckdb")
    scaling = _worker_scaling(root / "raw", root / "scaling.duckdb")
    change_one(root / "raw")
    rebuild = _timed_build(root / "raw", root / "budget.duckdb")
    watched = _watched_changes(root / "raw", root / "budget.duckdb")
    return {
        "size": len(county.documents),
        "generate": generate_seconds,
        "full": full,
        "rebuild": rebuild,
        "scaling": scaling,
        "watched": watched,
    }


def report(result: dict) -> str:
    full, rebuild = result["full"], result["rebuild"]
    steps, ingest = full["steps"], full["ingest"]
    extract = ingest.get("extract", 0.0)
    load, floor = ingest.get("load", 0.0), full["load_floor"]
    step = steps.get("extracted_disclosures", 0.0)
    prepare, start = ingest.get("prepare", 0.0), ingest.get("start", 0.0)
    bookkeeping = max(step - extract - load - prepare - start, 0.0)
    rows = [
        ("disclosures", f"{result['size']}"),
        ("generate", f"{result['generate']:.1f} s"),
        (
            f"extraction ({full['workers']} workers)",
            f"{extract:.1f} s ({result['size'] / extract:.0f} disclosures/s)" if extract else "-",
        ),
        *_scaling_rows(result["scaling"]),
        ("load (DuckDB raw.*)", f"{load:.1f} s ({full['raw_rows']:,} rows)"),
        ("  floor: the same rows from Arrow", f"{floor:.2f} s ({load / floor:.1f}x the floor)" if floor else "-"),
        ("ingest step (extract + load + Dagster)", f"{step:.1f} s"),
        ("  reading and hashing the files", f"{prepare:.1f} s"),
        ("  working copy of the published file", f"{start:.1f} s"),
        ("  Dagster's bookkeeping", f"{bookkeeping:.1f} s ({bookkeeping / max(step, 0.001):.0%} of it)"),
        ("raw tables (row counts)", f"{steps.get('raw_disclosure_tables', 0):.1f} s"),
        ("checks: GX suites", f"{steps.get('raw_table_suites', 0):.1f} s"),
        ("dbt build (models + tests)", f"{steps.get('warehouse_models', 0):.1f} s"),
        ("checks: reconciliation rules (GX)", f"{steps.get('reconciliation_rule_checks', 0):.1f} s"),
        ("publish", f"{steps.get('published_warehouse', 0):.1f} s"),
        ("end-to-end wall (budgetwh build)", f"{full['wall']:.1f} s"),
        ("  outside the steps (start-up, run, summary)", f"{full['wall'] - sum(steps.values()):.1f} s"),
        ("peak memory: largest process", f"{full['peak_mib']:.0f} MiB"),
        ("  all the build's processes together", f"{full['peak_together_mib']:.0f} MiB (proportional set sizes)"),
        ("    their resident sets summed", f"{full['peak_together_rss_mib']:.0f} MiB (shared pages in each)"),
        (
            "rebuild after one changed disclosure",
            f"{rebuild['wall']:.1f} s (re-extracted {rebuild['extracted']}; "
            f"{rebuild['wall'] / full['wall']:.2f} of the full build)",
        ),
        *_rebuild_parts(rebuild),
        *_watched_rows(result["watched"], full["wall"]),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"  {name:<{width}}  {value}" for name, value in rows)


def _scaling_rows(scaling: dict) -> list[tuple[str, str]]:
    seconds = scaling["seconds"]
    one, most = seconds[1], seconds[max(seconds)]
    rows = [(f"  the same {scaling['disclosures']} disclosures on 1 worker", f"{one:.1f} s")]
    if max(seconds) > 1:
        rows.append((f"  on {max(seconds)} workers", f"{most:.1f} s ({one / most:.2f}x one worker)"))
    return rows


def _rebuild_parts(rebuild: dict) -> list[tuple[str, str]]:
    """Where the one-change rebuild's time goes: each step, and what is outside them."""
    steps = rebuild["steps"]
    parts = [
        ("ingest step", "extracted_disclosures"),
        ("GX suites on the raw tables", "raw_table_suites"),
        ("dbt build", "warehouse_models"),
        ("publish", "published_warehouse"),
    ]
    rows = [(f"  {name}", f"{steps.get(step, 0.0):.1f} s") for name, step in parts]
    outside = rebuild["wall"] - sum(steps.values())
    return [*rows, ("  start-up, run and summary", f"{outside:.1f} s")]


def _watched_rows(watched: list[dict], full_wall: float) -> list[tuple[str, str]]:
    """The median of the changes `budgetwh watch` published, and where its time went."""
    ordered = sorted(watched, key=lambda change: change["seconds"])
    median = ordered[len(ordered) // 2]
    each = ", ".join(f"{change['seconds']:.1f}" for change in watched)
    rows = [
        (
            "one change published by budgetwh watch",
            f"{median['seconds']:.1f} s (median of {each} s; {median['seconds'] / full_wall:.2f} of the full build)",
        )
    ]
    parts = _rebuild_parts({"steps": median["steps"], "wall": median["seconds"]})
    return [*rows, *parts[:-1], ("  noticing the change, run and summary", parts[-1][1])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--workers", type=int, help="extraction processes (default: every core)")
    parser.add_argument("--workdir", type=Path, help="where to generate and build (default: a temporary folder)")
    args = parser.parse_args()
    if args.workers:
        os.environ[WORKERS_ENV] = str(args.workers)
    with tempfile.TemporaryDirectory(prefix="budgetwh-bench-") as temporary:
        workdir = args.workdir or Path(temporary)
        for size in args.sizes:
            result = bench(size, workdir)
            if not (result["full"]["success"] and result["rebuild"]["success"]) or not all(
                change["published"] for change in result["watched"]
            ):
                print(f"build of {size} disclosures failed: {result['full']['failed'] or result['rebuild']['failed']}")
                sys.exit(1)
            print(f"County of {result['size']} disclosures ({os.cpu_count()} cores)")
            print(report(result), flush=True)


if __name__ == "__main__":
    main()
