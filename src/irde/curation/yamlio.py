"""A strict, line-aware YAML reader for curated records.

Records are plain data: mappings, lists and text. This reader keeps every value as the text the
curator typed (types come from the schema, never from YAML's guessing: `no` stays "no", `042`
stays "042"), remembers the line of every value so that problems can point at it, and refuses
what PyYAML would silently accept: duplicate keys (PyYAML keeps the last), tags that construct
objects, aliases and merge keys, several documents in one file, empty files and non-UTF-8 bytes,
and it bounds what a hostile file could make it build: nesting depth and list lengths.
It reports; it never raises on bad input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import yaml

_ALLOWED_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
_NULLS = {"", "~", "null", "Null", "NULL"}
MAX_DEPTH = 32  # records nest three levels (meeting > participants > sources); far more is hostile
MAX_ITEMS = 10_000  # items in one list or keys in one mapping


@dataclass
class Node:
    """One value of a record: `value` is str | None (scalar), list[Node] or dict[str, Node]."""

    value: Union[str, None, list["Node"], dict[str, "Node"]]
    line: int
    kind: str  # "scalar", "seq", "map", or "error" for a value already reported as unusable
    plain: bool = True  # scalars: written without quotes or block style
    key_lines: dict[str, int] | None = None  # maps: line of each key

    def to_python(self):
        """The plain Python value (strings, None, lists, dicts) without line information."""
        if self.kind == "map":
            return {k: v.to_python() for k, v in self.value.items()}
        if self.kind == "seq":
            return [v.to_python() for v in self.value]
        return self.value


@dataclass(frozen=True)
class YamlIssue:
    line: int
    message: str


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def parse_bytes(data: bytes) -> tuple[Node | None, list[YamlIssue]]:
    """Parse one record file. Returns the root node (None when unusable) and the issues found."""
    if not data.strip():
        return None, [YamlIssue(1, "file is empty")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(data, exc.start)
        return None, [YamlIssue(line, f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})")]
    if text.startswith("\ufeff"):
        return None, [YamlIssue(1, "file starts with a byte-order mark; save it as UTF-8 without BOM")]
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join((exc.problem or exc.context or "invalid YAML").split())
        return None, [YamlIssue(line, f"YAML syntax error: {what}")]
    except RecursionError:
        return None, [YamlIssue(1, f"YAML nested too deeply (records nest at most {MAX_DEPTH} levels)")]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return None, [YamlIssue(line, f"character U+{code:04X} is not allowed in YAML")]
    if len(documents) != 1 or documents[0] is None:
        line = documents[1].start_mark.line + 1 if len(documents) > 1 and documents[1] is not None else 1
        return None, [YamlIssue(line, "a record file holds exactly one YAML document")]
    issues: list[YamlIssue] = []
    root = _convert(documents[0], issues, set())
    if any(issue.message.startswith("nested more than") for issue in issues):
        return None, issues  # the shape is hostile: nothing in it is worth checking further
    return root, issues


def _convert(node: yaml.Node, issues: list[YamlIssue], seen: set[int], line: int | None = None,
             depth: int = 0) -> Node:
    line = line or node.start_mark.line + 1
    if depth > MAX_DEPTH:
        issues.append(YamlIssue(line, f"nested more than {MAX_DEPTH} levels deep"))
        return Node(None, line, "error")
    if isinstance(node.value, list) and len(node.value) > MAX_ITEMS:
        issues.append(YamlIssue(line, f"{len(node.value)} items in one list or mapping; at most {MAX_ITEMS} are allowed"))
        return Node(None, line, "error")
    if id(node) in seen:
        issues.append(YamlIssue(line, "aliases (*name) are not allowed in records; write the value out"))
        return Node(None, line, "error")
    seen.add(id(node))
    if node.tag not in _ALLOWED_TAGS:
        issues.append(YamlIssue(line, f"tag {node.tag!r} is not allowed: records hold plain text, lists and mappings"))
        return Node(None, line, "error")
    if isinstance(node, yaml.ScalarNode):
        plain = node.style is None
        value = None if plain and node.value in _NULLS else node.value
        return Node(value, line, "scalar", plain=plain)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(item, issues, seen, None, depth + 1) for item in node.value], line, "seq")
    mapping: dict[str, Node] = {}
    key_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
            issues.append(YamlIssue(key_line, "mapping keys must be plain names"))
            continue
        key = key_node.value
        if key == "<<":
            issues.append(YamlIssue(key_line, "merge keys (<<) are not allowed in records"))
            continue
        if key in mapping:
            issues.append(YamlIssue(key_line, f"duplicate key {key!r} (first given at line {key_lines[key]})"))
            continue
        key_lines[key] = key_line
        value_line = key_line if isinstance(value_node, yaml.ScalarNode) or id(value_node) in seen else None
        mapping[key] = _convert(value_node, issues, seen, value_line, depth + 1)
    return Node(mapping, line, "map", key_lines=key_lines)
