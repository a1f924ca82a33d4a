"""Which files are records: the layout each record type declares, under `dataset/records/` (or, for
the coverage log, under `dataset/`).

Files with another extension or at the wrong depth are returned too, so the checker reports them
instead of ignoring them; only a `README.md` directly in a record type's folder is documentation.
Entries that are not regular files (FIFOs, devices, sockets, folders named `*.yaml`) and symbolic
links are returned as well: `unreadable_reason` says why the checker must not open them, so that a
FIFO cannot hang a verb and a link cannot make it read outside the dataset.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from irde.schema.model import RecordType, Schema

MAX_RECORD_BYTES = 1024 * 1024


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
    strays = sorted(p for p in _entries(folder) if p not in listed)
    return files + strays


def _entries(folder: Path) -> list[Path]:
    """Everything below `folder` that is not a real folder; links to folders are not followed."""
    found = []
    for parent, dirs, names in os.walk(folder):
        base = Path(parent)
        for name in list(dirs):
            if (base / name).is_symlink():
                dirs.remove(name)
                found.append(base / name)
        found += [base / name for name in names]
    return found


def stray_files(schema: Schema, records_dir: Path) -> list[Path]:
    """Entries of `records_dir` outside every record type's folder: loose files and unknown folders."""
    folders = {r.folder.split("/")[0] for r in schema.record_types if r.base != "dataset"}
    strays = []
    if not records_dir.is_dir():
        return strays
    for entry in sorted(records_dir.iterdir()):
        if entry.name == "README.md" and entry.is_file():
            continue
        if entry.is_dir() and not entry.is_symlink():
            if entry.name not in folders:
                strays += sorted(_entries(entry)) or [entry]
        elif entry.name not in folders or entry.is_symlink():
            strays.append(entry)
    return strays


def unreadable_reason(path: Path, tree: Path) -> str | None:
    """Why `path` must not be read as a record (not a regular file, a link out of `tree`, too large), or None."""
    try:
        info = path.lstat()
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "is a broken symbolic link (an editor's lock file?); remove it"
    try:
        target.relative_to(tree.resolve())
    except ValueError:
        return "is a symbolic link leading outside the dataset; records are plain files"
    if stat.S_ISLNK(info.st_mode):
        info = target.stat()
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a record file"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a FIFO, device or socket); records are plain files"
    if info.st_size > MAX_RECORD_BYTES:
        return f"is {info.st_size} bytes long; a record file holds at most {MAX_RECORD_BYTES} bytes"
    return None


def display_path(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)
