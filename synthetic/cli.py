"""`budgetwh generate` (also `python -m synthetic`): write a synthetic county under a raw folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .generate import generate_county


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="DIR", help="raw folder to write into (default: the project's raw/)")
    parser.add_argument("--seed", type=int, default=2025, help="seed number: the same seed writes the same county")
    parser.add_argument("--departments", type=int, default=32, help="departments (up to 32)")
    parser.add_argument("--townships", type=int, default=50, help="townships and 街道 (up to 50)")
    parser.add_argument("--years", default="2023-2025", help="a year or a range, e.g. 2023-2025")
    parser.add_argument("--defect-share", type=float, default=0.15, help="share of documents given one defect")


def run(args: argparse.Namespace, default_out: Path) -> int:
    out = Path(args.out).resolve() if args.out else default_out
    first, _, last = args.years.partition("-")
    years = tuple(range(int(first), int(last or first) + 1))
    county = generate_county(out, args.seed, args.departments, args.townships, years, args.defect_share)
    print(
        f"Wrote {len(county.documents)} disclosures to {county.root} "
        f"({len(county.defects)} with an injected defect, {len(county.near_misses)} near misses; "
        f"see {county.root / 'manifest.json'})"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synthetic", description="Write a synthetic county")
    add_arguments(parser)
    # The project's raw/ folder: synthetic/ sits beside it at the top of the repository.
    return run(parser.parse_args(argv), Path(__file__).resolve().parents[1] / "raw")


if __name__ == "__main__":
    sys.exit(main())
