"""`irde build`: curated records -> Arrow tables -> `dataset/parquet/*.parquet`.

The build refuses to write anything while `irde check` finds a problem. Tables are written with
fixed writer options into a fresh folder beside the target, which then replaces the old folder,
so a failed or interrupted build leaves the previous tables untouched; the same records and the
same pinned libraries give byte-identical files.

The build never destroys what it did not write: it replaces only a folder that is new, empty, or
holds its marker file (`MARKER`) and nothing but tables. It holds a lock on the parent folder while
it writes, so two builds cannot interleave, and first clears what killed runs left behind (a staging
folder; an old folder whose replacement never arrived is put back).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from irde.schema.arrow import to_arrow
from irde.tables.derive import deduplicate_sources, fill_derived
from irde.tables.dyads import dyad_rows
from irde.curation.problems import Collection, Problem
from irde.curation.records import collect
from irde.errors import IrdeError
from irde.paths import replace_folder
from irde.schema.model import Schema

MARKER = ".irde-build"
MARKER_TEXT = "Written by `irde build`, which replaces this whole folder on each build.\n"

WRITE_OPTIONS = dict(
    compression="zstd",
    compression_level=9,
    version="2.6",
    data_page_version="1.0",
    use_dictionary=True,
    write_statistics=True,
    coerce_timestamps="us",
    allow_truncated_timestamps=False,
    row_group_size=1_000_000,
)


class BuildError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the records; nothing was written")
        self.problems = problems


def build_tables(schema: Schema, records_dir: Path, collection: Collection | None = None) -> dict[str, pa.Table]:
    """Check the records and return every table in memory; raise BuildError on any problem."""
    collection = collection or collect(schema, records_dir)
    if collection.problems:
        raise BuildError(collection.problems)
    rows = {name: [dict(r) for r in table_rows] for name, table_rows in collection.rows.items()}
    deduplicate_sources(rows)
    for bridge, key in schema.bridges.items():
        rows[bridge] = [dict(t) for t in {(r[key], r["source_id"]): r for r in rows[bridge]}.values()]
    fill_derived(schema, rows)
    if "dyads" in schema.tables:
        rows["dyads"] = dyad_rows(schema, rows)
    return {name: to_arrow(schema, schema.table(name), rows[name]) for name in sorted(schema.tables)}


def check_output_folder(out_dir: Path) -> None:
    """Raise IrdeError unless `out_dir` is new, empty, or a folder this build wrote (marker and tables only)."""
    out_dir = Path(out_dir)
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise IrdeError(str(out_dir), "not a folder; `irde build --out` takes a new or empty folder")
    if not out_dir.exists():
        return
    entries = sorted(out_dir.iterdir())
    if not entries:
        return
    names = {p.name for p in entries}
    if MARKER not in names:
        raise IrdeError(str(out_dir), f"holds files that `irde build` did not write (no {MARKER} marker), e.g."
                        f" {entries[0].name!r}; choose a new or empty folder")
    foreign = [p.name for p in entries
               if p.name != MARKER and not (p.suffix == ".parquet" and p.is_file() and not p.is_symlink())]
    if foreign:
        raise IrdeError(str(out_dir), f"holds {foreign[0]!r}, which `irde build` did not write; move it away"
                        " or choose another folder")


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IrdeError(str(folder), "another `irde build` is writing here; wait for it to finish") from None
        yield
    finally:
        os.close(fd)


def recover(out_dir: Path) -> None:
    """Clear what killed builds left beside `out_dir` (call with the lock held)."""
    parent, name = out_dir.parent, out_dir.name
    for staging in parent.glob(f".{name}-new-*"):
        shutil.rmtree(staging, ignore_errors=True)
    olds = sorted(parent.glob(f".{name}-old-*"), key=lambda p: p.stat().st_mtime)
    if olds and not out_dir.exists():
        olds.pop().rename(out_dir)  # killed between the two renames: the previous tables come back
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)


def write_tables(tables: dict[str, pa.Table], out_dir: Path) -> None:
    """Write every table into `out_dir`, replacing its previous content only once all are written."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)

    def fill(staging: Path) -> None:
        for name, table in tables.items():
            pq.write_table(table, staging / f"{name}.parquet", **WRITE_OPTIONS)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")

    with _locked(out_dir.parent):
        recover(out_dir)
        check_output_folder(out_dir)
        replace_folder(out_dir, fill)


def build(schema: Schema, records_dir: Path, out_dir: Path) -> dict[str, pa.Table]:
    tables = build_tables(schema, records_dir)
    write_tables(tables, out_dir)
    return tables
