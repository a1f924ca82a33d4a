"""The schema is well-formed and economical: every definition used, keys required, names regular."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import ROOT
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
    derived_only = {t.name for t in schema.tables.values() if all(c.derived for c in t.columns)}
    assert derived_only == {"agreement_stages"}  # built from agreements, never curated
    assert reached | {"sources"} | derived_only == set(schema.tables)


def test_office_ranks_are_unique(schema):
    ranks = [c.attributes["rank"] for c in schema.vocabularies["office"].codes]
    assert len(ranks) == len(set(ranks))


@pytest.mark.parametrize("edit, message", [
    (("tables/meetings.yaml", "  - {name: note}", "  - {name: notes}"), "field 'notes' is not defined"),
    (("fields.yaml", "    x-vocabulary: meeting_mode", "    x-vocabulary: meeting_modes"), "unknown vocabulary 'meeting_modes'"),
    (("tables/persons.yaml", "x-grain:", "x-grains:"), "unknown key(s) ['x-grains']"),
    (("fields.yaml", "    type: boolean", "    type: bool"), "unknown type 'bool'"),
    (("vocabularies/stance.yaml", "  - {code: reiteration,", "  - {code: claim,"), "duplicate code 'claim'"),
])
def test_malformed_schema_is_an_error(tmp_path, edit, message):
    copy = tmp_path / "schema"
    shutil.copytree(ROOT / "schema", copy)
    path, old, new = edit
    text = (copy / path).read_text()
    assert old in text
    (copy / path).write_text(text.replace(old, new, 1))
    with pytest.raises(SchemaError) as info:
        load_schema(copy)
    assert message in str(info.value) and path.split("/")[-1] in str(info.value)
