"""Reading and checking curated records (`dataset/records/`): the engine behind `irde check` and the
first half of `irde build`.

Each file is parsed by `yamlio`, checked field by field against the schema (`checker`, on top of
`values`), then all files are checked together (`across`: duplicate IDs, references between records,
sources cited with conflicting metadata, rules that span fields). Every problem is collected as
`path:line: field: message` (`problems`); nothing stops at the first one and nothing is written. The
result also holds the curated rows of every table, each with its origin (file and line) so that later
stages can point back at the YAML.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from irde.curation.across import check_across
from irde.curation.checker import FileChecker
from irde.curation.files import (MAX_RECORD_BYTES, display_path, record_files, record_folder, stray_files,
                                 unreadable_reason)
from irde.curation.problems import Collection, Problem, reference_date
from irde.curation.yamlio import parse_bytes
from irde.errors import IrdeError
from irde.schema.guarded import UnsafeFile, read_regular
from irde.schema.model import Schema


def collect(schema: Schema, records_dir: Path, display_base: Path | None = None,
            today: dt.date | None = None) -> Collection:
    """Read and check every record under `records_dir`; return the rows and every problem found."""
    today = today or reference_date()
    display_base = display_base or records_dir.parent.parent
    shown = display_path(records_dir, display_base)
    if not records_dir.is_dir():
        raise IrdeError(shown, "no such folder of records" if not records_dir.exists() else "not a folder")
    layout = [r for r in schema.record_types if r.base != "dataset"]
    if not any(record_files(records_dir, r) for r in layout) and not stray_files(schema, records_dir):
        expected = ", ".join(f"{r.folder}/{'YYYY/' if r.by_year else ''}*.yaml" for r in layout)
        raise IrdeError(shown, f"no record files in this folder (expected {expected})")
    collection = Collection({t: [] for t in schema.tables}, {t: [] for t in schema.tables})
    tree = records_dir.parent
    for record_type in schema.record_types:
        table = schema.table(record_type.table)
        key_column = table.primary_key[0]
        folder = record_folder(records_dir, record_type)
        for path in record_files(records_dir, record_type):
            collection.files += 1
            display = display_path(path, display_base)
            checker = FileChecker(schema, collection, display, today)
            if path.suffix != ".yaml":
                checker.problem(1, "(file)", "record files must end in .yaml")
                continue
            if record_type.by_year and path.parent.parent != folder:
                checker.problem(1, "(file)", f"{record_type.name} records go in {record_type.folder}/YYYY/")
                continue
            if not record_type.by_year and path.parent != folder:
                checker.problem(1, "(file)", f"{record_type.name} records go directly in {record_type.folder}/")
                continue
            reason = unreadable_reason(path, tree)
            if reason is not None:
                checker.problem(1, "(file)", reason)
                continue
            try:
                data = read_regular(path, MAX_RECORD_BYTES)
            except (OSError, UnsafeFile) as exc:
                checker.problem(1, "(file)", f"cannot be read ({getattr(exc, 'strerror', None) or exc})")
                continue
            root, issues = parse_bytes(data)
            for issue in issues:
                checker.problem(issue.line, "(file)", issue.message)
            if root is None:
                continue
            from_path = {key_column: f"{path.parent.name}/{path.stem}"} if record_type.id_from_path else {}
            result = checker.mapping(root, table, from_path, record_type.nested, "")
            if result is None:
                continue
            row, origin = result
            record_id = row.get(key_column)
            if record_id is not None and not from_path and record_id != path.stem:
                line, where = origin.locate(key_column)
                checker.problem(line, where, f"{record_id!r} differs from the file name {path.stem!r}")
            if record_type.by_year and record_id and path.parent.name != record_id[:4]:
                line, where = origin.locate(key_column)
                checker.problem(line, where, f"file is in folder {path.parent.name}/ but the ID starts with {record_id[:4]}")
            collection.rows[table.name].append(row)
            collection.origins[table.name].append(origin)
            checker.nested_lists(root, row, table, record_type.nested, "", origin)
    folders = ", ".join(f"{r.folder}/{'YYYY/' if r.by_year else ''}" for r in layout)
    for path in stray_files(schema, records_dir):
        collection.files += 1
        collection.problems.append(Problem(display_path(path, display_base), 1, "(file)",
                                           f"not in a record folder; record files go in {folders}"))
    check_across(schema, collection)
    collection.problems.sort()
    collection.index(schema)
    return collection
