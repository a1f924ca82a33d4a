"""Reading and checking curated records (`dataset/records/`): the engine behind `irde check` and the
first half of `irde build`.

Each file is parsed by `yamlio`, checked field by field against the schema (keys, types, dates,
vocabularies, code lists, patterns, lengths, text safety), then all files are checked together
(duplicate IDs, references between records, sources cited with conflicting metadata, rules that
span fields). Every problem is collected as `path:line: field: message`; nothing stops at the first
one and nothing is written. The result also holds the curated rows of every table, each with its
origin (file and line) so that later stages can point back at the YAML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from irde import codes
from irde.derive import ACCUSED_ONLY_STANCES, OFFICIAL_SPEAKER_TYPES
from irde.places import find_city, suggest_city
from irde.schema import Column, Nested, RecordType, Schema, Table
from irde.yamlio import Node, parse_bytes

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def normalise_url(url: str) -> str:
    """The form of a URL used for its source_id: https, lower-case host without www., no fragment or trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, parts.query, ""))


def source_id_for(url: str | None, citation: str | None) -> str:
    basis = normalise_url(url) if url else "citation:" + unicodedata.normalize("NFC", citation or "")
    return "src-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:12]


def record_files(records_dir: Path, record_type: RecordType) -> list[Path]:
    folder = records_dir / record_type.folder
    pattern = "*/*.yaml" if record_type.by_year else "*.yaml"
    files = sorted(folder.glob(pattern))
    # Files with another extension or at the wrong depth are reported, not ignored.
    strays = sorted(p for p in folder.rglob("*") if p.is_file() and p not in set(files))
    return files + strays


class _FileChecker:
    """Checks one record file and appends its rows and problems to the collection."""

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
            items = []
            for i, item in enumerate(node.value):
                parsed = self.item(item, column, f"{where}[{i}]")
                if parsed is not None:
                    if parsed in items:
                        self.problem(item.line, f"{where}[{i}]", f"{parsed!r} is listed twice")
                        continue
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
            try:
                return int(text) if d.type == "integer" else float(text)
            except ValueError:
                self.problem(node.line, where, f"expected a {d.type}, found {text!r}")
                return None
        return self.string(text, node.line, where, column)

    def item(self, node: Node, column: Column, where: str) -> str | None:
        d = column.definition
        text = self.scalar_text(node, where, "a value")
        if text is None:
            self.problem(node.line, where, "empty list item")
            return None
        if not self.check_text(text, node.line, where):
            return None
        if d.item_vocabulary:
            return self.in_vocabulary(text, d.item_vocabulary, node.line, where)
        if d.item_codelist:
            return self.in_codelist(text, d.item_codelist, node.line, where)
        if d.item_pattern:
            rx = self.schema.patterns[d.item_pattern]
            if not re.match(rx, text):
                self.problem(node.line, where, f"{text!r} does not match the {d.item_pattern} pattern {rx}")
                return None
        return text

    def date(self, text: str, line: int, where: str, minimum: Any) -> dt.date | None:
        if not DATE_RE.match(text):
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
        if d.pattern and not re.match(d.pattern, text):
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
                    result = self.mapping(item, sub, {key_column: row.get(key_column)}, spec.nested, item_prefix)
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
        row["source_id"] = source_id_for(row.get("url"), row.get("citation"))
        self.collection.rows["sources"].append(row)
        self.collection.origins["sources"].append(origin)
        self.collection.rows[bridge].append({key_column: key_value, "source_id": row["source_id"]})
        self.collection.origins[bridge].append(origin)


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def collect(schema: Schema, records_dir: Path, display_base: Path | None = None,
            today: dt.date | None = None) -> Collection:
    """Read and check every record under `records_dir`; return the rows and every problem found."""
    today = today or reference_date()
    display_base = display_base or records_dir.parent.parent
    collection = Collection({t: [] for t in schema.tables}, {t: [] for t in schema.tables})
    for record_type in schema.record_types:
        table = schema.table(record_type.table)
        key_column = table.primary_key[0]
        for path in record_files(records_dir, record_type):
            collection.files += 1
            display = _display(path, display_base)
            checker = _FileChecker(schema, collection, display, today)
            if path.suffix != ".yaml":
                checker.problem(1, "(file)", "record files must end in .yaml")
                continue
            if record_type.by_year and path.parent.parent != records_dir / record_type.folder:
                checker.problem(1, "(file)", f"{record_type.name} records go in {record_type.folder}/YYYY/")
                continue
            if not record_type.by_year and path.parent != records_dir / record_type.folder:
                checker.problem(1, "(file)", f"{record_type.name} records go directly in {record_type.folder}/")
                continue
            root, issues = parse_bytes(path.read_bytes())
            for issue in issues:
                checker.problem(issue.line, "(file)", issue.message)
            if root is None:
                continue
            result = checker.mapping(root, table, {}, record_type.nested, "")
            if result is None:
                continue
            row, origin = result
            record_id = row.get(key_column)
            if record_id is not None and record_id != path.stem:
                line, where = origin.locate(key_column)
                checker.problem(line, where, f"{record_id!r} differs from the file name {path.stem!r}")
            if record_type.by_year and record_id and path.parent.name != record_id[:4]:
                line, where = origin.locate(key_column)
                checker.problem(line, where, f"file is in folder {path.parent.name}/ but the ID starts with {record_id[:4]}")
            collection.rows[table.name].append(row)
            collection.origins[table.name].append(origin)
            checker.nested_lists(root, row, table, record_type.nested, "", origin)
    _check_across(schema, collection)
    collection.problems.sort()
    collection.index(schema)
    return collection


