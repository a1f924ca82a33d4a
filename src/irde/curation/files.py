"""Which files under `dataset/records/` are records: the layout each record type declares.

Files with another extension or at the wrong depth are returned too, so the checker reports them
instead of ignoring them.
"""

from __future__ import annotations

from pathlib import Path

from irde.schema.model import RecordType


def record_files(records_dir: Path, record_type: RecordType) -> list[Path]:
    folder = records_dir / record_type.folder
    pattern = "*/*.yaml" if record_type.by_year else "*.yaml"
    files = sorted(folder.glob(pattern))
    # Files with another extension or at the wrong depth are reported, not ignored.
    listed = set(files)  # built once: a set per path made discovery quadratic in the number of records
    strays = sorted(p for p in folder.rglob("*") if p.is_file() and p not in listed)
    return files + strays


def display_path(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)
