"""Issue 15, the unit of analysis: encounters, attendance, date ranges, allegation summaries,
agreement stages and the migration of curators' interim note sentences.

Counts are checked on hand-made rows where the right answer is known, and on the committed tables
for the properties the issue's "done when" names.
"""

from __future__ import annotations

import datetime as dt
import importlib.util

import pandas as pd
import pytest

from conftest import FIXTURE_TODAY, ROOT
from irde.analysis.encounters import encounters_per_year, pair_meetings
from irde.analysis.lifecycles import allegation_timeline, time_to_first_denial
from irde.curation.records import collect
from irde.tables.dates import date_range
from irde.tables.derive import agreement_status, encounter_ids

D = dt.date


# -- encounters ----------------------------------------------------------------------------------

def _summit_tables(putin_attendance: str = "in_person"):
    meetings = pd.DataFrame({
        "meeting_id": ["2022-09-15-summit", "2022-09-15-bilateral", "2022-11-01-visit"],
        "parent_meeting_id": [None, "2022-09-15-summit", None],
        "start_date": pd.to_datetime(["2022-09-15", "2022-09-15", "2022-11-01"]),
    })
    meetings["encounter_id"] = meetings["meeting_id"].map(encounter_ids(meetings.to_dict("records")))
    meetings["date_earliest"] = meetings["start_date"]
    participants = pd.DataFrame([
        ("2022-09-15-summit", "putin", "RUS", "head_of_state", putin_attendance),
        ("2022-09-15-summit", "raisi", "IRN", "head_of_state", "in_person"),
        ("2022-09-15-bilateral", "putin", "RUS", "head_of_state", putin_attendance),
        ("2022-09-15-bilateral", "raisi", "IRN", "head_of_state", "in_person"),
        ("2022-11-01-visit", "putin", "RUS", "head_of_state", "in_person"),
        ("2022-11-01-visit", "raisi", "IRN", "head_of_state", "in_person"),
    ], columns=["meeting_id", "person_id", "delegation", "role_code", "attendance"])
    return meetings, participants


def test_a_summit_and_its_sideline_are_one_encounter():
    meetings, participants = _summit_tables()
    pairs = pair_meetings(meetings, participants, {"person_id": "putin"},
                          {"delegation": "IRN", "role_code": "head_of_state"}, in_person=True)
    counts = encounters_per_year(pairs)
    assert counts.to_dict("records") == [{"year": 2022, "meetings": 3, "encounters": 2}]


def test_a_pair_is_in_person_only_if_both_attended_in_person():
    meetings, participants = _summit_tables(putin_attendance="video")
    pairs = pair_meetings(meetings, participants, {"person_id": "putin"},
                          {"delegation": "IRN", "role_code": "head_of_state"}, in_person=True)
    assert list(pairs["meeting_id"]) == ["2022-11-01-visit"]


def test_in_person_putin_president_encounters_per_year_from_the_tables():
    import irde

    meetings, participants = irde.load("meetings"), irde.load("participants")
    pairs = pair_meetings(meetings, participants, {"person_id": "vladimir-putin"},
                          {"delegation": "IRN", "role_code": "head_of_state"}, in_person=True)
    counts = encounters_per_year(pairs).set_index("year")
    # No sideline doubles its summit: every counted encounter is one distinct encounter_id ...
    assert counts["encounters"].sum() == pairs["encounter_id"].nunique()
    sidelines = meetings[meetings["is_sideline"] & meetings["meeting_id"].isin(pairs["meeting_id"])]
    parents_counted = sidelines["parent_meeting_id"].astype(str).isin(pairs["meeting_id"])
    assert parents_counted.any()  # the data has summits with a sideline bilateral of the pair
    assert (counts["encounters"] < counts["meetings"]).any()
    # ... and Putin joined the 2021 Dushanbe SCO summit by video, so 2021 has no in-person encounter.
    assert 2021 not in counts.index


# -- the declared exception ----------------------------------------------------------------------

