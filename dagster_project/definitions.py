"""Dagster entry point: everything under defs/, one folder per concept."""

from pathlib import Path

import dagster as dg

from .lib.run_instance import write_events_in_batches

# Every process that loads these definitions (a build, the UI's code server, each run it
# launches) stores a run's per-disclosure events in batches (lib/run_instance.py).
write_events_in_batches()

defs = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
