"""Which files are records: the layout each record type declares, under `dataset/records/` (or, for
the coverage log, under `dataset/`).

Files with another extension or at the wrong depth are returned too, so the checker reports them
instead of ignoring them; only a `README.md` directly in a record type's folder is documentation.
"""

from __future__ import annotations

from pathlib import Path

from irde.schema.model import RecordType


def record_folder(records_dir: Path, record_type: RecordType) -> Path:
    """The folder holding a record type's files: under `records_dir`, or beside it for base `dataset`."""
    base = records_dir.parent if record_type.base == "dataset" else records_dir
    return base / record_type.folder


def record_files(records_dir: Path, record_type: RecordType) -> list[Path]:
    folder = record_folder(records_dir, record_type)
    pattern = "*/*.yaml" if record_type.by_year else "*.yaml"
    files = sorted(folder.glob(pattern))
    # Files with another extension or at the wrong depth are reported, not ignored.
    listed = set(files) | {folder / "README.md"}  # built once: a set per path made discovery quadratic
    strays = sorted(p for p in folder.rglob("*") if p.is_file() and p not in listed)
    return files + strays


def display_path(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)
