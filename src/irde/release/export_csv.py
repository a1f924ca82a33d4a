"""CSV export: one file per table and per list column (long form), `codebook.csv` and `codes.csv`.

Format: UTF-8 without a byte-order mark, RFC 4180 (comma, double-quote quoting where needed, CRLF
line ends), a header row, ISO 8601 dates, `true`/`false` for flags, an empty field for a missing
value, codes as written in the vocabularies (CAMEO codes keep their leading zeros). Nothing is
stringified: lists are in their own files (`irde.release.export_frames`). Writes into a folder it is
given; choosing and replacing that folder is `irde.release.export`'s job.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any, Iterable

from irde.release.export_frames import FlatFile
from irde.schema.model import Schema

CODEBOOK_HEADER = ("table", "file", "field", "type", "required", "description", "vocabulary")
CODES_HEADER = ("vocabulary", "code", "label", "definition")


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def render_csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def codebook_rows(schema: Schema, files: list[FlatFile]) -> list[tuple]:
    rows = []
    for f in files:
        for c in f.columns:
            vocabulary = c.vocabulary or ""
            if not vocabulary and c.name in schema.fields and schema.fields[c.name].codelist:
                vocabulary = schema.fields[c.name].codelist
            rows.append((f.table, f"{f.name}.csv", c.name, c.type, c.required, c.description, vocabulary))
    return rows


def write_csv(schema: Schema, files: list[FlatFile], folder: Path) -> list[Path]:
    """Write every file, `codebook.csv` and `codes.csv` into `folder`; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for f in files:
        path = folder / f"{f.name}.csv"
        path.write_bytes(render_csv(f.column_names, ([r[c] for c in f.column_names] for r in f.rows)))
        written.append(path)
    path = folder / "codebook.csv"
    path.write_bytes(render_csv(CODEBOOK_HEADER, codebook_rows(schema, files)))
    written.append(path)
    path = folder / "codes.csv"
    path.write_bytes(render_csv(CODES_HEADER, ((v.name, c.code, c.label, c.definition)
                                               for v in schema.vocabularies.values() for c in v.codes)))
    written.append(path)
    return written