# -- rules across records ------------------------------------------------------------------------

def _add(collection: Collection, origin: Origin, column: str, message: str) -> None:
    line, where = origin.locate(column)
    collection.problems.append(Problem(origin.path, line, where, message))


def _check_across(schema: Schema, collection: Collection) -> None:
    rows, origins = collection.rows, collection.origins
    _check_unique_keys(schema, collection)
    _check_sources_agree(collection)
    _check_references(schema, collection)

    meetings = {r["meeting_id"]: r for r in rows["meetings"] if r.get("meeting_id")}
    for row, origin in zip(rows["meetings"], origins["meetings"]):
        if row.get("start_date") and row.get("end_date") and row["end_date"] < row["start_date"]:
            _add(collection, origin, "end_date", f"{row['end_date']} is before start_date {row['start_date']}")
        present = row.get("countries_present")
        if present is not None and not {"IRN", "RUS"} <= set(present):
            _add(collection, origin, "countries_present", "must include both IRN and RUS")
        if row.get("mode") == "in_person" and not row.get("host_country") and origin.usable("host_country"):
            _add(collection, origin, "host_country", "an in-person meeting needs its host country")
        if row.get("mode") in ("phone", "video") and (row.get("city") or row.get("host_country")):
            _add(collection, origin, "city" if row.get("city") else "host_country",
                 f"a {row['mode']} meeting has no single place; leave host_country and city out")
        if row.get("format") == "bilateral" and present is not None and set(present) != {"IRN", "RUS"}:
            _add(collection, origin, "countries_present", "a bilateral meeting lists only IRN and RUS")
        parent = meetings.get(row.get("parent_meeting_id"))
        if parent is not None and parent.get("format") != "multilateral":
            _add(collection, origin, "parent_meeting_id",
                 f"{row['parent_meeting_id']!r} is not a multilateral meeting")
        if row.get("city") and row.get("host_country"):
            if find_city(row["city"], row["host_country"]) is None:
                hint = suggest_city(row["city"], row["host_country"])
                extra = f" (did you mean {hint!r}?)" if hint else ""
                _add(collection, origin, "city",
                     f"{row['city']!r} is not a GeoNames city of {row['host_country']}{extra}")
    delegations: dict[str, set] = {}
    for row in rows["participants"]:
        delegations.setdefault(row.get("meeting_id"), set()).add(row.get("delegation"))
    for row, origin in zip(rows["meetings"], origins["meetings"]):
        found = delegations.get(row.get("meeting_id"), set())
        for country, name in (("IRN", "Iranian"), ("RUS", "Russian")):
            if row.get("meeting_id") and country not in found and origin.usable("participants"):
                _add(collection, origin, "participants", f"no {name} participant (delegation {country})")

    allegations = {r["allegation_id"]: r for r in rows["allegations"] if r.get("allegation_id")}
    claims: set[str] = set()
    for row, origin in zip(rows["allegation_statements"], origins["allegation_statements"]):
        sid, aid = row.get("statement_id"), row.get("allegation_id")
        if sid and aid and not sid.startswith(aid + "/"):
            _add(collection, origin, "statement_id", f"must start with the allegation's ID {aid + '/'!r}")
        if row.get("stance") == "claim":
            claims.add(aid)
        if row.get("stance") in ("admission", "partial_admission") and row.get("speaker_type") not in (
                None, *OFFICIAL_SPEAKER_TYPES):
            _add(collection, origin, "stance",
                 f"{row['stance']} must come from someone speaking for the accused state (speaker_type"
                 f" {', '.join(OFFICIAL_SPEAKER_TYPES)}), not {row['speaker_type']!r}; a statement that"
                 f" speaks only for itself is a claim or reiteration")
        allegation = allegations.get(aid)
        if allegation and row.get("stance") in ACCUSED_ONLY_STANCES and row.get("speaker_country"):
            accused = set(allegation.get("supplier_countries") or []) | set(allegation.get("recipient_countries") or [])
            if row["speaker_country"] not in accused:
                _add(collection, origin, "speaker_country",
                     f"a {row['stance']} comes from an accused party ({', '.join(sorted(accused))}),"
                     f" not {row['speaker_country']}")
    for row, origin in zip(rows["allegations"], origins["allegations"]):
        start, end = row.get("alleged_period_start"), row.get("alleged_period_end")
        if start and end and end < start:
            _add(collection, origin, "alleged_period_end", f"{end} is before alleged_period_start {start}")
        if (start or end) and not row.get("alleged_period_precision"):
            _add(collection, origin, "alleged_period_precision", "required when an alleged period is given")
        if row.get("allegation_id") and row["allegation_id"] not in claims:
            _add(collection, origin, "statements", "needs at least one statement with stance claim")
    for row, origin in zip(rows["agreements"], origins["agreements"]):
        signed = row.get("signed_date")
        for later in ("ratified_iran_date", "ratified_russia_date", "in_force_date", "terminated_date"):
            if signed and row.get(later) and row[later] < signed:
                _add(collection, origin, later, f"{row[later]} is before signed_date {signed}")
        ratified = [row.get("ratified_iran_date"), row.get("ratified_russia_date")]
        if row.get("in_force_date") and any(r and r > row["in_force_date"] for r in ratified):
            _add(collection, origin, "in_force_date", "is before a ratification date")


