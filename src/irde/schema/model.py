"""The schema model: reads `schema/` (fields, tables, vocabularies, record layout, dataset metadata).

Everything that describes the data — the Arrow schema, the record checks, the codebook, the
validation suites, datapackage.json — is rendered from the objects defined here, so this module
only loads and cross-checks the schema files; it knows nothing about records or Parquet.
A schema file with an unknown key, an undefined field or an unknown vocabulary is an error
(`SchemaError`), because a typo in the single source of truth would otherwise spread silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from irde.errors import IrdeError
from irde.schema.guarded import UnsafeFile, load_yaml

FIELD_TYPES = {"string", "date", "integer", "number", "boolean", "array"}
CODELISTS = {"country", "country_or_organisation", "language"}


class SchemaError(IrdeError):
    """A schema file is malformed; the message names the file and the key."""


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


def _read_yaml(path: Path) -> Any:
    try:
        return load_yaml(path)
    except (OSError, UnsafeFile, yaml.YAMLError) as exc:
        raise SchemaError(f"{path}: cannot read: {' '.join(str(exc).split())}") from exc


def _require_keys(path: Path, where: str, data: dict, allowed: set[str], required: set[str]) -> None:
    if not isinstance(data, dict):
        raise SchemaError(f"{path}: {where}: expected a mapping")
    unknown = set(data) - allowed
    if unknown:
        raise SchemaError(f"{path}: {where}: unknown key(s) {sorted(unknown)}")
    missing = required - set(data)
    if missing:
        raise SchemaError(f"{path}: {where}: missing key(s) {sorted(missing)}")


def _load_vocabulary(path: Path) -> Vocabulary:
    data = _read_yaml(path)
    _require_keys(path, "vocabulary", data, {"name", "title", "description", "codes"},
                  {"name", "title", "description", "codes"})
    if data["name"] != path.stem:
        raise SchemaError(f"{path}: name {data['name']!r} differs from the file name")
    codes = []
    seen = set()
    for i, entry in enumerate(data["codes"]):
        if not isinstance(entry, dict) or not {"code", "label", "definition"} <= set(entry):
            raise SchemaError(f"{path}: codes[{i}]: needs code, label and definition")
        code = str(entry["code"])
        if code in seen:
            raise SchemaError(f"{path}: codes[{i}]: duplicate code {code!r}")
        seen.add(code)
        extra = {k: v for k, v in entry.items() if k not in {"code", "label", "definition"}}
        codes.append(Code(code, str(entry["label"]), str(entry["definition"]), extra))
    return Vocabulary(data["name"], data["title"], " ".join(str(data["description"]).split()), tuple(codes))


_FIELD_KEYS = {"name", "type", "description", "constraints", "x-pattern", "x-vocabulary", "x-codelist",
               "x-item-type", "x-item-vocabulary", "x-item-codelist", "x-item-pattern", "x-script"}
_CONSTRAINT_KEYS = {"minimum", "maximum", "minLength", "maxLength"}


def _load_fields(path: Path) -> tuple[dict[str, FieldDef], dict[str, str]]:
    data = _read_yaml(path)
    _require_keys(path, "fields file", data, {"patterns", "fields"}, {"patterns", "fields"})
    patterns = {str(k): str(v) for k, v in data["patterns"].items()}
    for name, rx in patterns.items():
        try:
            re.compile(rx)
        except re.error as exc:
            raise SchemaError(f"{path}: patterns.{name}: invalid regex: {exc}") from exc
    fields: dict[str, FieldDef] = {}
    for i, f in enumerate(data["fields"]):
        where = f"fields[{i}]"
        _require_keys(path, where, f, _FIELD_KEYS, {"name", "type", "description"})
        if f["name"] in fields:
            raise SchemaError(f"{path}: {where}: field {f['name']!r} defined twice")
        if f["type"] not in FIELD_TYPES:
            raise SchemaError(f"{path}: {where}: unknown type {f['type']!r}")
        cons = f.get("constraints") or {}
        if set(cons) - _CONSTRAINT_KEYS:
            raise SchemaError(f"{path}: {where}: unknown constraint(s) {sorted(set(cons) - _CONSTRAINT_KEYS)}")
        for key in ("x-pattern", "x-item-pattern"):
            if key in f and f[key] not in patterns:
                raise SchemaError(f"{path}: {where}: unknown pattern {f[key]!r}")
        for key in ("x-codelist", "x-item-codelist"):
            if key in f and f[key] not in CODELISTS:
                raise SchemaError(f"{path}: {where}: unknown codelist {f[key]!r}")
        fields[f["name"]] = FieldDef(
            name=f["name"], type=f["type"], description=" ".join(str(f["description"]).split()),
            pattern=patterns.get(f.get("x-pattern")), pattern_name=f.get("x-pattern"),
            vocabulary=f.get("x-vocabulary"), codelist=f.get("x-codelist"),
            item_type=f.get("x-item-type"), item_vocabulary=f.get("x-item-vocabulary"),
            item_codelist=f.get("x-item-codelist"), item_pattern=f.get("x-item-pattern"),
            script=f.get("x-script"),
            minimum=cons.get("minimum"), maximum=cons.get("maximum"),
            min_length=cons.get("minLength"), max_length=cons.get("maxLength"),
        )
    return fields, patterns


_TABLE_KEYS = {"name", "title", "description", "x-grain", "primaryKey", "foreignKeys", "x-row-count", "fields"}


def _load_table(path: Path, fields: dict[str, FieldDef]) -> Table:
    data = _read_yaml(path)
    _require_keys(path, "table", data, _TABLE_KEYS, _TABLE_KEYS)
    if data["name"] != path.stem:
        raise SchemaError(f"{path}: name {data['name']!r} differs from the file name")
    columns = []
    for i, entry in enumerate(data["fields"]):
        _require_keys(path, f"fields[{i}]", entry, {"name", "required", "x-derived"}, {"name"})
        if entry["name"] not in fields:
            raise SchemaError(f"{path}: fields[{i}]: field {entry['name']!r} is not defined in fields.yaml")
        columns.append(Column(fields[entry["name"]], bool(entry.get("required", False)),
                              bool(entry.get("x-derived", False))))
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise SchemaError(f"{path}: a field is listed twice")
    for key in data["primaryKey"]:
        if key not in names:
            raise SchemaError(f"{path}: primaryKey {key!r} is not a field of the table")
    fks = []
    for i, fk in enumerate(data["foreignKeys"] or []):
        _require_keys(path, f"foreignKeys[{i}]", fk, {"fields", "reference"}, {"fields", "reference"})
        fks.append(ForeignKey(tuple(fk["fields"]), fk["reference"]["resource"], tuple(fk["reference"]["fields"])))
    bounds = data["x-row-count"]
    return Table(data["name"], data["title"], " ".join(str(data["description"]).split()), data["x-grain"],
                 tuple(data["primaryKey"]), tuple(fks), int(bounds["min"]), int(bounds["max"]), tuple(columns))


def _load_nested(path: Path, entries: list) -> tuple[Nested, ...]:
    out = []
    for entry in entries or []:
        _require_keys(path, "nested", entry, {"key", "table", "bridge", "nested", "position", "optional"}, {"key"})
        out.append(Nested(entry["key"], entry.get("table"), entry.get("bridge"),
                          _load_nested(path, entry.get("nested", [])), entry.get("position"),
                          bool(entry.get("optional", False))))
    return tuple(out)


def load_schema(root: Path | str | None = None) -> Schema:
    """Load and cross-check every file under `root` (default: the checkout's `schema/`)."""
    from irde.paths import schema_dir

    root = Path(root) if root is not None else schema_dir()
    try:
        return _load_schema(root)
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        # A release's schema/ may be anything: a wrong shape is one message, not a traceback.
        text = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        raise SchemaError(f"{root}: malformed schema ({text})") from exc


def _load_schema(root: Path) -> Schema:
    fields, patterns = _load_fields(root / "fields.yaml")
    vocabularies = {p.stem: _load_vocabulary(p) for p in sorted((root / "vocabularies").glob("*.yaml"))}
    tables = {p.stem: _load_table(p, fields) for p in sorted((root / "tables").glob("*.yaml"))}
    for f in fields.values():
        for vocab in (f.vocabulary, f.item_vocabulary):
            if vocab and vocab not in vocabularies:
                raise SchemaError(f"{root / 'fields.yaml'}: field {f.name!r}: unknown vocabulary {vocab!r}")
    for t in tables.values():
        for fk in t.foreign_keys:
            if fk.resource not in tables:
                raise SchemaError(f"{root / 'tables' / (t.name + '.yaml')}: foreign key to unknown table {fk.resource!r}")
    layout = _read_yaml(root / "records.yaml")
    record_types = []
    for entry in layout["records"]:
        _require_keys(root / "records.yaml", "records", entry,
                      {"name", "table", "folder", "by_year", "nested", "base", "id_from_path"},
                      {"name", "table", "folder"})
        if entry.get("base", "records") not in ("records", "dataset"):
            raise SchemaError(f"{root / 'records.yaml'}: records: base must be 'records' or 'dataset'")
        record_types.append(RecordType(entry["name"], entry["table"], entry["folder"],
                                       bool(entry.get("by_year", False)),
                                       _load_nested(root / "records.yaml", entry.get("nested", [])),
                                       entry.get("base", "records"), bool(entry.get("id_from_path", False))))
    dataset = _read_yaml(root / "dataset.yaml")
    return Schema(root, dataset, fields, patterns, vocabularies, tables, tuple(record_types))
