"""The located-problem model every check shares, and the rows a check collects.

A `Problem` prints as `path:line: field: message` — the one format of `irde check`. An `Origin`
remembers where a row came from, so later stages (the build, validation) can point back at the YAML.
A `Collection` holds the curated rows of every table with their origins and the problems found.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any

from irde.schema.model import Schema


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass
class Origin:
    """Where a row came from: the file, the line of its mapping, and the line of each field."""

    path: str
    line: int
    prefix: str
    field_lines: dict[str, int]
    invalid: set[str] = field(default_factory=set)  # fields present but already reported as unusable

    def usable(self, column: str) -> bool:
        """False when the field was given but failed its own check, so rules built on it stay quiet."""
        return column not in self.invalid

    def locate(self, column: str) -> tuple[int, str]:
        line = self.field_lines.get(column, self.line)
        return line, f"{self.prefix}{column}" if self.prefix else column


@dataclass
class Collection:
    """Curated rows of every table (derived columns not yet filled) and the problems found."""

    rows: dict[str, list[dict[str, Any]]]
    origins: dict[str, list[Origin]]
    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    def origin_of(self, table: str, key: tuple) -> Origin | None:
        return self._index.get(table, {}).get(key)

    def index(self, schema: Schema) -> None:
        self._index = {}
        for name, rows in self.rows.items():
            pk = schema.table(name).primary_key
            self._index[name] = {tuple(r[k] for k in pk): o for r, o in zip(rows, self.origins[name])}


def reference_date() -> dt.date:
    """The date after which no recorded date may fall: IRDE_TODAY if set (for staging and tests), else today."""
    value = os.environ.get("IRDE_TODAY")
    return dt.date.fromisoformat(value) if value else dt.date.today()


def add_problem(collection: Collection, origin: Origin, column: str, message: str) -> None:
    line, where = origin.locate(column)
    collection.problems.append(Problem(origin.path, line, where, message))