def test_a_bilateral_in_a_forum_without_parent_passes_only_with_the_declared_exception(valid_records):
    path = valid_records / "meetings" / "2023" / "2023-02-08-moscow-example-sideline.yaml"
    text = path.read_text().replace("parent_meeting_id: 2023-02-08-moscow-example\n", "")
    path.write_text(text)
    today = D.fromisoformat(FIXTURE_TODAY)
    assert [p.field for p in collect_problems(valid_records, today)] == ["parent_meeting_id"]
    path.write_text(text.replace("forum: rsd_afghanistan\n", "forum: rsd_afghanistan\nno_parent_reason: parent_not_recorded\n")
                    + "note: No record of the example multilateral meeting exists yet.\n")
    assert collect_problems(valid_records, today) == []


def collect_problems(records, today):
    from irde.schema.model import load_schema

    return collect(load_schema(), records, today=today).problems


# -- date ranges and statement order -------------------------------------------------------------

@pytest.mark.parametrize("stored, precision, end, not_before, expected", [
    (D(2022, 10, 18), "day", None, None, (D(2022, 10, 18), D(2022, 10, 18))),
    (D(2022, 10, 1), "month", None, None, (D(2022, 10, 1), D(2022, 10, 31))),
    (D(2024, 2, 1), "month", None, None, (D(2024, 2, 1), D(2024, 2, 29))),
    (D(2022, 1, 1), "year", None, None, (D(2022, 1, 1), D(2022, 12, 31))),
    (D(2022, 10, 1), "day", D(2022, 10, 3), None, (D(2022, 10, 1), D(2022, 10, 3))),
    # a denial of "October 2022" answering a claim of 18 October starts no earlier than the claim
    (D(2022, 10, 1), "month", None, D(2022, 10, 18), (D(2022, 10, 18), D(2022, 10, 31))),
    # a bound outside the range leaves it alone (a denial made before the claim it is recorded with)
    (D(2022, 7, 15), "day", None, D(2022, 7, 16), (D(2022, 7, 15), D(2022, 7, 15))),
])
def test_date_range(stored, precision, end, not_before, expected):
    assert date_range(stored, precision, end, not_before) == expected


def test_ordering_on_date_earliest_never_puts_a_placeholder_answer_before_its_claim():
    import irde

    allegations, statements = irde.load("allegations"), irde.load("allegation_statements")
    timeline = allegation_timeline(allegations, statements)
    assert timeline["date"].notna().all()
    for aid, rows in statements.groupby(statements["allegation_id"].astype(str)):
        first_claim = pd.to_datetime(rows.loc[rows["stance"].astype(str) == "claim", "date_earliest"]).min()
        for _, s in rows.iterrows():
            if str(s["stance"]) != "claim" and pd.Timestamp(s["date_latest"]) >= first_claim:
                assert pd.Timestamp(s["date_earliest"]) >= first_claim, s["statement_id"]
    days = time_to_first_denial(allegations, statements)["days_to_denial"].dropna()
    assert len(days) and (days >= 0).all()


def test_time_to_first_denial_uses_date_ranges_not_placeholders():
    allegations = pd.DataFrame({"allegation_id": ["a"], "title": ["A"], "category": ["drone_transfer"],
                                "first_claimed_date": pd.to_datetime(["2022-10-18"])})
    statements = pd.DataFrame({
        "statement_id": ["a/2022-10-18-claim", "a/2022-10-01-denial"], "allegation_id": ["a", "a"],
        "stance": ["claim", "denial"], "statement_date": pd.to_datetime(["2022-10-18", "2022-10-01"]),
        "date_earliest": pd.to_datetime(["2022-10-18", "2022-10-18"]),
        "date_latest": pd.to_datetime(["2022-10-18", "2022-10-31"]), "speaker_country": ["USA", "IRN"]})
    out = time_to_first_denial(allegations, statements)
    assert out.loc[0, "days_to_denial"] == 0 and not out.loc[0, "denied_before_claim"]
    assert list(allegation_timeline(allegations, statements)["stance"]) == ["claim", "denial"]


# -- agreement stages ----------------------------------------------------------------------------

