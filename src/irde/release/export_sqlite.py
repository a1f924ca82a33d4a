"""SQLite export: `irde.sqlite`, every table and list column (long form) with its primary and foreign
keys, the `codebook` and `codes` tables, and full-text search (FTS5) on titles, summaries and
statement texts, for Datasette and any SQL tool.

Types: text, dates (ISO 8601 text) and codes are TEXT, counts INTEGER, coordinates and scores REAL,
flags INTEGER 0/1. Foreign keys are declared (SQLite enforces them with `PRAGMA foreign_keys=ON`);
a list column's foreign key (agreements.signatories → persons) sits on its long-form table. Only the
standard library's `sqlite3` is used; rows are inserted in a fixed order and the file is vacuumed,
so the same tables give the same bytes with the same SQLite library.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from irde.release.export_csv import CODEBOOK_HEADER, CODES_HEADER, codebook_rows
from irde.release.export_frames import FlatFile
from irde.schema.model import Schema

SQL_TYPES = {"string": "TEXT", "date": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
# Full-text search: table -> its text columns.
FTS = {
    "meetings": ("title", "summary", "note"),
    "agreements": ("title", "summary"),
    "allegations": ("title", "summary"),
    "allegation_statements": ("summary", "scope"),
}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _foreign_keys(schema: Schema, f: FlatFile) -> list[str]:
    clauses = []
    if f.list_column is not None:
        parent = ", ".join(map(_quote, f.parent_key))
        clauses.append(f"FOREIGN KEY ({parent}) REFERENCES {_quote(f.table)} ({parent})")
    table = schema.table(f.table)
    for fk in table.foreign_keys:
        if len(fk.fields) != 1:
            continue
        column = fk.fields[0]
        is_list = table.column(column).definition.type == "array"
        if (f.list_column == column) if is_list else (f.list_column is None):
            clauses.append(f"FOREIGN KEY ({_quote(column)}) REFERENCES {_quote(fk.resource)} "
                           f"({', '.join(map(_quote, fk.reference_fields))})")
    return clauses


def create_statement(schema: Schema, f: FlatFile) -> str:
    columns = [f"{_quote(c.name)} {SQL_TYPES[c.type]}{' NOT NULL' if c.required else ''}" for c in f.columns]
    columns.append(f"PRIMARY KEY ({', '.join(map(_quote, f.primary_key))})")
    columns += _foreign_keys(schema, f)
    return f"CREATE TABLE {_quote(f.name)} (\n  " + ",\n  ".join(columns) + "\n)"


def write_sqlite(schema: Schema, files: list[FlatFile], path: Path) -> Path:
    """Write `path` (which must not exist yet)."""
    connection = sqlite3.connect(path)
    try:
        with connection:
            for f in files:
                connection.execute(create_statement(schema, f))
                marks = ", ".join("?" for _ in f.columns)
                connection.executemany(f"INSERT INTO {_quote(f.name)} VALUES ({marks})",
                                       ([_sql_value(r[c]) for c in f.column_names] for r in f.rows))
            connection.execute("CREATE TABLE codebook (" + ", ".join(f"{_quote(c)} TEXT" for c in CODEBOOK_HEADER) +
                               ", PRIMARY KEY (file, field))")
            connection.executemany("INSERT INTO codebook VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   ([_sql_value(v) if not isinstance(v, bool) else str(v).lower() for v in row]
                                    for row in codebook_rows(schema, files)))
            connection.execute("CREATE TABLE codes (" + ", ".join(f"{_quote(c)} TEXT" for c in CODES_HEADER) +
                               ", PRIMARY KEY (vocabulary, code))")
            connection.executemany("INSERT INTO codes VALUES (?, ?, ?, ?)",
                                   ((v.name, c.code, c.label, c.definition)
                                    for v in schema.vocabularies.values() for c in v.codes))
            for table, columns in FTS.items():
                names = ", ".join(map(_quote, columns))
                connection.execute(f"CREATE VIRTUAL TABLE {_quote(table + '_fts')} USING fts5({names}, "
                                   f"content={_quote(table)})")
                connection.execute(f"INSERT INTO {_quote(table + '_fts')} (rowid, {names}) "
                                   f"SELECT rowid, {names} FROM {_quote(table)}")
        connection.execute("VACUUM")
    finally:
        connection.close()
    return path
