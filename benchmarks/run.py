"""Benchmarks: generate and build synthetic counties of 100 and 1,000 disclosures.

    .venv/bin/python -m benchmarks.run [--sizes 100 1000] [--workdir DIR]

For each size it prints extraction throughput, load, dbt build and checks time, the
end-to-end wall time and peak memory of `budgetwh build`, and the time to rebuild after
one changed disclosure. Each build runs in its own process (GNU time measures it).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic.catalogue import COUNTY_CODE
from synthetic.generate import generate_county

YEARS = (2023, 2024, 2025)


def _timed_build(raw: Path, warehouse: Path) -> dict:
    """Run one build in a child process under GNU time: wall seconds, peak RSS, step timings."""
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
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    result = json.loads(output.strip().splitlines()[-1])
    wall, peak_kib = timing.read_text().split()[-2:]
    return result | {"wall": float(wall), "peak_mib": int(peak_kib) / 1024}


def _change_one(raw: Path) -> None:
    path = sorted((raw / COUNTY_CODE / str(YEARS[-1])).glob("*.txt"))[0]
    path.write_text(
        path.read_text(encoding="utf-8").replace("主要用于年度重点工作", "主要用于年度重点工作和应急保障", 1),
        encoding="utf-8",
    )


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
    _change_one(root / "raw")
    rebuild = _timed_build(root / "raw", root / "budget.duckdb")
    return {"size": len(county.documents), "generate": generate_seconds, "full": full, "rebuild": rebuild}


def report(result: dict) -> str:
    full, rebuild = result["full"], result["rebuild"]
    steps, ingest = full["steps"], full["ingest"]
    extract = ingest.get("extract", 0.0)
    rows = [
        ("disclosures", f"{result['size']}"),
        ("generate", f"{result['generate']:.1f} s"),
        ("extraction", f"{extract:.1f} s ({result['size'] / extract:.0f} disclosures/s)" if extract else "-"),
        ("load (DuckDB raw.*)", f"{ingest.get('load', 0.0):.1f} s"),
        ("ingest step (extract + load + Dagster events)", f"{steps.get('raw_disclosure_tables', 0):.1f} s"),
        ("checks: GX suites", f"{steps.get('raw_table_suites', 0):.1f} s"),
        ("dbt build (models + tests)", f"{steps.get('warehouse_models', 0):.1f} s"),
        ("checks: reconciliation rules", f"{steps.get('reconciliation_rule_checks', 0):.1f} s"),
        ("end-to-end wall (budgetwh build)", f"{full['wall']:.1f} s"),
        ("peak memory", f"{full['peak_mib']:.0f} MiB"),
        (
            "rebuild after one changed disclosure",
            f"{rebuild['wall']:.1f} s (re-extracted {rebuild['extracted']}; "
            f"{rebuild['wall'] / full['wall']:.2f} of the full build)",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"  {name:<{width}}  {value}" for name, value in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--workdir", type=Path, help="where to generate and build (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="budgetwh-bench-") as temporary:
        workdir = args.workdir or Path(temporary)
        for size in args.sizes:
            result = bench(size, workdir)
            if not (result["full"]["success"] and result["rebuild"]["success"]):
                print(f"build of {size} disclosures failed: {result['full']['failed'] or result['rebuild']['failed']}")
                sys.exit(1)
            print(f"County of {result['size']} disclosures ({os.cpu_count()} cores)")
            print(report(result), flush=True)


if __name__ == "__main__":
    main()
