"""`dataset/retired_ids.yaml`: the public IDs removed on purpose, and the check of its entries.

IDs are public API (dataset/README.md §4): a record is removed only with its ID listed here, so
that `irde diff` can tell a retirement from an accident. Each entry names the table, the ID, the
date, the reason and, for a duplicate, the ID it merged into. Problems are reported in the
`path:line: field: message` form of `irde check`. This module reads and checks the file; comparing
releases is `irde.release.diff`'s job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from irde.schema import codes
from irde.schema.guarded import UnsafeFile, read_regular
from irde.schema.model import Nested, Schema
from irde.curation.yamlio import Node, parse_bytes

RETIRED_PATH = Path("dataset") / "retired_ids.yaml"
_KEYS = ("table", "id", "date", "reason", "merged_into")
_REQUIRED = ("table", "id", "date", "reason")


@dataclass(frozen=True)
class Retired:
    table: str
    id: str
    date: dt.date
    reason: str
    merged_into: str | None


def public_id_tables(schema: Schema) -> dict[str, str]:
    """Table -> ID column, for the tables of curated records whose rows each carry one public ID."""
    names: list[str] = []

    def walk(nested: tuple[Nested, ...]) -> None:
        for n in nested:
            if n.table:
                names.append(n.table)
            walk(n.nested)

    for record_type in schema.record_types:
        if record_type.id_from_path:
            continue  # a coverage cell's key is its file's path, not an ID a record carries
        names.append(record_type.table)
        walk(record_type.nested)
    return {name: schema.table(name).primary_key[0] for name in names if len(schema.table(name).primary_key) == 1}


def _entry_problems(schema: Schema, tables: dict[str, str], values: dict[str, str | None]) -> dict[str, str]:
    """Key -> message for each bad value of one entry."""
    bad: dict[str, str] = {}
    for key in _REQUIRED:
        if not values.get(key):
            bad[key] = "required"
    table = values.get("table")
    if table and table not in tables:
        bad["table"] = f"{table!r} is not one of {sorted(tables)}"
    elif table:
        column = tables[table]
        pattern = schema.table(table).column(column).definition.pattern
        for key in ("id", "merged_into"):
            if values.get(key) and pattern and not codes.matches_pattern(pattern, values[key]):
                bad[key] = f"{values[key]!r} is not a {column} ({pattern})"
    if values.get("merged_into") and values.get("merged_into") == values.get("id"):
        bad["merged_into"] = "an ID cannot merge into itself"
    if values.get("date"):
        try:
            dt.date.fromisoformat(values["date"])
        except ValueError:
            bad["date"] = f"{values['date']!r} is not YYYY-MM-DD"
    return bad


def load_retired(schema: Schema, path: Path) -> tuple[list[Retired], list[str]]:
    """The valid entries of the file, and one `path:line: field: message` per problem."""
    try:
        data = read_regular(Path(path))
    except (OSError, UnsafeFile) as exc:
        return [], [f"{path}:1: cannot be read: {getattr(exc, 'why', None) or exc.strerror or exc}"]
    root, issues = parse_bytes(data)
    problems = [f"{path}:{i.line}: {i.message}" for i in issues]
    if root is None or problems:
        return [], problems
    if root.kind != "seq":
        return [], [f"{path}:{root.line}: the file is a list of entries (`[]` when none)"]
    tables = public_id_tables(schema)
    entries: list[Retired] = []
    seen: dict[tuple[str, str], int] = {}
    for node in root.value:
        if node.kind != "map":
            problems.append(f"{path}:{node.line}: an entry is a mapping with keys {', '.join(_KEYS)}")
            continue
        fields: dict[str, Node] = node.value
        values = {k: v.value if v.kind == "scalar" else None for k, v in fields.items()}
        bad = {k: "unknown key" for k in fields if k not in _KEYS}
        bad.update(_entry_problems(schema, tables, values))
        for line, key, message in sorted((node.key_lines.get(k, node.line), k, m) for k, m in bad.items()):
            problems.append(f"{path}:{line}: {key}: {message}")
        if bad:
            continue
        ident = (values["table"], values["id"])
        if ident in seen:
            problems.append(f"{path}:{node.line}: id: {ident[1]!r} is already retired at line {seen[ident]}")
            continue
        seen[ident] = node.line
        entries.append(Retired(values["table"], values["id"], dt.date.fromisoformat(values["date"]),
                               values["reason"], values.get("merged_into")))
    return entries, problems



def reused_ids(schema: Schema, entries: list[Retired], collection) -> list:
    """`irde check` problems for records that carry a retired ID: IDs are never reused."""
    from irde.curation.problems import Problem

    retired = {(e.table, e.id): e for e in entries}
    problems = []
    for table, column in public_id_tables(schema).items():
        for row, origin in zip(collection.rows[table], collection.origins[table]):
            entry = retired.get((table, row.get(column)))
            if entry is not None:
                line, where = origin.locate(column)
                problems.append(Problem(origin.path, line, where, f"{entry.id!r} was retired on {entry.date}"
                                        f" ({entry.reason}); IDs are never reused"))
    return problems
