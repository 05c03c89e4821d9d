"""Slices of a large table for Great Expectations: GX validates pandas frames, which hold every
value as a Python object, so a county's tables are judged a slice at a time. A slice is made of
whole groups (a disclosure version, a disclosure), so expectations that hold within a group
judge a slice as they would the whole table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

Group = TypeVar("Group")


def slices_of(groups: Iterable[tuple[Group, int]], rows_per_slice: int) -> list[list[Group]]:
    """Groups (with their row counts, in order) gathered into slices of about `rows_per_slice`
    rows; a group larger than that is a slice of its own."""
    slices: list[list[Group]] = []
    current: list[Group] = []
    size = 0
    for group, rows in groups:
        if current and size + rows > rows_per_slice:
            slices.append(current)
            current, size = [], 0
        current.append(group)
        size += rows
    return [*slices, current] if current else slices
