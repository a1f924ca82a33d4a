"""The schema is well-formed and economical: every definition used, keys required, names regular."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from conftest import FIXTURES, ROOT
from irde.schema.model import SchemaError, load_schema


def test_every_field_definition_is_used_by_a_table(schema):
    used = {c.name for t in schema.tables.values() for c in t.columns}
    assert set(schema.fields) - used == set()


def test_every_vocabulary_is_used_by_a_field(schema):
    used = {f.vocabulary for f in schema.fields.values()} | {f.item_vocabulary for f in schema.fields.values()}
    used.add("organisation")  # the country_or_organisation code list
    assert set(schema.vocabularies) - used == set()


def test_every_pattern_is_used(schema):
    used = {f.pattern_name for f in schema.fields.values()} | {f.item_pattern for f in schema.fields.values()}
    assert set(schema.patterns) - used == set()


def test_primary_keys_are_required(schema):
    for table in schema.tables.values():
        for key in table.primary_key:
            assert table.column(key).required, f"{table.name}.{key}"


def test_names_are_snake_case(schema):
    for table in schema.tables.values():
        assert re.match(r"^[a-z][a-z0-9_]*$", table.name)
        for column in table.columns:
            assert re.match(r"^[a-z][a-z0-9_]*$", column.name)


def test_every_table_is_reachable_from_a_record_type(schema):
    reached = set()

    def walk(nested):
        for n in nested:
            reached.add(n.table or n.bridge)
            walk(n.nested)

    for record_type in schema.record_types:
        reached.add(record_type.table)
        walk(record_type.nested)
    built = {t.name for t in schema.tables.values() if all(c.derived for c in t.columns)}  # e.g. dyads
    assert "dyads" in built and not built & reached
    assert reached | {"sources"} | built == set(schema.tables)


def test_office_ranks_are_unique(schema):
    ranks = [c.attributes["rank"] for c in schema.vocabularies["office"].codes]
    assert len(ranks) == len(set(ranks))


PRE_FIX = sorted((FIXTURES / "schema_pre_fix").glob("*.yaml"))  # the vocabularies as written before issue 12
KNOWN_KEYS = ("code", "label", "definition", "rank", "tier", "plover_event_type", "plover_mode", "cameo_code")


def _reassembled(entry: dict) -> dict:
    """What the author wrote in an old one-line entry: each key PyYAML invented after an unquoted
    comma is put back, with its comma, onto the value it was cut from."""
    out, current = {}, None
    for key, value in entry.items():
        if key in KNOWN_KEYS:
            current, out[key] = key, value
        else:
            out[current] = f"{out[current]}, {key}" + ("" if value is None else f": {value}")
    return out


@pytest.mark.parametrize("old", PRE_FIX, ids=lambda p: p.name)
def test_the_old_one_line_vocabularies_are_refused(old, tmp_path):
    copy = tmp_path / "schema"
    shutil.copytree(ROOT / "schema", copy)
    shutil.copy(old, copy / "vocabularies" / old.name)
    with pytest.raises(SchemaError) as info:
        load_schema(copy)
    lines = str(info.value).splitlines()
    assert all(line.startswith(f"schema/vocabularies/{old.name}:") for line in lines)
    assert any("an unquoted comma inside {…}" in line for line in lines)


@pytest.mark.parametrize("old", PRE_FIX, ids=lambda p: p.name)
def test_no_text_was_lost_in_the_rewrite(old, schema):
    """Every code keeps exactly the label, definition and attributes the author wrote before the fix
    (attributes added since, such as the dyads' intensities, are not part of the comparison)."""
    vocabulary = schema.vocabularies[old.stem]
    before = [_reassembled(e) for e in yaml.safe_load(old.read_text(encoding="utf-8"))["codes"]]
    after = [{"code": c.code, "label": c.label, "definition": c.definition, **c.attributes} for c in vocabulary.codes]
    assert [{k: a.get(k) for k in b} for a, b in zip(after, before)] == before and len(after) == len(before)


def test_no_definition_or_description_looks_truncated(schema):
    texts = [(f"vocabulary {v.name}", v.description) for v in schema.vocabularies.values()]
    texts += [(f"{v.name}.{c.code}", c.definition) for v in schema.vocabularies.values() for c in v.codes]
    texts += [(f"field {f.name}", f.description) for f in schema.fields.values()]
    texts += [(f"table {t.name}", t.description) for t in schema.tables.values()]
    texts += [("dataset", " ".join(str(schema.dataset["description"]).split()))]
    for where, text in texts:
        assert text.endswith("."), f"{where}: {text!r} does not end as a whole sentence"
    for v in schema.vocabularies.values():
        for c in v.codes:
            assert set(c.attributes) <= set(v.attributes), f"{v.name}.{c.code}: {sorted(c.attributes)}"
            assert "," not in c.code and len(c.label) < 60, f"{v.name}.{c.code}"