def _check_unique_keys(schema: Schema, collection: Collection) -> None:
    for name, table in schema.tables.items():
        if name == "sources" or name.endswith("_sources"):
            continue
        seen: dict[tuple, Origin] = {}
        for row, origin in zip(collection.rows[name], collection.origins[name]):
            key = tuple(row.get(k) for k in table.primary_key)
            if None in key:
                continue
            if key in seen:
                first = seen[key]
                column = table.primary_key[-1]
                _add(collection, origin, column,
                     f"duplicate {'/'.join(table.primary_key)} {'/'.join(map(str, key))!r}"
                     f" (also at {first.path}:{first.locate(column)[0]})")
            else:
                seen[key] = origin
    for name in schema.bridges:
        seen_links: dict[tuple, Origin] = {}
        for row, origin in zip(collection.rows[name], collection.origins[name]):
            key = (row.get(schema.bridges[name]), row["source_id"])
            if key in seen_links and key[0] is not None:
                _add(collection, origin, "url", "the same source is cited twice for this record")
            seen_links[key] = origin


_SOURCE_METADATA = ("publisher", "source_title", "published_date", "language", "source_type", "outlet_country", "citation")


def _publisher_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKD", name).casefold())


def _check_sources_agree(collection: Collection) -> None:
    first: dict[str, tuple[dict, Origin]] = {}
    spellings: dict[str, str] = {}
    for row, origin in zip(collection.rows["sources"], collection.origins["sources"]):
        publisher = row.get("publisher")
        if publisher:
            known = spellings.setdefault(_publisher_key(publisher), publisher)
            if known != publisher:
                _add(collection, origin, "publisher",
                     f"{publisher!r} is spelled {known!r} elsewhere; use one spelling so independence counts are right")
        earlier = first.get(row["source_id"])
        if earlier is None:
            first[row["source_id"]] = (row, origin)
            continue
        prev, prev_origin = earlier
        for key in _SOURCE_METADATA:
            if not (origin.usable(key) and prev_origin.usable(key)):
                continue
            if prev.get(key) != row.get(key):
                _add(collection, origin, key,
                     f"{row.get(key)!r} differs from {prev.get(key)!r} given for the same source"
                     f" at {prev_origin.path}:{prev_origin.locate(key)[0]}")


def _check_references(schema: Schema, collection: Collection) -> None:
    keys = {}
    for name, table in schema.tables.items():
        if len(table.primary_key) == 1:
            keys[name] = {r.get(table.primary_key[0]) for r in collection.rows[name]}
    for name, table in schema.tables.items():
        if name.endswith("_sources"):
            continue
        for fk in table.foreign_keys:
            if len(fk.fields) != 1 or fk.resource not in keys:
                continue
            column = fk.fields[0]
            if column == table.primary_key[0] and name != fk.resource:
                continue  # a nested row's parent key is set by nesting, not typed
            targets = keys[fk.resource]
            is_array = table.column(column).definition.type == "array"
            for row, origin in zip(collection.rows[name], collection.origins[name]):
                values = (row.get(column) or []) if is_array else [row.get(column)]
                for value in values:
                    if value is not None and value not in targets:
                        _unknown(collection, origin, column, value, fk.resource, targets)


def _unknown(collection: Collection, origin: Origin, column: str, value: str, resource: str, targets: set) -> None:
    hint = codes.suggest(value, [t for t in targets if t])
    extra = f" (did you mean {hint!r}?)" if hint else ""
    _add(collection, origin, column, f"unknown {resource[:-1] if resource.endswith('s') else resource} {value!r}{extra}")
