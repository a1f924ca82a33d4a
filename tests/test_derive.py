"""Derived values: the allegation status rule, agreement status and the meeting event-code crosswalk."""

from __future__ import annotations

import datetime as dt

import pytest

from irde.tables.derive import agreement_status, allegation_status, meeting_event_codes

ACCUSED = {"IRN", "RUS"}


def s(day: int, stance: str, country: str) -> dict:
    return {"statement_date": dt.date(2023, 1, day), "statement_id": f"x/2023-01-{day:02d}-{stance}",
            "stance": stance, "speaker_country": country}


@pytest.mark.parametrize("statements, expected", [
    ([s(1, "claim", "USA")], "alleged"),
    ([s(1, "claim", "USA"), s(2, "denial", "IRN")], "denied"),
    ([s(1, "claim", "USA"), s(2, "denial", "IRN"), s(3, "corroboration", "UKR")], "corroborated"),
    ([s(1, "claim", "USA"), s(2, "denial", "IRN"), s(3, "partial_admission", "IRN")], "partially_admitted"),
    ([s(1, "claim", "USA"), s(2, "partial_admission", "IRN"), s(3, "admission", "RUS")], "admitted"),
    ([s(1, "claim", "GBR"), s(2, "retraction", "GBR")], "retracted"),
    ([s(1, "claim", "GBR"), s(2, "retraction", "GBR"), s(3, "claim", "USA")], "alleged"),
    ([s(1, "claim", "USA"), s(2, "admission", "USA")], "alleged"),  # only an accused party can admit
    ([s(1, "claim", "USA"), s(2, "evidence_dispute", "IRN"), s(3, "sanction", "USA")], "alleged"),
])
def test_allegation_status_rule(statements, expected):
    assert allegation_status(statements, ACCUSED) == expected
    assert allegation_status(list(reversed(statements)), ACCUSED) == expected


@pytest.mark.parametrize("dates, expected", [
    ({"signed_date": 1}, "signed_later_stages_unknown"),  # later stages not researched: never "signed"
    ({"signed_date": 1, "ratified_iran_date": 2}, "partially_ratified"),
    ({"signed_date": 1, "ratified_iran_date": 2, "ratified_russia_date": 3}, "ratified"),
    ({"signed_date": 1, "in_force_date": 4}, "in_force"),
    ({"signed_date": 1, "in_force_date": 4, "terminated_date": 5}, "terminated"),
])
def test_agreement_status(dates, expected):
    assert agreement_status(dates) == expected


@pytest.mark.parametrize("mode, format_, host, expected", [
    ("phone", "bilateral", None, ("CONSULT", "phone", "041")),
    ("video", "multilateral", None, ("CONSULT", "phone", "040")),
    ("in_person", "bilateral", "IRN", ("CONSULT", "visit", "042")),
    ("in_person", "bilateral", "TKM", ("CONSULT", "third-party", "044")),
    ("in_person", "multilateral", "RUS", ("CONSULT", "multilateral", "042")),
    ("in_person", "multilateral", "UZB", ("CONSULT", "multilateral", "044")),
])
def test_meeting_event_codes(mode, format_, host, expected):
    assert meeting_event_codes(mode, format_, host) == expected


def test_event_codes_are_in_their_vocabularies(schema):
    cameo = set(schema.vocabularies["cameo_code"].code_values)
    plover = set(schema.vocabularies["plover_event_type"].code_values)
    modes = set(schema.vocabularies["plover_mode"].code_values)
    for mode in ("phone", "video", "in_person"):
        for format_ in ("bilateral", "multilateral"):
            for host in ("IRN", "TUR", None):
                event, plover_mode, code = meeting_event_codes(mode, format_, host)
                assert event in plover and plover_mode in modes and code in cameo
    for code in schema.vocabularies["stance"].codes:
        assert code.attributes["plover_event_type"] in plover
        assert code.attributes["cameo_code"] in cameo
        assert code.attributes.get("plover_mode") in modes | {None}
