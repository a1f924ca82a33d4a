"""Strict, line-aware reading of the schema files against a declared shape.

Every file under `schema/` is read here: the YAML is composed into nodes (so every key keeps its
line), refused if it repeats a key, and walked against a `Shape` — which keys a mapping may and must
have, and what type each value is. A problem is one line, `path:line: key: message`, the format
`irde check` uses for records; all problems of a file are collected before `SchemaError` is raised.
An unknown key with no value inside a one-line `{…}` mapping gets a hint, because that is what an
unquoted comma in a flow mapping produces (the text after the comma becomes a key of its own).
Boundary: shapes and reading only; what the values mean is checked by `irde.schema.model`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class SchemaError(Exception):
    """A schema file is malformed; each line of the message names file, line and key."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Shape:
    """What a value must be.

    kind: "text" (a non-empty string), "integer", "number", "boolean", "date", "scalar" (text or a number),
    "list" (of `item`), "map" (with `keys`: name -> (shape, required); `values`: the shape of any
    key when the names are free, as in `patterns`) or "any" (not checked here).
    """

    kind: str
    keys: dict[str, tuple["Shape", bool]] = field(default_factory=dict)
    item: "Shape | None" = None
    values: "Shape | None" = None
    pattern: str | None = None  # text: a regular expression it must match
    may_be_empty: bool = False  # text: "" or no value allowed (a slot not filled yet, such as a DOI)


TEXT = Shape("text")
INTEGER = Shape("integer")
NUMBER = Shape("number")
BOOLEAN = Shape("boolean")
DATE = Shape("date")
SCALAR = Shape("scalar")
ANY = Shape("any")


def mapping(required: dict[str, Shape] | None = None, optional: dict[str, Shape] | None = None) -> Shape:
    keys = {k: (s, True) for k, s in (required or {}).items()}
    keys.update({k: (s, False) for k, s in (optional or {}).items()})
    return Shape("map", keys=keys)


def list_of(item: Shape) -> Shape:
    return Shape("list", item=item)


def map_of(values: Shape) -> Shape:
    return Shape("map", values=values)


_TYPE_NAMES = {"text": "text", "integer": "an integer", "number": "a number", "boolean": "true or false", "date": "a date YYYY-MM-DD",
               "scalar": "text or a number", "list": "a list", "map": "a mapping"}
_constructor = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.ScalarNode) -> Any:
    return _constructor.construct_object(node, deep=True)


@dataclass
class Document:
    """A schema file read against its shape: the plain data, and the line of every key path."""

    path: Path
    display: str
    data: Any
    lines: dict[tuple, int]

    def line(self, *keys) -> int:
        """The line of the value at `keys` (or of its closest enclosing value)."""
        keys = tuple(keys)
        while keys not in self.lines and keys:
            keys = keys[:-1]
        return self.lines.get(keys, 1)

    def problem(self, keys: tuple, message: str) -> str:
        return f"{self.display}:{self.line(*keys)}: {key_name(keys)}: {message}"


def key_name(keys: tuple) -> str:
    out = ""
    for k in keys:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out or "(file)"


def read(path: Path, shape: Shape, display: str) -> Document:
    """Read `path` against `shape`; raise SchemaError listing every problem found."""
    from irde.schema.guarded import UnsafeFile, check_events, read_regular

    try:
        text = read_regular(path).decode("utf-8")  # regular files of bounded size only
        check_events(text, display)  # no anchors or aliases, bounded nesting: a release's schema may be hostile
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except UnsafeFile as exc:
        raise SchemaError([f"{exc.what}: (file): {exc.why}"]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError([f"{display}:1: (file): cannot read: {exc}"]) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join((exc.problem or exc.context or "invalid YAML").split())
        raise SchemaError([f"{display}:{mark.line + 1 if mark else 1}: (file): YAML syntax error: {what}"]) from exc
    except yaml.YAMLError as exc:
        raise SchemaError([f"{display}:1: (file): cannot read: {' '.join(str(exc).split())}"]) from exc
    if node is None:
        raise SchemaError([f"{display}:1: (file): file is empty"])
    doc = Document(path, display, None, {})
    problems: list[str] = []
    doc.data = _walk(node, shape, (), doc, problems)
    if problems:
        raise SchemaError(problems)
    return doc


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return repr(node.value) if node.value else "an empty value"


def _walk(node: yaml.Node, shape: Shape, keys: tuple, doc: Document, problems: list[str]) -> Any:
    doc.lines.setdefault(keys, node.start_mark.line + 1)
    if shape.kind == "any":
        return yaml.SafeLoader(yaml.serialize(node)).get_single_data()
    expected = _TYPE_NAMES[shape.kind]
    if shape.kind == "map":
        if not isinstance(node, yaml.MappingNode):
            problems.append(doc.problem(keys, f"expected {expected}, not {_describe(node)}"))
            return None
        return _walk_map(node, shape, keys, doc, problems)
    if shape.kind == "list":
        if not isinstance(node, yaml.SequenceNode):
            problems.append(doc.problem(keys, f"expected {expected}, not {_describe(node)}"))
            return None
        return [_walk(item, shape.item, (*keys, i), doc, problems) for i, item in enumerate(node.value)]
    if not isinstance(node, yaml.ScalarNode):
        problems.append(doc.problem(keys, f"expected {expected}, not {_describe(node)}"))
        return None
    value = _scalar(node)
    if shape.may_be_empty and (value is None or value == ""):
        return ""
    ok = {
        "text": isinstance(value, str) and value.strip() != "",
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "date": isinstance(value, dt.date),
        "scalar": isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip() != "",
    }[shape.kind]
    if not ok:
        problems.append(doc.problem(keys, f"expected {expected}, not {node.value!r}" if node.value
                                    else f"expected {expected}, not an empty value"))
        return None
    if shape.pattern and not re.fullmatch(shape.pattern, str(value)):
        problems.append(doc.problem(keys, f"{value!r} does not match {shape.pattern}"))
        return None
    return value


def _walk_map(node: yaml.MappingNode, shape: Shape, keys: tuple, doc: Document, problems: list[str]) -> dict:
    out: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        where = (*keys, name) if name is not None else keys
        if name is None:
            problems.append(f"{doc.display}:{line}: {key_name(keys)}: mapping keys must be plain names")
            continue
        if name in first_line:
            problems.append(f"{doc.display}:{line}: {key_name(where)}: duplicate key (first given at line "
                            f"{first_line[name]})")
            continue
        first_line[name] = line
        doc.lines[where] = line
        if shape.values is not None:
            out[name] = _walk(value_node, shape.values, where, doc, problems)
            continue
        if name not in shape.keys:
            if node.flow_style and isinstance(value_node, yaml.ScalarNode) and value_node.value == "":
                problems.append(f"{doc.display}:{line}: {key_name(keys)}: unknown key {name!r}: an unquoted comma "
                                "inside {…} ended the text before it and made the rest a key; write the entry in "
                                "block style or quote the value")
                continue
            else:
                close = difflib.get_close_matches(name, list(shape.keys), n=1)
                message = f"unknown key (did you mean {close[0]!r}?)" if close else \
                    f"unknown key; expected one of {', '.join(shape.keys)}"
            problems.append(f"{doc.display}:{line}: {key_name(where)}: {message}")
            continue
        out[name] = _walk(value_node, shape.keys[name][0], where, doc, problems)
    for name, (_, required) in shape.keys.items():
        if required and name not in first_line:
            problems.append(f"{doc.display}:{doc.line(*keys)}: {key_name((*keys, name))}: missing required key")
    return out
