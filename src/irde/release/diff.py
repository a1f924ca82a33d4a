"""`irde diff OLD NEW`: what changed between two releases (folders or zips) or two folders of tables.

Per table, by primary key: the records added, removed and changed, and for each changed record the
fields that changed, old → new; tables and columns added or removed are listed too. The output is
Markdown to paste into the changelog (record changes under "Records", column changes under
"Schema"). A public ID (`irde.curation.retired.public_id_tables`) that disappeared without an entry in
retired_ids.yaml, or a retired ID that is back, is a problem, and the verb then exits 1.
Boundary: this compares values only; checksums and conformance to the schema are `irde verify`'s.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from irde.curation.retired import Retired
from irde.errors import reading

Key = tuple


@dataclass
class TableDiff:
    name: str
    key: tuple[str, ...]
    added: list[Key] = field(default_factory=list)
    removed: list[Key] = field(default_factory=list)
    changed: list[tuple[Key, list[tuple[str, Any, Any]]]] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    @property
    def records_changed(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class Diff:
    tables: list[TableDiff]
    tables_added: list[str]
    tables_removed: list[str]


def _read(path: Path):
    import pyarrow.parquet as pq

    from irde.release.verify import MAX_ROWS

    with reading(path):
        if path.is_symlink() or not path.is_file():
            raise ValueError("not a plain file")
        if pq.read_metadata(path).num_rows > MAX_ROWS:
            raise ValueError(f"more than {MAX_ROWS} rows")
        table = pq.read_table(path)
        meta = table.schema.metadata or {}
        key = tuple(json.loads(meta[b"irde:primary_key"])) if b"irde:primary_key" in meta else (table.column_names[0],)
        if not key or not all(isinstance(k, str) and k in table.column_names for k in key):
            raise ValueError(f"its primary key {list(key)!r} names columns it does not have")
        return table, key


def _by_key(table, key: tuple[str, ...]) -> dict[Key, dict[str, Any]]:
    return {tuple(row[k] for k in key): row for row in table.to_pylist()}


def diff_table(name: str, old, new, key: tuple[str, ...]) -> TableDiff:
    """Compare two Arrow tables of the same name by `key`; only columns present in both are compared."""
    result = TableDiff(name, key,
                       columns_added=[c for c in new.column_names if c not in old.column_names],
                       columns_removed=[c for c in old.column_names if c not in new.column_names])
    common = [c for c in new.column_names if c in old.column_names]
    old_rows, new_rows = _by_key(old, key), _by_key(new, key)
    result.added = sorted(set(new_rows) - set(old_rows))
    result.removed = sorted(set(old_rows) - set(new_rows))
    for ident in sorted(set(old_rows) & set(new_rows)):
        fields = [(c, old_rows[ident][c], new_rows[ident][c]) for c in common
                  if old_rows[ident][c] != new_rows[ident][c]]
        if fields:
            result.changed.append((ident, fields))
    return result


def diff_folders(old_dir: Path, new_dir: Path) -> Diff:
    from irde.release.verify import ReleaseError

    for folder in (old_dir, new_dir):
        if not folder.is_dir():
            raise ReleaseError(f"{folder}: not a folder of tables")
    old_names = {p.stem for p in old_dir.glob("*.parquet")}
    new_names = {p.stem for p in new_dir.glob("*.parquet")}
    tables = []
    for name in sorted(old_names & new_names):
        old, _ = _read(old_dir / f"{name}.parquet")
        new, key = _read(new_dir / f"{name}.parquet")
        if not all(k in old.column_names for k in key):
            raise ReleaseError(f"{old_dir / name}.parquet: lacks the key column(s) {', '.join(key)} of the newer table")
        with reading(f"{new_dir / name}.parquet"):
            tables.append(diff_table(name, old, new, key))
    return Diff(tables, sorted(new_names - old_names), sorted(old_names - new_names))


def retirement_problems(diff: Diff, public: dict[str, str], retired: list[Retired]) -> list[str]:
    """IDs of public tables removed without retirement, and retired IDs that came back."""
    listed = {(r.table, r.id): r for r in retired}
    problems = []
    for t in diff.tables:
        if t.name not in public:
            continue
        problems += [f"{t.name}: {k[0]} disappeared but is not listed in retired_ids.yaml"
                     for k in t.removed if (t.name, k[0]) not in listed]
        problems += [f"{t.name}: {k[0]} was retired on {listed[t.name, k[0]].date} and must not be reused"
                     for k in t.added if (t.name, k[0]) in listed]
    return problems


def _show_key(key: Key) -> str:
    return "`" + ", ".join(str(part) for part in key) + "`"


def _show(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return "`" + text.replace("`", "'") + "`"


def _removal_note(table: str, key: Key, listed: dict[tuple[str, str], Retired], public: dict[str, str]) -> str:
    if table not in public:
        return ""
    entry = listed.get((table, key[0]))
    if entry is None:
        return " — **not listed in retired_ids.yaml**"
    merged = f"; merged into `{entry.merged_into}`" if entry.merged_into else ""
    return f" — retired {entry.date}: {entry.reason}{merged}"


def render_markdown(diff: Diff, old_label: str, new_label: str, public: dict[str, str],
                    retired: list[Retired]) -> str:
    listed = {(r.table, r.id): r for r in retired}
    lines = [f"Records, {old_label} → {new_label} (`irde diff`):", ""]
    for t in diff.tables:
        if not t.records_changed:
            continue
        counts = [f"{len(items)} {what}" for items, what in
                  ((t.added, "added"), (t.removed, "removed"), (t.changed, "changed")) if items]
        lines.append(f"- `{t.name}`: {', '.join(counts)}")
        lines += [f"  - added {_show_key(k)}" for k in t.added]
        lines += [f"  - removed {_show_key(k)}{_removal_note(t.name, k, listed, public)}" for k in t.removed]
        for k, fields in t.changed:
            lines.append(f"  - changed {_show_key(k)}:")
            lines += [f"    - `{name}`: {_show(old)} → {_show(new)}" for name, old, new in fields]
    if len(lines) == 2:
        lines.append("- no record was added, removed or changed")
    schema_lines = [f"- table `{name}` added" for name in diff.tables_added]
    schema_lines += [f"- table `{name}` removed" for name in diff.tables_removed]
    for t in diff.tables:
        schema_lines += [f"- `{t.name}`: column `{c}` added" for c in t.columns_added]
        schema_lines += [f"- `{t.name}`: column `{c}` removed" for c in t.columns_removed]
    if schema_lines:
        lines += ["", "Tables and columns:", "", *schema_lines]
    return "\n".join(lines) + "\n"


def diff_releases(old: Path, new: Path, schema_dir: Path | None = None,
                  retired_path: Path | None = None) -> tuple[str, list[str]]:
    """Markdown report and problems for two releases (folders or zips) or folders of tables.

    The public tables and retired IDs come from NEW (its shipped schema and retired_ids.yaml) when
    it is a release, else from the checkout; `schema_dir` and `retired_path` override them.
    """
    from irde.paths import require_root
    from irde.curation.retired import RETIRED_PATH, load_retired, public_id_tables
    from irde.release.verify import release_schema, tables_dir, unpacked

    with ExitStack() as stack:
        old_folder = stack.enter_context(unpacked(old))
        new_folder = stack.enter_context(unpacked(new))
        schema = release_schema(new_folder, schema_dir)
        if retired_path is None:
            shipped = new_folder / "retired_ids.yaml"
            retired_path = shipped if shipped.is_file() else require_root() / RETIRED_PATH
        retired, problems = load_retired(schema, retired_path)
        diff = diff_folders(tables_dir(old_folder), tables_dir(new_folder))
    public = public_id_tables(schema)
    problems += retirement_problems(diff, public, retired)
    return render_markdown(diff, str(old), str(new), public, retired), problems
