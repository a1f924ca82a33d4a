"""Checks of single field values in one record file: types, dates, vocabularies, code lists,
patterns, lengths and text safety.

`ValueChecker` reports each problem at the value's line and returns the parsed value, or None when
the value is unusable (so rules built on it stay quiet). `irde.curation.checker` adds the checks of
mappings and nested lists on top of it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from irde.curation.problems import Collection, Problem
from irde.curation.yamlio import Node
from irde.schema import codes
from irde.schema.model import Column, Schema

DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # used with fullmatch: no trailing newline, ASCII digits
INTEGER_RE = re.compile(r"-?[0-9]+")  # used with fullmatch, ASCII digits only: int() also takes "+1", "1_0", other scripts


class ValueChecker:
    """Checks the values of one record file and appends its problems to the collection."""

    def __init__(self, schema: Schema, collection: Collection, display: str, today: dt.date):
        self.schema = schema
        self.collection = collection
        self.display = display
        self.today = today

    def problem(self, line: int, field_path: str, message: str) -> None:
        self.collection.problems.append(Problem(self.display, line, field_path, message))

    # -- values -----------------------------------------------------------------------------
    def scalar_text(self, node: Node, where: str, expected: str) -> str | None:
        if node.kind != "scalar":
            found = "a list" if node.kind == "seq" else "a mapping"
            self.problem(node.line, where, f"expected {expected}, found {found}")
            return None
        return node.value

    def check_text(self, text: str, line: int, where: str) -> bool:
        issue = codes.text_problem(text)
        if issue:
            self.problem(line, where, issue)
            return False
        return True

    def value(self, node: Node, column: Column, where: str) -> Any:
        d = column.definition
        if d.type == "array":
            if node.kind == "scalar" and node.value is None:
                return None
            if node.kind != "seq":
                self.problem(node.line, where, "expected a list, e.g. [IRN, RUS]")
                return None
            items, seen = [], set()  # a set, so that a long list is checked in linear time
            for i, item in enumerate(node.value):
                parsed = self.item(item, column, f"{where}[{i}]")
                if parsed is not None:
                    if parsed in seen:
                        self.problem(item.line, f"{where}[{i}]", f"{parsed!r} is listed twice")
                        continue
                    seen.add(parsed)
                    items.append(parsed)
            return items
        text = self.scalar_text(node, where, {"date": "a date", "boolean": "true or false"}.get(d.type, "a value"))
        if text is None:
            return None
        if d.type == "date":
            return self.date(text, node.line, where, d.minimum)
        if d.type == "boolean":
            if node.plain and text in ("true", "false"):
                return text == "true"
            self.problem(node.line, where, f"expected true or false, found {text!r}")
            return None
        if d.type in ("integer", "number"):
            return self.number(text, d.type, node.line, where, d.minimum, d.maximum)
        return self.string(text, node.line, where, column)

    def number(self, text: str, kind: str, line: int, where: str, minimum: Any, maximum: Any) -> int | float | None:
        try:
            if kind == "integer" and not INTEGER_RE.fullmatch(text):
                raise ValueError(text)
            value = int(text) if kind == "integer" else float(text)
        except ValueError:
            self.problem(line, where, f"expected {'an' if kind == 'integer' else 'a'} {kind}, found {text!r}")
            return None
        if minimum is not None and value < minimum:
            self.problem(line, where, f"{value} is below the minimum {minimum}")
            return None
        if maximum is not None and value > maximum:
            self.problem(line, where, f"{value} is above the maximum {maximum}")
            return None
        return value

    def item(self, node: Node, column: Column, where: str) -> str | int | None:
        d = column.definition
        text = self.scalar_text(node, where, "a value")
        if text is None:
            self.problem(node.line, where, "empty list item")
            return None
        if not self.check_text(text, node.line, where):
            return None
        if d.item_type == "integer":
            return self.number(text, "integer", node.line, where, d.minimum, d.maximum)
        if d.item_vocabulary:
            return self.in_vocabulary(text, d.item_vocabulary, node.line, where)
        if d.item_codelist:
            return self.in_codelist(text, d.item_codelist, node.line, where)
        if d.item_pattern:
            rx = self.schema.patterns[d.item_pattern]
            if not codes.matches_pattern(rx, text):
                self.problem(node.line, where, f"{text!r} does not match the {d.item_pattern} pattern {rx}")
                return None
        return text

    def date(self, text: str, line: int, where: str, minimum: Any) -> dt.date | None:
        if not DATE_RE.fullmatch(text):
            self.problem(line, where, f"expected a date as YYYY-MM-DD, found {text!r}")
            return None
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            self.problem(line, where, f"{text} is not a real calendar date")
            return None
        if minimum and value < dt.date.fromisoformat(str(minimum)):
            self.problem(line, where, f"{text} is before the earliest allowed date {minimum}")
            return None
        if value > self.today:
            self.problem(line, where, f"{text} is after the reference date {self.today.isoformat()}")
            return None
        return value

    def string(self, text: str, line: int, where: str, column: Column) -> str | None:
        d = column.definition
        if not self.check_text(text, line, where):
            return None
        if d.vocabulary:
            return self.in_vocabulary(text, d.vocabulary, line, where)
        if d.codelist:
            return self.in_codelist(text, d.codelist, line, where)
        if not text.strip():
            self.problem(line, where, "is only whitespace; write the text or leave the field out")
            return None
        if d.pattern and not codes.matches_pattern(d.pattern, text):
            self.problem(line, where, f"{text!r} does not match the {d.pattern_name} pattern {d.pattern}")
            return None
        if d.min_length is not None and len(text) < d.min_length:
            self.problem(line, where, f"is {len(text)} characters long; at least {d.min_length} are required")
            return None
        if d.max_length is not None and len(text) > d.max_length:
            self.problem(line, where, f"is {len(text)} characters long; at most {d.max_length} are allowed")
            return None
        return text

    def in_vocabulary(self, text: str, vocabulary: str, line: int, where: str) -> str | None:
        allowed = self.schema.vocabularies[vocabulary].code_values
        if text in allowed:
            return text
        hint = codes.suggest(text, allowed)
        extra = f" (did you mean {hint!r}?)" if hint else ""
        self.problem(line, where, f"{text!r} is not a code of the {vocabulary} vocabulary{extra}")
        return None

    def in_codelist(self, text: str, codelist: str, line: int, where: str) -> str | None:
        if codelist == "language":
            if text in codes.languages():
                return text
            hint = codes.suggest(text.lower()[:2], codes.languages())
            kind = "an ISO 639-1 language code"
        else:
            allowed = set(codes.countries())
            if codelist == "country_or_organisation":
                allowed |= set(self.schema.vocabularies["organisation"].code_values)
            if text in allowed:
                return text
            hint = codes.suggest_country(text) or codes.suggest(text, allowed)
            kind = "an ISO 3166-1 alpha-3 country code" + (
                " or organisation code" if codelist == "country_or_organisation" else "")
        extra = f" (did you mean {hint!r}?)" if hint else ""
        self.problem(line, where, f"{text!r} is not {kind}{extra}")
        return None
