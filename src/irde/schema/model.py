"""The schema model: reads `schema/` (fields, tables, vocabularies, record layout, dataset metadata).

Everything that describes the data — the Arrow schema, the record checks, the codebook, the
validation suites, datapackage.json — is rendered from the objects defined here, so this module
only loads and cross-checks the schema files; it knows nothing about records or Parquet.
Every file is read strictly against its declared shape (`irde.schema.shape`): an unknown, missing
or mistyped key, a duplicate code, an undefined field or an unknown vocabulary is an error
(`SchemaError`, one `path:line: key: message` line per problem), because a typo in the single
source of truth would otherwise spread silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from irde.schema.guarded import UnsafeFile, load_yaml
from irde.schema.shape import (BOOLEAN, DATE, INTEGER, NUMBER, SCALAR, TEXT, Document, SchemaError, Shape, list_of,
                               map_of, mapping, read)

FIELD_TYPES = {"string", "date", "integer", "number", "boolean", "array"}
CODELISTS = {"country", "country_or_organisation", "language"}

__all__ = ["SchemaError", "Schema", "load_schema"]


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    definition: str
    attributes: dict[str, Any]


@dataclass(frozen=True)
class Vocabulary:
    name: str
    title: str
    description: str
    codes: tuple[Code, ...]
    attributes: tuple[str, ...] = ()  # extra columns each code may carry (office rank, pair tier, …)

    @cached_property
    def code_values(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.codes)

    def attribute(self, code: str, key: str) -> Any:
        for c in self.codes:
            if c.code == code:
                return c.attributes.get(key)
        raise KeyError(code)


@dataclass(frozen=True)
class FieldDef:
    """A field as defined once in fields.yaml."""

    name: str
    type: str
    description: str
    pattern: str | None = None
    pattern_name: str | None = None
    vocabulary: str | None = None
    codelist: str | None = None
    item_type: str | None = None
    item_vocabulary: str | None = None
    item_codelist: str | None = None
    item_pattern: str | None = None
    script: str | None = None
    minimum: Any = None
    maximum: Any = None
    min_length: int | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class Column:
    """A field as used in one table: its definition plus whether it is required or derived."""

    definition: FieldDef
    required: bool
    derived: bool

    @property
    def name(self) -> str:
        return self.definition.name


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    grain: str
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    row_count_min: int
    row_count_max: int
    columns: tuple[Column, ...]

    @cached_property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name}.{name}")


@dataclass(frozen=True)
class Nested:
    """A list nested in a record: either rows of another table or sources linked through a bridge."""

    key: str
    table: str | None
    bridge: str | None
    nested: tuple["Nested", ...] = ()
    position: str | None = None  # a column numbering the rows from 1, in the order written
    optional: bool = False       # the list may be left out or empty


@dataclass(frozen=True)
class RecordType:
    name: str
    table: str
    folder: str
    by_year: bool
    nested: tuple[Nested, ...]
    base: str = "records"        # the folder is under dataset/records/ ("records") or dataset/ ("dataset")
    id_from_path: bool = False   # the key is FOLDER/STEM of the file's path, not a typed field


@dataclass(frozen=True)
class Schema:
    root: Path
    dataset: dict[str, Any]
    fields: dict[str, FieldDef]
    patterns: dict[str, str]
    vocabularies: dict[str, Vocabulary]
    tables: dict[str, Table]
    record_types: tuple[RecordType, ...]

    @property
    def version(self) -> str:
        return str(self.dataset["version"])

    def table(self, name: str) -> Table:
        return self.tables[name]

    def record_type(self, name: str) -> RecordType:
        for r in self.record_types:
            if r.name == name:
                return r
        raise KeyError(name)

    @cached_property
    def bridges(self) -> dict[str, str]:
        """Bridge table name -> the key column it links to sources."""
        out = {}
        for t in self.tables.values():
            if t.name.endswith("_sources"):
                out[t.name] = t.primary_key[0]
        return out


def _oneline(text: Any) -> str:
    return " ".join(str(text).split())


# Declared shapes of the schema files -------------------------------------------------------------

_ATTRIBUTE_TYPES = {"integer": INTEGER, "number": NUMBER, "text": TEXT}  # any other attribute type names a vocabulary


def _vocabulary_shape(attributes: dict[str, Shape]) -> Shape:
    code = mapping({"code": TEXT, "label": TEXT, "definition": TEXT}, attributes)
    return mapping({"name": TEXT, "title": TEXT, "description": TEXT, "codes": list_of(code)},
                   {"attributes": map_of(TEXT)})


_FIELD_SHAPE = mapping(
    {"name": TEXT, "type": TEXT, "description": TEXT},
    {"constraints": mapping(optional={"minimum": SCALAR, "maximum": SCALAR, "minLength": INTEGER,
                                      "maxLength": INTEGER}),
     **{key: TEXT for key in ("x-pattern", "x-vocabulary", "x-codelist", "x-item-type", "x-item-vocabulary",
                              "x-item-codelist", "x-item-pattern", "x-script")}})
FIELDS_SHAPE = mapping({"patterns": map_of(TEXT), "fields": list_of(_FIELD_SHAPE)})
TABLE_SHAPE = mapping({
    "name": TEXT, "title": TEXT, "description": TEXT, "x-grain": TEXT, "primaryKey": list_of(TEXT),
    "foreignKeys": list_of(mapping({"fields": list_of(TEXT),
                                    "reference": mapping({"resource": TEXT, "fields": list_of(TEXT)})})),
    "x-row-count": mapping({"min": INTEGER, "max": INTEGER}),
    "fields": list_of(mapping({"name": TEXT}, {"required": BOOLEAN, "x-derived": BOOLEAN})),
})
_NESTED_SHAPE = mapping({"key": TEXT}, {"table": TEXT, "bridge": TEXT, "position": TEXT, "optional": BOOLEAN})
_NESTED_SHAPE.keys["nested"] = (list_of(_NESTED_SHAPE), False)
RECORDS_SHAPE = mapping({"records": list_of(mapping(
    {"name": TEXT, "table": TEXT, "folder": TEXT},
    {"by_year": BOOLEAN, "nested": list_of(_NESTED_SHAPE), "base": Shape("text", pattern="records|dataset"),
     "id_from_path": BOOLEAN}))})
DATASET_SHAPE = mapping(
    {"name": TEXT, "title": TEXT, "version": Shape("text", pattern=r"\d+\.\d+\.\d+"), "date_released": DATE,
     "description": TEXT, "licence": mapping({"name": TEXT, "title": TEXT, "path": TEXT}), "code_licence": TEXT,
     "authors": list_of(mapping({"name": TEXT}, {"orcid": TEXT, "affiliation": TEXT})), "keywords": list_of(TEXT),
     "spatial_coverage": TEXT, "citation": TEXT,
     # Empty until they exist: a URL nobody has checked, or a DOI not yet minted, is never rendered.
     "repository": Shape("text", pattern=r"https://\S+", may_be_empty=True),
     "doi": Shape("text", pattern=r"10\.\d{4,9}/\S+", may_be_empty=True)},
    {"related_identifiers": list_of(mapping({"identifier": TEXT, "relation": TEXT, "scheme": TEXT}))})


def _display(root: Path, path: Path) -> str:
    return f"{root.name}/{path.relative_to(root).as_posix()}"


# Loading -----------------------------------------------------------------------------------------

def _declared_attributes(path: Path) -> dict[str, str]:
    """The `attributes:` a vocabulary declares, read leniently: the strict read reports any bad shape."""
    import yaml

    try:
        data = load_yaml(path)  # bounded: a release's own vocabularies may be hostile
    except (OSError, UnicodeDecodeError, yaml.YAMLError, UnsafeFile):
        return {}
    declared = data.get("attributes") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in declared.items()} if isinstance(declared, dict) else {}


def _load_vocabulary(root: Path, path: Path) -> tuple[Vocabulary, Document]:
    declared = _declared_attributes(path)
    doc = read(path, _vocabulary_shape({k: _ATTRIBUTE_TYPES.get(v, TEXT) for k, v in declared.items()}),
               _display(root, path))
    data, problems = doc.data, []
    if data["name"] != path.stem:
        problems.append(doc.problem(("name",), f"{data['name']!r} differs from the file name {path.stem!r}"))
    codes, seen = [], {}
    for i, entry in enumerate(data["codes"]):
        if entry["code"] in seen:
            problems.append(doc.problem(("codes", i, "code"), f"duplicate code {entry['code']!r} "
                                        f"(first given at line {seen[entry['code']]})"))
        seen[entry["code"]] = doc.line("codes", i, "code")
        extra = {k: v for k, v in entry.items() if k not in {"code", "label", "definition"}}
        codes.append(Code(entry["code"], entry["label"], _oneline(entry["definition"]), extra))
    if problems:
        raise SchemaError(problems)
    return Vocabulary(data["name"], data["title"], _oneline(data["description"]), tuple(codes),
                      tuple(declared)), doc


def _load_fields(root: Path) -> tuple[dict[str, FieldDef], dict[str, str], Document]:
    doc = read(root / "fields.yaml", FIELDS_SHAPE, _display(root, root / "fields.yaml"))
    data, problems = doc.data, []
    patterns = dict(data["patterns"])
    for name, rx in patterns.items():
        try:
            re.compile(rx)
        except re.error as exc:
            problems.append(doc.problem(("patterns", name), f"invalid regular expression: {exc}"))
    fields: dict[str, FieldDef] = {}
    for i, f in enumerate(data["fields"]):
        def problem(key: str, message: str) -> None:
            problems.append(doc.problem(("fields", i, key), message))

        if f["name"] in fields:
            problem("name", f"field {f['name']!r} is defined twice")
        if f["type"] not in FIELD_TYPES:
            problem("type", f"unknown type {f['type']!r}; expected one of {sorted(FIELD_TYPES)}")
        for key in ("x-pattern", "x-item-pattern"):
            if key in f and f[key] not in patterns:
                problem(key, f"unknown pattern {f[key]!r}")
        for key in ("x-codelist", "x-item-codelist"):
            if key in f and f[key] not in CODELISTS:
                problem(key, f"unknown codelist {f[key]!r}; expected one of {sorted(CODELISTS)}")
        cons = f.get("constraints") or {}
        fields[f["name"]] = FieldDef(
            name=f["name"], type=f["type"], description=_oneline(f["description"]),
            pattern=patterns.get(f.get("x-pattern")), pattern_name=f.get("x-pattern"),
            vocabulary=f.get("x-vocabulary"), codelist=f.get("x-codelist"),
            item_type=f.get("x-item-type"), item_vocabulary=f.get("x-item-vocabulary"),
            item_codelist=f.get("x-item-codelist"), item_pattern=f.get("x-item-pattern"),
            script=f.get("x-script"),
            minimum=cons.get("minimum"), maximum=cons.get("maximum"),
            min_length=cons.get("minLength"), max_length=cons.get("maxLength"),
        )
    if problems:
        raise SchemaError(problems)
    return fields, patterns, doc


def _load_table(root: Path, path: Path, fields: dict[str, FieldDef] | None) -> tuple[Table, Document] | None:
    """A table file; with `fields` None (fields.yaml is broken) only its shape is checked."""
    doc = read(path, TABLE_SHAPE, _display(root, path))
    if fields is None:
        return None
    data, problems = doc.data, []
    if data["name"] != path.stem:
        problems.append(doc.problem(("name",), f"{data['name']!r} differs from the file name {path.stem!r}"))
    columns, seen = [], {}
    for i, entry in enumerate(data["fields"]):
        name = entry["name"]
        if name not in fields:
            problems.append(doc.problem(("fields", i, "name"), f"field {name!r} is not defined in fields.yaml"))
            continue
        if name in seen:
            problems.append(doc.problem(("fields", i, "name"), f"field {name!r} is listed twice "
                                        f"(first at line {seen[name]})"))
            continue
        seen[name] = doc.line("fields", i, "name")
        columns.append(Column(fields[name], entry.get("required", False), entry.get("x-derived", False)))
    for i, key in enumerate(data["primaryKey"]):
        if key not in seen:
            problems.append(doc.problem(("primaryKey", i), f"{key!r} is not a field of the table"))
    fks = []
    for i, fk in enumerate(data["foreignKeys"]):
        for j, name in enumerate(fk["fields"]):
            if name not in seen:
                problems.append(doc.problem(("foreignKeys", i, "fields", j), f"{name!r} is not a field of the table"))
        fks.append(ForeignKey(tuple(fk["fields"]), fk["reference"]["resource"], tuple(fk["reference"]["fields"])))
    if problems:
        raise SchemaError(problems)
    bounds = data["x-row-count"]
    return Table(data["name"], data["title"], _oneline(data["description"]), data["x-grain"],
                 tuple(data["primaryKey"]), tuple(fks), bounds["min"], bounds["max"], tuple(columns)), doc


def _nested(entries: list) -> tuple[Nested, ...]:
    return tuple(Nested(e["key"], e.get("table"), e.get("bridge"), _nested(e.get("nested", [])), e.get("position"),
                        e.get("optional", False)) for e in entries)


def _cross_check(fields_doc: Document, fields: dict[str, FieldDef], vocabularies: dict[str, tuple[Vocabulary, Document]],
                 tables: dict[str, tuple[Table, Document]], records_doc: Document) -> list[str]:
    """References between files: vocabularies of fields and attributes, foreign keys, the record layout."""
    problems = []
    for i, f in enumerate(fields_doc.data["fields"]):
        for key in ("x-vocabulary", "x-item-vocabulary"):
            if key in f and f[key] not in vocabularies:
                problems.append(fields_doc.problem(("fields", i, key), f"unknown vocabulary {f[key]!r}"))
    for vocabulary, doc in vocabularies.values():
        for name, kind in (doc.data.get("attributes") or {}).items():
            if kind in _ATTRIBUTE_TYPES:
                continue
            if kind not in vocabularies:
                problems.append(doc.problem(("attributes", name), f"unknown type {kind!r}; expected integer, "
                                            "text or the name of a vocabulary"))
                continue
            allowed = vocabularies[kind][0].code_values
            for i, code in enumerate(vocabulary.codes):
                value = code.attributes.get(name)
                if value is not None and value not in allowed:
                    problems.append(doc.problem(("codes", i, name), f"{value!r} is not a code of vocabulary {kind!r}"))
    for table, doc in tables.values():
        for i, fk in enumerate(table.foreign_keys):
            if fk.resource not in tables:
                problems.append(doc.problem(("foreignKeys", i, "reference", "resource"), f"unknown table {fk.resource!r}"))
            elif any(f not in tables[fk.resource][0].column_names for f in fk.reference_fields):
                problems.append(doc.problem(("foreignKeys", i, "reference", "fields"),
                                            f"not all fields of table {fk.resource!r}"))

    def walk(entries: list, keys: tuple) -> None:
        for i, entry in enumerate(entries):
            for key in ("table", "bridge"):
                if key in entry and entry[key] not in tables:
                    problems.append(records_doc.problem((*keys, i, key), f"unknown table {entry[key]!r}"))
            walk(entry.get("nested", []), (*keys, i, "nested"))

    for i, entry in enumerate(records_doc.data["records"]):
        if entry["table"] not in tables:
            problems.append(records_doc.problem(("records", i, "table"), f"unknown table {entry['table']!r}"))
        walk(entry.get("nested", []), ("records", i, "nested"))
    return problems


def load_schema(root: Path | str | None = None) -> Schema:
    """Load and cross-check every file under `root` (default: the checkout's `schema/`)."""
    from irde.paths import schema_dir

    root = Path(root) if root is not None else schema_dir()
    try:
        return _load_schema(root)
    except (KeyError, TypeError, AttributeError, ValueError, IndexError, RecursionError) as exc:
        # A release's schema/ may be anything: a shape no check foresaw is one message, not a traceback.
        text = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        raise SchemaError([f"{root}: malformed schema ({text})"]) from exc


def _load_schema(root: Path) -> Schema:
    problems: list[str] = []

    def attempt(load, *args):
        try:
            return load(*args)
        except SchemaError as exc:
            problems.extend(exc.problems)
            return None

    loaded_fields = attempt(_load_fields, root)
    fields = loaded_fields[0] if loaded_fields else None
    vocabularies = {p.stem: attempt(_load_vocabulary, root, p) for p in sorted((root / "vocabularies").glob("*.yaml"))}
    tables = {p.stem: attempt(_load_table, root, p, fields) for p in sorted((root / "tables").glob("*.yaml"))}
    records_doc = attempt(read, root / "records.yaml", RECORDS_SHAPE, _display(root, root / "records.yaml"))
    dataset_doc = attempt(read, root / "dataset.yaml", DATASET_SHAPE, _display(root, root / "dataset.yaml"))
    if problems:
        raise SchemaError(problems)
    problems = _cross_check(loaded_fields[2], fields, vocabularies, tables, records_doc)
    if problems:
        raise SchemaError(problems)
    record_types = tuple(
        RecordType(e["name"], e["table"], e["folder"], e.get("by_year", False), _nested(e.get("nested", [])),
                   e.get("base", "records"), e.get("id_from_path", False))
        for e in records_doc.data["records"])
    return Schema(root, dataset_doc.data, fields, loaded_fields[1], {k: v[0] for k, v in vocabularies.items()},
                  {k: v[0] for k, v in tables.items()}, record_types)
