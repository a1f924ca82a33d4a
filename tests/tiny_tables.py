"""A hand-made, four-meeting version of the IRDE tables for the analysis and plotting tests.

Small enough to check every result by hand: the expected values in the tests are worked out in
their comments from the rows below.
"""

from __future__ import annotations

import pandas as pd

STATUS_CODES = ["retracted", "admitted", "partially_admitted", "corroborated", "denied", "alleged"]
CATEGORY_CODES = ["drone_transfer", "missile_transfer", "sanctions_evasion"]


def _dates(values):
    return pd.to_datetime(pd.Series(values))


def tiny_tables() -> dict[str, pd.DataFrame]:
    meetings = pd.DataFrame({
        "meeting_id": ["2021-06-10-a", "2021-08-05-b", "2022-03-15-c", "2022-05-20-d"],
        "title": ["Visit", "Call", "SCO summit", "BRICS video"],
        "start_date": _dates(["2021-06-10", "2021-08-05", "2022-03-15", "2022-05-20"]),
        "mode": ["in_person", "phone", "in_person", "video"],
        "format": ["bilateral", "bilateral", "multilateral", "multilateral"],
        "forum": [None, None, "sco", "brics"],
        "countries_present": [["IRN", "RUS"], ["IRN", "RUS"], ["IRN", "RUS", "CHN", "IND"], ["IRN", "RUS", "CHN"]],
        "highest_level": ["head_of_state", "foreign_minister", "head_of_state", "deputy_minister"],
        "plover_mode": ["visit", "phone", "multilateral", "phone"],
        "independent_source_count": [2, 1, 2, 1],
    })
    participants = pd.DataFrame([
        ("2021-06-10-a", "raisi", "IRN"), ("2021-06-10-a", "putin", "RUS"),
        ("2021-08-05-b", "fm-iran", "IRN"), ("2021-08-05-b", "lavrov", "RUS"),
        ("2022-03-15-c", "raisi", "IRN"), ("2022-03-15-c", "putin", "RUS"), ("2022-03-15-c", "lavrov", "RUS"),
        ("2022-05-20-d", "deputy-iran", "IRN"), ("2022-05-20-d", "deputy-russia", "RUS"),
    ], columns=["meeting_id", "person_id", "delegation"])
    persons = pd.DataFrame({
        "person_id": ["raisi", "putin", "fm-iran", "lavrov", "deputy-iran", "deputy-russia"],
        "name_en": ["Ebrahim Raisi", "Vladimir Putin", "Iran FM", "Sergey Lavrov", "Iran Deputy", "Russia Deputy"],
        "country": ["IRN", "RUS", "IRN", "RUS", "IRN", "RUS"],
    })
    agreements = pd.DataFrame({
        "agreement_id": ["2021-06-10-deal", "2022-05-02-treaty"],
        "title": ["A deal", "A treaty"],
        "kind": ["agreement", "treaty"],
        "parties": [["IRN", "RUS"], ["RUS", "IRN"]],
        "signed_date": _dates(["2021-06-10", "2022-05-02"]),
        "ratified_iran_date": _dates(["2021-08-01", None]),
        "ratified_russia_date": _dates([None, None]),
        "in_force_date": _dates([None, "2022-05-30"]),
        "terminated_date": _dates([None, None]),
    })
    allegations = pd.DataFrame({
        "allegation_id": ["drones", "evasion"],
        "title": ["Drones to Russia", "Sanctions evasion"],
        "category": pd.Categorical(["drone_transfer", "sanctions_evasion"], categories=CATEGORY_CODES),
        "status": pd.Categorical(["corroborated", "alleged"], categories=STATUS_CODES),
        "first_claimed_date": _dates(["2022-04-01", "2022-05-10"]),
        "statement_count": [3, 1],
    })
    statements = pd.DataFrame({
        "statement_id": ["drones/2022-04-01-claim", "drones/2022-04-11-denial", "drones/2022-05-15-evidence",
                         "evasion/2022-05-10-claim"],
        "allegation_id": ["drones", "drones", "drones", "evasion"],
        "statement_date": _dates(["2022-04-01", "2022-04-11", "2022-05-15", "2022-05-10"]),
        "stance": ["claim", "denial", "corroboration", "claim"],
        "speaker_country": ["USA", "IRN", "GBR", "USA"],
        "speaker_type": ["media", "government", "government", "government"],
    })
    sources = pd.DataFrame({
        "source_id": ["s1", "s2", "s3", "s4"],
        "publisher": ["Agency A", "Agency B", "Paper C", "Agency A"],
        "language": ["en", "ru", "en", "fa"],
        "source_type": ["state_media", "state_media", "independent_media", "state_media"],
        "outlet_country": ["IRN", "RUS", "USA", None],
    })
    meeting_sources = pd.DataFrame([("2021-06-10-a", "s1"), ("2021-06-10-a", "s2"), ("2021-08-05-b", "s1"),
                                    ("2021-08-05-b", "s4"), ("2022-03-15-c", "s2"), ("2022-03-15-c", "s3"),
                                    ("2022-05-20-d", "s3")], columns=["meeting_id", "source_id"])
    agreement_sources = pd.DataFrame([("2021-06-10-deal", "s1"), ("2022-05-02-treaty", "s2"),
                                      ("2022-05-02-treaty", "s3")], columns=["agreement_id", "source_id"])
    statement_sources = pd.DataFrame([("drones/2022-04-01-claim", "s3")], columns=["statement_id", "source_id"])
    return {"meetings": meetings, "participants": participants, "persons": persons, "agreements": agreements,
            "allegations": allegations, "allegation_statements": statements, "sources": sources,
            "meeting_sources": meeting_sources, "agreement_sources": agreement_sources,
            "statement_sources": statement_sources}


def empty_tables() -> dict[str, pd.DataFrame]:
    """The same tables with no rows (a version before any record, or a filtered copy)."""
    return {name: frame.iloc[0:0] for name, frame in tiny_tables().items()}
