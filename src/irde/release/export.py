"""`irde export`: the tables in every researcher's format, into `build/export/` (and the release).

    build/export/csv/*.csv          one per table and per list column, codebook.csv, codes.csv
    build/export/stata/*.dta        the same files as labelled Stata datasets
    build/export/irde.sqlite        every table with keys and full-text search
    build/export/metadata.yml       Datasette metadata: `datasette irde.sqlite -m metadata.yml`

Everything is written into a fresh folder beside the target, which then replaces the target, so an
interrupted export leaves the previous one whole; a target folder that `irde export` did not write
(it has no `.irde-export` marker) is refused rather than replaced. The same tables give the same bytes.
This module chooses and replaces the folder; the formats are in `export_csv`, `export_stata`,
`export_sqlite` and `datasette`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from irde.paths import replace_folder
from irde.release.datasette import render_metadata
from irde.release.export_csv import write_csv
from irde.release.export_frames import read_files
from irde.release.export_sqlite import write_sqlite
from irde.release.export_stata import write_stata
from irde.schema.model import Schema

MARKER = ".irde-export"
SQLITE_NAME = "irde.sqlite"
METADATA_NAME = "metadata.yml"


class ExportError(Exception):
    """The export cannot be written; the message says why and what to do."""


def write_exports(schema: Schema, tables_dir: Path, folder: Path) -> None:
    """Write every export format into `folder` (which must be empty or absent)."""
    missing = sorted(name for name in schema.tables if not (Path(tables_dir) / f"{name}.parquet").is_file())
    if missing:
        raise ExportError(f"{tables_dir}: no table(s) {', '.join(missing)}; run `irde build` first")
    files = read_files(schema, tables_dir)
    released = schema.dataset["date_released"]
    stamp = dt.datetime(released.year, released.month, released.day)
    write_csv(schema, files, folder / "csv")
    write_stata(schema, files, folder / "stata", stamp)
    write_sqlite(schema, files, folder / SQLITE_NAME)
    (folder / METADATA_NAME).write_text(render_metadata(schema, files), encoding="utf-8")


def export(schema: Schema, tables_dir: Path, out_dir: Path) -> Path:
    """Write the exports into `out_dir`, replacing a previous export there only once all are written."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not (out_dir / MARKER).is_file() and any(out_dir.iterdir()):
        raise ExportError(f"{out_dir}: exists and was not written by `irde export` (no {MARKER}); "
                          "choose another --out or remove it")

    def fill(staging: Path) -> None:
        write_exports(schema, tables_dir, staging)
        (staging / MARKER).write_text("written by `irde export`; the folder is replaced on the next export\n",
                                      encoding="utf-8")

    replace_folder(out_dir, fill)
    return out_dir
