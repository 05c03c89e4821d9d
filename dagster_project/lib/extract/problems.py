"""What the extractor could not read: one record per problem, with its line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Something in the source that could not be parsed; the rest of the document still loads."""

    source_file: str
    source_line: int | None
    table_id: str | None
    reason: str
