"""`irde format`: rewrite record files into one canonical form, so that a diff shows meaning, not layout.

Canonical form: keys in schema order (unknown keys kept at the end so that `irde check` still
reports them), optional fields that are empty left out, text in Unicode NFC, long prose
(summary, note, scope, citation) as folded `>-` blocks wrapped at 100 columns, lists of codes in
flow style, nested records as block lists, and the lightest quoting that reads back to the same
text. Formatting never changes a value: parse(format(x)) == parse(x), and format is idempotent.
Files that do not parse, that are not plain files, or that hold YAML comments (which the canonical
form would drop) are left untouched and reported. Each rewrite is atomic: the new text goes to a
temporary file beside the record, is flushed to disk, and then replaces the record, so a full disk
or a killed run leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

import yaml

from irde.schema.model import Nested, RecordType, Schema, Table
from irde.curation.yamlio import Node, parse_bytes

WIDTH = 100
PROSE_FIELDS = {"summary", "note", "scope", "citation"}
_INTEGER = re.compile(r"-?[0-9]+")  # an integer field's value is written bare, as YAML reads it back
_PLAIN_SAFE = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*$")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _plain_ok(text: str) -> bool:
    if not text or text != text.strip() or not _PLAIN_SAFE.match(text):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    try:
        return yaml.safe_load(f"k: {text}") == {"k": text}
    except (yaml.YAMLError, ValueError, OverflowError):  # e.g. a timestamp with year 0
        return False


def quote(text: str, flow: bool = False) -> str:
    """The lightest YAML scalar that reads back as exactly `text` (as a string); `flow` for an item of
    a `[a, b]` list, where a plain `,`, `[`, `]`, `{` or `}` would end or nest the item."""
    if _plain_ok(text) and not (flow and any(c in text for c in ",[]{}")):
        return text
    if "\n" not in text and all(c.isprintable() or c == "\u200c" for c in text):
        return "'" + text.replace("'", "''") + "'"
    out = []
    for c in text:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif not c.isprintable() and c != "\u200c":
            out.append(f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _foldable(text: str) -> bool:
    return (bool(text) and text == text.strip() and "\n" not in text and "  " not in text
            and "\t" not in text and all(c.isprintable() or c == "\u200c" for c in text))


def _fold(text: str, indent: str) -> list[str]:
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(indent) + len(current) + 1 + len(word) > WIDTH:
            lines.append(indent + current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(indent + current)
    return lines


def _scalar_text(node: Node) -> str:
    return "null" if node.value is None else (node.value if node.plain else quote(_nfc(node.value)))


class _Unformattable(Exception):
    """A shape the canonical form cannot write without losing a value."""


def _value_lines(key: str, node: Node, indent: str, first: str, nested_spec: Nested | None,
                 schema: Schema) -> list[str]:
    """Lines for `key: value`, `first` being the prefix of the first line (indent or '- ')."""
    if node.kind == "scalar":
        if node.value is None:
            return [f"{first}{key}: null"]
        text = _nfc(node.value)
        if key in PROSE_FIELDS and _foldable(text) and len(first) + len(key) + 2 + len(text) > WIDTH:
            return [f"{first}{key}: >-", *_fold(text, indent + "  ")]
        field_type = schema.fields[key].type if key in schema.fields else None
        if (field_type == "boolean" and text in ("true", "false")) or (
                field_type == "date" and re.match(r"^\d{4}-\d{2}-\d{2}$", text)) or (
                field_type == "integer" and _INTEGER.fullmatch(text)):
            return [f"{first}{key}: {text}"]
        return [f"{first}{key}: {quote(text)}"]
    if node.kind == "seq":
        if not node.value:
            return [f"{first}{key}: []"]
        if all(item.kind == "scalar" for item in node.value):
            integers = key in schema.fields and schema.fields[key].item_type == "integer"
            items = ", ".join("null" if i.value is None else i.value if integers and _INTEGER.fullmatch(i.value)
                              else quote(_nfc(i.value), flow=True) for i in node.value)
            return [f"{first}{key}: [{items}]"]
        lines = [f"{first}{key}:"]
        for item in node.value:
            if item.kind == "map":
                lines += _mapping_lines(item, indent + "  ", "- ", nested_spec, schema)
            elif item.kind == "scalar":
                lines += [f"{indent}  - {_scalar_text(item)}"]
            else:
                raise _Unformattable  # a list inside a list: no record has one; `irde check` says so
        return lines
    lines = [f"{first}{key}:"]
    lines += _mapping_lines(node, indent + "  ", "", None, schema)
    return lines


def _key_order(table: Table | None, nested: tuple[Nested, ...]) -> list[str]:
    names = [c.name for c in table.columns if not c.derived] if table else []
    return names + [n.key for n in nested]


def _mapping_lines(node: Node, indent: str, bullet: str, spec: Nested | None, schema: Schema,
                   table: Table | None = None, nested: tuple[Nested, ...] = ()) -> list[str]:
    if spec is not None:
        table = schema.table("sources") if spec.bridge else schema.table(spec.table)
        nested = spec.nested
    order = _key_order(table, nested)
    required = {c.name for c in table.columns if c.required} if table else set()
    specs = {n.key: n for n in nested}
    keys = [k for k in order if k in node.value] + [k for k in node.value if k not in order]
    lines: list[str] = []
    for index, key in enumerate(keys):
        child = node.value[key]
        # Empty optional fields are left out; an unknown key is kept, so that `irde check` still reports it.
        if (child.kind == "scalar" and child.value is None and key in order and key not in required
                and key not in specs):
            continue
        first = indent + bullet if not lines else indent + (" " * len(bullet))
        lines += _value_lines(key, child, indent + (" " * len(bullet)), first, specs.get(key), schema)
    if not lines:
        lines = [indent + bullet + "{}"]
    return lines


def format_node(root: Node, record_type: RecordType, schema: Schema) -> str:
    table = schema.table(record_type.table)
    return "\n".join(_mapping_lines(root, "", "", None, schema, table, record_type.nested)) + "\n"


def format_text(data: bytes, record_type: RecordType, schema: Schema) -> str | None:
    """The canonical text of a record file, or None if it does not parse."""
    root, issues = parse_bytes(data)
    if root is None or issues or root.kind != "map":
        return None
    try:
        return format_node(root, record_type, schema)
    except _Unformattable:
        return None


TEMP_SUFFIX = ".irde-tmp"


def comment_line(text: str) -> int | None:
    """The line of the first YAML comment in `text`, or None (a `#` inside a value is not a comment)."""
    if "#" not in text:
        return None
    try:
        tokens = list(yaml.scan(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    inside = sorted((t.start_mark.index, t.end_mark.index) for t in tokens if isinstance(t, yaml.ScalarToken))
    i = 0
    for match in re.finditer("#", text):
        at = match.start()
        while i < len(inside) and inside[i][1] <= at:
            i += 1
        if i < len(inside) and inside[i][0] <= at < inside[i][1]:
            continue
        if at == 0 or text[at - 1] in " \t\n":
            return text.count("\n", 0, at) + 1
    return None


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` by `text` in one step: a temporary file beside it, fsync, rename."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError) and exc.filename is None:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def format_records(schema: Schema, records_dir: Path, check_only: bool = False,
                   refused: dict[Path, str] | None = None) -> tuple[list[Path], list[Path]]:
    """Rewrite (or with check_only, only list) files that are not canonical; also list those it cannot
    format (unparsable, not plain files, holding comments), with the reason in `refused` when given."""
    from irde.curation.files import MAX_RECORD_BYTES, record_files, unreadable_reason
    from irde.errors import IrdeError
    from irde.schema.guarded import UnsafeFile, read_regular

    if not Path(records_dir).is_dir():
        raise IrdeError(str(records_dir), "no such folder of records")
    reasons: dict[Path, str] = {} if refused is None else refused
    changed, unparsable = [], []
    for record_type in schema.record_types:
        for path in record_files(records_dir, record_type):
            if path.name.endswith(TEMP_SUFFIX) and not check_only:
                path.unlink(missing_ok=True)  # left by a killed run; the record itself is intact
                continue
            if path.suffix != ".yaml":
                continue
            reason = unreadable_reason(path, Path(records_dir).parent)
            if reason is None:
                try:
                    data = read_regular(path, MAX_RECORD_BYTES)
                except (OSError, UnsafeFile) as exc:
                    reason = f"cannot be read ({exc})"
            if reason is not None:
                unparsable.append(path)
                reasons[path] = reason
                continue
            text = format_text(data, record_type, schema)
            if text is None:
                unparsable.append(path)
                continue
            line = comment_line(data.decode("utf-8"))
            if line is not None:
                unparsable.append(path)
                reasons[path] = (f"line {line} holds a YAML comment, which formatting would drop;"
                                 " move it into `note` or delete it")
                continue
            if text.encode("utf-8") != data:
                changed.append(path)
                if not check_only:
                    write_atomically(path, text)
    return changed, unparsable
