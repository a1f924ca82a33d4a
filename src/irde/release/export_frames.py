"""The flat shape every export shares: each table without its list columns, plus one long-form
bridge file per list column.

A list column `meetings.countries_present` becomes the file `meetings_countries_present`, one row per
item with the parent's primary key, the item's `position` (from 1, in the list's order) and the item
under the column's own name, so a list can be rebuilt exactly (`rebuild_lists`) and no export ever
holds a stringified array. Values are plain Python (str, int, float, bool, datetime.date, None); the
writers (CSV, Stata, SQLite) only format them. This module reads Parquet and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from irde.schema.model import Column, Schema, Table

POSITION = "position"


@dataclass(frozen=True)
class FlatColumn:
    name: str
    type: str                # string, date, integer, number, boolean (a list item's type for bridge files)
    description: str
    vocabulary: str | None   # coded columns: the vocabulary of their codes
    required: bool


@dataclass(frozen=True)
class FlatFile:
    """One exported file: a table without its lists, or the long form of one list column."""

    name: str                          # file stem: the table name, or TABLE_COLUMN for a list column
    table: str
    title: str
    description: str
    primary_key: tuple[str, ...]
    columns: tuple[FlatColumn, ...]
    rows: list[dict[str, Any]]
    list_column: str | None = None     # the list column a bridge file holds
    parent_key: tuple[str, ...] = ()   # a bridge file's key into its table

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _flat(column: Column) -> FlatColumn:
    d = column.definition
    return FlatColumn(column.name, d.type, d.description, d.vocabulary, column.required)


def _item(column: Column) -> FlatColumn:
    d = column.definition
    return FlatColumn(column.name, d.item_type or "string", d.description, d.item_vocabulary, True)


def table_files(schema: Schema, table: Table, rows: list[dict[str, Any]]) -> list[FlatFile]:
    """The table's own file, then one bridge file per list column, in schema order."""
    scalars = [c for c in table.columns if c.definition.type != "array"]
    lists = [c for c in table.columns if c.definition.type == "array"]
    keys = [table.column(k) for k in table.primary_key]
    files = [FlatFile(table.name, table.name, table.title, table.description, table.primary_key,
                      tuple(_flat(c) for c in scalars), [{c.name: r[c.name] for c in scalars} for r in rows])]
    for column in lists:
        key_columns = tuple(_flat(k) for k in keys)
        position = FlatColumn(POSITION, "integer", f"Position of the item in {table.name}.{column.name}, from 1.",
                              None, True)
        long_rows = [{**{k.name: r[k.name] for k in keys}, POSITION: i, column.name: item}
                     for r in rows for i, item in enumerate(r[column.name] or [], start=1)]
        files.append(FlatFile(f"{table.name}_{column.name}", table.name,
                              f"{table.title}: {column.name.replace('_', ' ')}",
                              f"Long form of the list column {table.name}.{column.name}: one row per item.",
                              (*table.primary_key, POSITION), (*key_columns, position, _item(column)), long_rows,
                              column.name, table.primary_key))
    return files


def read_files(schema: Schema, tables_dir: Path) -> list[FlatFile]:
    """Every table of the schema read from `tables_dir`, flattened, in table-name order."""
    files = []
    for name in sorted(schema.tables):
        rows = pq.read_table(Path(tables_dir) / f"{name}.parquet").to_pylist()
        files += table_files(schema, schema.table(name), rows)
    return files


def rebuild_lists(table: Table, base: list[dict[str, Any]], bridges: dict[str, list[dict[str, Any]]]) -> list[dict]:
    """Rows of `table` with each list column rebuilt from its long form (the round trip of `table_files`)."""
    key = table.primary_key
    out = [dict(r) for r in base]
    index = {tuple(r[k] for k in key): r for r in out}
    for column in (c for c in table.columns if c.definition.type == "array"):
        for r in out:
            r[column.name] = []
        for item in sorted(bridges[column.name], key=lambda b: b[POSITION]):
            index[tuple(item[k] for k in key)][column.name].append(item[column.name])
    return out