@pytest.mark.parametrize("row, expected", [
    ({}, "signed_later_stages_unknown"),
    ({"ratification_iran_status": "pending", "ratification_russia_status": "pending",
      "entry_into_force_status": "pending"}, "signed"),
    ({"ratification_iran_status": "not_required", "ratification_russia_status": "not_required",
      "entry_into_force_status": "not_required"}, "signed"),
    ({"ratified_iran_date": D(2023, 1, 1)}, "partially_ratified"),
    ({"ratified_iran_date": D(2023, 1, 1), "ratified_russia_date": D(2023, 2, 1)}, "ratified"),
    ({"ratified_iran_date": D(2023, 1, 1), "ratification_russia_status": "not_required"}, "ratified"),
    ({"in_force_date": D(2023, 3, 1)}, "in_force"),
    ({"terminated_date": D(2024, 1, 1)}, "terminated"),
])
def test_agreement_status_never_says_signed_when_a_stage_is_unknown(row, expected):
    assert agreement_status(row) == expected


def test_committed_agreement_stages_are_honest():
    import irde

    stages, agreements = irde.load("agreement_stages"), irde.load("agreements")
    unknown = set(stages.loc[stages["stage_status"].astype(str) == "unknown", "agreement_id"].astype(str))
    signed = set(agreements.loc[agreements["agreement_status"].astype(str) == "signed", "agreement_id"].astype(str))
    assert not unknown & signed
    caspian = agreements[agreements["agreement_id"] == "2018-08-12-caspian-sea-legal-status-convention"]
    assert caspian["agreement_status"].astype(str).tolist() == ["signed_later_stages_unknown"]


# -- the migration of interim note sentences -----------------------------------------------------

def _migration():
    spec = importlib.util.spec_from_file_location("migrate", ROOT / "tools" / "migrate_unit_of_analysis.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_moves_note_sentences_into_fields_idempotently(valid_records, capsys):
    migrate = _migration()
    path = valid_records / "meetings" / "2023" / "2023-02-08-moscow-example-sideline.yaml"
    path.write_text(path.read_text().replace("sources:\n", "note: >-\n  Checked. Initiator: IRN (according to"
                                             " Kremlin). Attendance: person-b by video (according to TASS).\nsources:\n", 1)
                    .replace("mode: in_person\nformat: bilateral", "mode: in_person\nformat: bilateral"))
    assert migrate.main([str(valid_records)]) == 0
    first = path.read_text()
    assert "initiated_by: IRN" in first and "attendance: video" in first
    assert "Initiator according to Kremlin." in first and "Attendance of person-b according to TASS." in first
    assert "Initiator:" not in first and "Attendance:" not in first
    assert migrate.main([str(valid_records)]) == 0
    assert path.read_text() == first
    assert capsys.readouterr().out.splitlines()[-1] == "migrate_unit_of_analysis: 0 meeting record(s) changed"


@pytest.mark.parametrize("mode, text, expected", [
    ("phone", "They spoke at the Iranian side's initiative, the ministry said.", "IRN"),
    ("phone", "At Russia's initiative, the ministers spoke.", "RUS"),
    ("phone", "Vestnik Kavkaza says the call was initiated by the Iranian side.", "IRN"),
    ("phone", "The call was held at Zarif's request.", "IRN"),
    ("phone", "At Iran's initiative they spoke; Moscow said it was at Russia's initiative.", None),  # both: unset
    ("in_person", "Lavrov arrived at Zarif's invitation.", "IRN"),
    ("in_person", "Shoigu arrived at the invitation of his Iranian counterpart, and talks followed.", "IRN"),
    ("in_person", "Lavrov invited him to Moscow.", None),  # an invitation to a later visit is not this one's
    ("in_person", "He welcomed Iran's invitation to BRICS.", None),
])
def test_migration_reads_the_initiator_from_the_record_text(mode, text, expected):
    from irde.curation.yamlio import Node

    def scalar(value):
        return Node(value, 0, "scalar")

    people = [Node({"person_id": scalar("mohammad-javad-zarif"), "delegation": scalar("IRN")}, 0, "map"),
              Node({"person_id": scalar("sergey-lavrov"), "delegation": scalar("RUS")}, 0, "map")]
    fields = {"format": scalar("bilateral"), "mode": scalar(mode), "summary": scalar(text),
              "participants": Node(people, 0, "seq")}
    assert _migration().initiator_from_text(fields) == expected
