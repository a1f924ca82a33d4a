"""The dyadic event table: one test per direction rule of schema/vocabularies/direction_rule.yaml, on
hand-made rows; scores come from the vocabularies; a call's initiator is read when `initiated_by`
exists; the committed table answers a GDELT-style monthly query."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ROOT
from irde.tables.dyads import dyad_rows

DAY = dt.date(2024, 3, 5)
PERSONS = [
    {"person_id": "iran-minister", "country": "IRN", "sector": "diplomacy"},
    {"person_id": "iran-deputy", "country": "IRN", "sector": "diplomacy"},
    {"person_id": "russia-minister", "country": "RUS", "sector": "diplomacy"},
    {"person_id": "us-spokesperson", "country": "USA", "sector": "diplomacy"},
]


def meeting(mode="in_person", format_="bilateral", host="RUS", **extra) -> dict:
    from irde.tables.derive import meeting_event_codes

    plover, plover_mode, cameo = meeting_event_codes(mode, format_, host)
    return {"meeting_id": "2024-03-05-m", "start_date": DAY, "end_date": DAY + dt.timedelta(days=1),
            "date_precision": "day", "mode": mode, "format": format_, "host_country": host,
            "plover_event_type": plover, "plover_mode": plover_mode, "cameo_code": cameo, **extra}


PARTICIPANTS = [
    {"meeting_id": "2024-03-05-m", "person_id": "iran-deputy", "delegation": "IRN", "role_code": "deputy_minister",
     "is_head_of_delegation": False},
    {"meeting_id": "2024-03-05-m", "person_id": "iran-minister", "delegation": "IRN", "role_code": "foreign_minister",
     "is_head_of_delegation": True},
    {"meeting_id": "2024-03-05-m", "person_id": "russia-minister", "delegation": "RUS",
     "role_code": "foreign_minister", "is_head_of_delegation": True},
]


def dyads(schema, **tables) -> list[tuple]:
    rows = {"persons": PERSONS, "participants": PARTICIPANTS, **tables}
    return [(r["actor1_country"], r["actor2_country"], r["direction_rule"]) for r in dyad_rows(schema, rows)]


def test_visit_runs_visitor_to_host(schema):
    assert dyads(schema, meetings=[meeting(host="RUS")]) == [("IRN", "RUS", "visit_visitor_to_host")]
    assert dyads(schema, meetings=[meeting(host="IRN")]) == [("RUS", "IRN", "visit_visitor_to_host")]
    [row] = dyad_rows(schema, {"persons": PERSONS, "participants": PARTICIPANTS, "meetings": [meeting(host="RUS")]})
    assert (row["actor1_person_id"], row["actor1_sector"], row["actor2_person_id"]) == \
        ("iran-minister", "diplomacy", "russia-minister")  # the head of delegation, not the deputy
    assert (row["cameo_code"], row["plover_event_type"], row["plover_mode"]) == ("042", "CONSULT", "visit")
    assert (row["event_start_date"], row["event_end_date"]) == (DAY, DAY + dt.timedelta(days=1))


def test_bilateral_meeting_elsewhere_runs_both_ways(schema):
    assert dyads(schema, meetings=[meeting(host="KAZ")]) == [("IRN", "RUS", "third_location_both_ways"),
                                                             ("RUS", "IRN", "third_location_both_ways")]


@pytest.mark.parametrize("mode", ["phone", "video"])
def test_call_without_initiator_column_runs_both_ways_flagged(schema, mode):
    assert dyads(schema, meetings=[meeting(mode=mode, host=None)]) == [("IRN", "RUS", "call_initiator_unknown"),
                                                                       ("RUS", "IRN", "call_initiator_unknown")]


@pytest.mark.parametrize("initiator, expected", [
    ("IRN", [("IRN", "RUS", "call_initiator_to_other")]),
    ("RUS", [("RUS", "IRN", "call_initiator_to_other")]),
    ("unknown", [("IRN", "RUS", "call_initiator_unknown"), ("RUS", "IRN", "call_initiator_unknown")]),
    (None, [("IRN", "RUS", "call_initiator_unknown"), ("RUS", "IRN", "call_initiator_unknown")]),
])
def test_call_reads_initiated_by_when_the_column_exists(schema, initiator, expected):
    assert dyads(schema, meetings=[meeting(mode="phone", host=None, initiated_by=initiator)]) == expected


@pytest.mark.parametrize("mode, host", [("in_person", "CHN"), ("in_person", "RUS"), ("video", None)])
def test_multilateral_meeting_gives_the_iran_russia_dyad_both_ways(schema, mode, host):
    m = meeting(mode=mode, format_="multilateral", host=host, countries_present=["IRN", "RUS", "CHN", "IND"])
    assert dyads(schema, meetings=[m]) == [("IRN", "RUS", "multilateral_both_ways"),
                                           ("RUS", "IRN", "multilateral_both_ways")]


def test_agreement_stages_are_057_support(schema):
    agreement = {"agreement_id": "2024-03-05-a", "signed_date": DAY, "signatories": ["russia-minister", "iran-minister"],
                 "ratified_iran_date": DAY + dt.timedelta(days=30), "ratified_russia_date": None}
    rows = dyad_rows(schema, {"persons": PERSONS, "agreements": [agreement]})
    assert [(r["event_stage"], r["actor1_country"], r["actor2_country"], r["direction_rule"]) for r in rows] == [
        ("signing", "IRN", "RUS", "agreement_signed_both_ways"),
        ("signing", "RUS", "IRN", "agreement_signed_both_ways"),
        ("ratification_iran", "IRN", "RUS", "agreement_ratified_by_party")]
    assert {(r["cameo_code"], r["plover_event_type"], r["quad_class"]) for r in rows} == \
        {("057", "SUPPORT", "verbal_cooperation")}
    assert rows[0]["actor1_person_id"] == "iran-minister" and rows[0]["actor2_person_id"] == "russia-minister"
    assert rows[2]["event_start_date"] == DAY + dt.timedelta(days=30)
    assert {r["plover_intensity"] for r in rows} == {schema.vocabularies["plover_event_type"].attribute("SUPPORT", "intensity")}


def statement(day: int, stance: str, country: str, person=None) -> dict:
    codes = schema_codes(stance)
    return {"statement_id": f"a/2024-03-{day:02d}-{stance}-{country.lower()}", "allegation_id": "a",
            "statement_date": dt.date(2024, 3, day), "date_precision": "day", "stance": stance,
            "speaker_country": country, "speaker_person_id": person, **codes}


def schema_codes(stance: str) -> dict:
    from irde.schema.model import load_schema

    vocabulary = load_schema(ROOT / "schema").vocabularies["stance"]
    return {k: vocabulary.attribute(stance, k) for k in ("plover_event_type", "plover_mode", "cameo_code")}


ALLEGATION = {"allegation_id": "a", "supplier_countries": ["IRN"], "recipient_countries": ["RUS"]}


def test_accusation_runs_speaker_to_each_accused_as_conflict(schema):
    rows = dyad_rows(schema, {"persons": PERSONS, "allegations": [ALLEGATION],
                              "allegation_statements": [statement(1, "claim", "USA", "us-spokesperson")]})
    assert [(r["actor1_country"], r["actor2_country"], r["direction_rule"]) for r in rows] == [
        ("USA", "IRN", "statement_speaker_to_accused"), ("USA", "RUS", "statement_speaker_to_accused")]
    assert {(r["cameo_code"], r["plover_event_type"], r["plover_mode"], r["quad_class"]) for r in rows} == \
        {("112", "ACCUSE", "allege", "verbal_conflict")}
    assert rows[0]["actor1_person_id"] == "us-spokesperson" and rows[0]["actor1_sector"] == "diplomacy"


def test_an_accused_party_accusing_its_partner_does_not_point_at_itself(schema):
    rows = dyads(schema, allegations=[ALLEGATION], allegation_statements=[statement(1, "sanction", "RUS")])
    assert rows == [("RUS", "IRN", "statement_speaker_to_accused")]


def test_denial_points_at_the_accusers_so_far(schema):
    statements = [statement(1, "claim", "USA"), statement(2, "denial", "IRN"), statement(3, "reiteration", "GBR"),
                  statement(4, "denial", "RUS")]
    rows = dyad_rows(schema, {"allegations": [ALLEGATION], "allegation_statements": statements})
    denials = [(r["actor1_country"], r["actor2_country"], r["cameo_code"], r["plover_event_type"], r["direction_rule"])
               for r in rows if r["cameo_code"] == "016"]
    assert denials == [("IRN", "USA", "016", "REJECT", "statement_answer_to_accusers"),
                       ("RUS", "GBR", "016", "REJECT", "statement_answer_to_accusers"),
                       ("RUS", "USA", "016", "REJECT", "statement_answer_to_accusers")]


def test_answer_before_any_accusation_points_at_the_later_accusers_and_none_gives_no_row(schema):
    early = [statement(1, "response", "IRN"), statement(2, "claim", "UKR")]
    assert dyads(schema, allegations=[ALLEGATION], allegation_statements=early)[0] == \
        ("IRN", "UKR", "statement_answer_to_accusers")
    assert dyads(schema, allegations=[ALLEGATION], allegation_statements=[statement(1, "denial", "IRN")]) == []


def test_scores_come_from_the_vocabularies(schema):
    modes, types = schema.vocabularies["plover_mode"], schema.vocabularies["plover_event_type"]
    [visit] = dyad_rows(schema, {"meetings": [meeting(host="IRN")]})
    assert visit["plover_intensity"] == modes.attribute("visit", "intensity")
    [_, claim] = dyad_rows(schema, {"allegations": [ALLEGATION], "allegation_statements": [statement(1, "claim", "USA")]})
    assert claim["plover_intensity"] is None  # ACCUSE has no checked score (see the vocabulary)
    [denial] = dyad_rows(schema, {"allegations": [ALLEGATION], "allegation_statements": [
        statement(1, "claim", "USA"), statement(2, "denial", "IRN")]})[2:]
    assert denial["plover_intensity"] == types.attribute("REJECT", "intensity")
    assert {r["goldstein_scale"] for r in dyad_rows(schema, {"meetings": [meeting()]})} == {None}


def test_every_direction_rule_is_documented_and_used(schema):
    import inspect

    from irde.tables import dyads as module

    source = inspect.getsource(module)
    for code in schema.vocabularies["direction_rule"].code_values:
        assert f'"{code}"' in source, code


def test_the_readme_monthly_iran_to_russia_consult_query_runs_on_the_committed_table(monkeypatch):
    """The README's one short query (DuckDB on the committed Parquet) gives the GDELT-style monthly count."""
    import re

    import duckdb
    import pandas as pd

    queries = [q for q in re.findall(r'duckdb\.sql\("""(.*?)"""\)', (ROOT / "README.md").read_text(), re.S)
               if "dyads.parquet" in q]
    assert len(queries) == 1, "the README shows one query on the dyads table"
    monkeypatch.chdir(ROOT)
    monthly = duckdb.sql(queries[0]).df()
    dyads = pd.read_parquet(ROOT / "dataset" / "parquet" / "dyads.parquet")
    expected = dyads[(dyads.actor1_country == "IRN") & (dyads.actor2_country == "RUS")
                     & (dyads.plover_event_type == "CONSULT")]
    assert list(monthly.columns) == ["month", "consult_events"]
    assert monthly["consult_events"].sum() == len(expected) > 100
    assert monthly["month"].is_monotonic_increasing
