"""`irde format`: canonical, idempotent, value-preserving; the committed records are canonical."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from conftest import ROOT
from irde.curation.formatting import format_records, format_text, quote
from irde.curation.yamlio import parse_bytes
import yaml

MESSY = """sources:
  - {url: 'https://example.org/a', publisher: "Example Agency", source_title: Example page A, published_date: '2023-02-08', language: en, source_type: state_media, outlet_country: IRN}
summary: "A synthetic fixture meeting held on the sidelines of the fixture multilateral meeting, with a summary long enough to be folded over more than one line of the canonical form."
participants:
- {person_id: person-a, delegation: IRN, role_title: "Secretary", role_code: security_council_secretary, is_head_of_delegation: true}
- is_head_of_delegation: true
  person_id: person-b
  delegation: RUS
  role_title: 'Secretary: of the council'
  role_code: security_council_secretary
topics: [bilateral_relations]
countries_present:
- IRN
- RUS
city: Moscow
host_country: RUS
forum: null
format: bilateral
mode: in_person
date_precision: day
start_date: 2023-02-08
title: Example bilateral meeting on the sidelines
meeting_id: 2023-02-08-moscow-example-sideline
"""


def test_messy_record_becomes_canonical_without_changing_values(schema):
    meeting = schema.record_type("meeting")
    text = format_text(MESSY.encode(), meeting, schema)
    assert text.startswith("meeting_id: 2023-02-08-moscow-example-sideline\ntitle: ")
    assert "forum" not in text  # empty optional field left out
    assert "summary: >-\n  A synthetic" in text
    assert "countries_present: [IRN, RUS]" in text
    assert "role_title: 'Secretary: of the council'" in text
    before = parse_bytes(MESSY.encode())[0].to_python()
    after = parse_bytes(text.encode())[0].to_python()
    before.pop("forum")
    assert after == before
    assert format_text(text.encode(), meeting, schema) == text


def test_format_rewrites_files_and_check_mode_lists_them(schema, valid_records):
    target = valid_records / "meetings" / "2023" / "2023-02-08-moscow-example-sideline.yaml"
    target.write_text(MESSY)
    changed, unparsable = format_records(schema, valid_records, check_only=True)
    assert changed == [target] and unparsable == [] and target.read_text() == MESSY
    format_records(schema, valid_records)
    assert format_records(schema, valid_records, check_only=True) == ([], [])


def test_unparsable_files_are_left_alone(schema, valid_records):
    target = valid_records / "persons" / "person-a.yaml"
    target.write_text("person_id: [unclosed\n")
    changed, unparsable = format_records(schema, valid_records)
    assert unparsable == [target] and target.read_text() == "person_id: [unclosed\n"


def test_committed_records_are_canonical(schema):
    """If this fails, run `irde format` and commit the result."""
    changed, unparsable = format_records(schema, ROOT / "dataset" / "records", check_only=True)
    assert changed == [] and unparsable == [], "run `irde format`"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_quote_reads_back_exactly(text):
    assert yaml.safe_load("k: " + quote(text)) == {"k": text}
