"""Checks of one record file's structure: its mappings (known and required fields), its nested lists
(participants, statements) and its inline sources, collecting the rows they give.

Builds on `ValueChecker` (single values); the rules that span records are in `irde.curation.across`.
"""

from __future__ import annotations

from typing import Any

from irde.curation.problems import Origin
from irde.curation.sources import source_id_for
from irde.curation.values import ValueChecker
from irde.curation.yamlio import Node
from irde.schema import codes
from irde.schema.model import Nested, Table


class FileChecker(ValueChecker):
    """Checks one record file and appends its rows and problems to the collection."""

    # -- mappings ---------------------------------------------------------------------------
    def mapping(self, node: Node, table: Table, provided: dict[str, Any], nested: tuple[Nested, ...],
                prefix: str) -> tuple[dict[str, Any], Origin] | None:
        if node.kind != "map":
            self.problem(node.line, prefix.rstrip(".") or "(record)", "expected a mapping of field names to values")
            return None
        curated = [c for c in table.columns if not c.derived and c.name not in provided]
        allowed = {c.name for c in curated} | {n.key for n in nested}
        for key, line in node.key_lines.items():
            if key not in allowed:
                hint = codes.suggest(key, allowed)
                extra = f" (did you mean {hint!r}?)" if hint else ""
                self.problem(line, f"{prefix}{key}", f"unknown field{extra}")
        row: dict[str, Any] = dict(provided)
        invalid: set[str] = set()
        for column in curated:
            where = f"{prefix}{column.name}"
            child = node.value.get(column.name)
            if child is not None and child.kind == "error":
                invalid.add(column.name)
                row[column.name] = None
                continue
            value = None if child is None else self.value(child, column, where)
            if value is None and child is not None and child.value is not None:
                invalid.add(column.name)
            if value is None and column.required and (child is None or child.value is None):
                if column.name == "end_date":
                    pass  # filled from start_date at build
                else:
                    line = child.line if child is not None else node.line
                    self.problem(line, where, "missing required field" if child is None else "required field is empty")
            row[column.name] = value
        origin = Origin(self.display, node.line, prefix, dict(node.key_lines), invalid)
        return row, origin

    def nested_lists(self, node: Node, row: dict[str, Any], table: Table, nested: tuple[Nested, ...],
                     prefix: str, origin: Origin) -> None:
        key_column = table.primary_key[0]
        for spec in nested:
            where = f"{prefix}{spec.key}"
            child = node.value.get(spec.key)
            if child is not None and child.kind == "error":
                origin.invalid.add(spec.key)
                continue
            if spec.optional and (child is None or (child.kind == "scalar" and child.value is None)
                                  or (child.kind == "seq" and not child.value)):
                continue
            if child is None or (child.kind == "scalar" and child.value is None):
                line = child.line if child is not None else node.line
                self.problem(line, where, "missing required list (at least one entry)")
                origin.invalid.add(spec.key)
                continue
            if child.kind != "seq" or not child.value:
                self.problem(child.line, where, "expected a list with at least one entry")
                origin.invalid.add(spec.key)
                continue
            for i, item in enumerate(child.value):
                item_prefix = f"{where}[{i}]."
                if spec.bridge:
                    self.source(item, spec.bridge, key_column, row.get(key_column), item_prefix)
                else:
                    sub = self.schema.table(spec.table)
                    provided = {key_column: row.get(key_column)}
                    if spec.position:
                        provided[spec.position] = i + 1
                    result = self.mapping(item, sub, provided, spec.nested, item_prefix)
                    if result is None:
                        continue
                    sub_row, origin = result
                    self.collection.rows[sub.name].append(sub_row)
                    self.collection.origins[sub.name].append(origin)
                    if spec.nested:
                        self.nested_lists(item, sub_row, sub, spec.nested, item_prefix, origin)

    def source(self, node: Node, bridge: str, key_column: str, key_value: Any, prefix: str) -> None:
        sources = self.schema.table("sources")
        result = self.mapping(node, sources, {}, (), prefix)
        if result is None:
            return
        row, origin = result
        if not origin.usable("url") or not origin.usable("citation"):
            return
        if not row.get("url") and not row.get("citation"):
            self.problem(node.line, f"{prefix}url", "a source needs a url, or a full citation when it has none")
            return
        try:
            row["source_id"] = source_id_for(row.get("url"), row.get("citation"))
        except ValueError as exc:  # urlsplit: a port out of range, a malformed IPv6 host
            line, where = origin.locate("url")
            self.problem(line, where, f"{row.get('url')!r} is not a usable URL ({exc})")
            return
        self.collection.rows["sources"].append(row)
        self.collection.origins["sources"].append(origin)
        self.collection.rows[bridge].append({key_column: key_value, "source_id": row["source_id"]})
        self.collection.origins[bridge].append(origin)
