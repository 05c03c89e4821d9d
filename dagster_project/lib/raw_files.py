"""The disclosures under raw/: `raw/<county_code>/<year>/<file or folder>`.

A file is one disclosure; a folder holds the several files of one disclosure (narrative
and tables published separately). The path relative to raw/ is the disclosure's
partition key and id; the hash of its content identifies the version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = {".txt", ".md", ".pdf", ".docx", ".xlsx", ".xlsm", ".html", ".htm"}


@dataclass(frozen=True)
class RawDisclosure:
    key: str  # path relative to raw/, e.g. 500231/2025/office.txt
    files: tuple[Path, ...]
    county_code: str | None
    year: int | None

    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for path in self.files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()


def _is_visible(path: Path) -> bool:
    return not path.name.startswith((".", "~"))


def discover(raw_dir: Path) -> list[RawDisclosure]:
    """Every disclosure under raw_dir, sorted by key (the order partitions are registered in)."""
    found: list[RawDisclosure] = []
    if not raw_dir.is_dir():
        return found
    for county in sorted(p for p in raw_dir.iterdir() if p.is_dir() and _is_visible(p)):
        for year_dir in sorted(p for p in county.iterdir() if p.is_dir() and _is_visible(p)):
            year = int(year_dir.name) if year_dir.name.isdigit() else None
            for entry in sorted(p for p in year_dir.iterdir() if _is_visible(p)):
                files = (
                    tuple(sorted(f for f in entry.iterdir() if f.is_file() and _is_visible(f)))
                    if entry.is_dir()
                    else (entry,)
                )
                key = entry.relative_to(raw_dir).as_posix()
                found.append(RawDisclosure(key, files, county.name, year))
    return found


def resolve(raw_dir: Path, key: str) -> RawDisclosure:
    entry = raw_dir / key
    parts = Path(key).parts
    files = tuple(sorted(f for f in entry.iterdir() if f.is_file() and _is_visible(f))) if entry.is_dir() else (entry,)
    year = int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else None
    return RawDisclosure(key, files, parts[0] if len(parts) > 2 else None, year)
