"""Encounters of two officials (or two offices): which meetings they both took part in, how, and how
many distinct occasions that makes per year (notebooks 02 and 03).

The unit is the encounter (`meetings.encounter_id`): a multilateral meeting and the bilateral
meetings on its sidelines are one encounter, so a summit and the talks held there count once. A
meeting is in person for a pair only if both attended in person (`participants.attendance`), so a
summit that one of them joined by video is not an in-person contact of the pair.
"""
from __future__ import annotations

import pandas as pd

from irde.analysis.common import as_codes, earliest_dates, encounter_ids


def _matching(participants: pd.DataFrame, who: dict[str, object]) -> pd.DataFrame:
    chosen = participants
    for column, value in who.items():
        chosen = chosen[as_codes(chosen[column]) == value]
    attendance = chosen["attendance"] if "attendance" in chosen else pd.Series(None, index=chosen.index)
    return pd.DataFrame({"meeting_id": chosen["meeting_id"].astype(str).to_numpy(),
                         "attendance": as_codes(attendance).to_numpy()})


def pair_meetings(meetings: pd.DataFrame, participants: pd.DataFrame, first: dict[str, object],
                  second: dict[str, object], in_person: bool = False) -> pd.DataFrame:
    """Meetings at which a participant matching `first` and one matching `second` both took part.

    `first` and `second` filter participants by column, e.g. {"person_id": "vladimir-putin"} and
    {"delegation": "IRN", "role_code": "head_of_state"}. With in_person, only meetings both attended
    in person. Columns: meeting_id, encounter_id, date (date_earliest), year.
    """
    a, b = _matching(participants, first), _matching(participants, second)
    if in_person:
        a, b = a[a["attendance"] == "in_person"], b[b["attendance"] == "in_person"]
    ids = set(a["meeting_id"]) & set(b["meeting_id"])
    chosen = meetings[meetings["meeting_id"].astype(str).isin(ids)]
    out = pd.DataFrame({"meeting_id": chosen["meeting_id"].astype(str).to_numpy(),
                        "encounter_id": encounter_ids(chosen).to_numpy(),
                        "date": earliest_dates(chosen, "start_date").to_numpy()})
    out["year"] = out["date"].dt.year
    return out.sort_values(["date", "meeting_id"], ignore_index=True)


def encounters_per_year(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per year: the meetings and the distinct encounters among `pairs` (from pair_meetings).

    An encounter counts in the year of its earliest meeting. Columns: year, meetings, encounters.
    """
    first = pairs.groupby("encounter_id")["date"].min().dt.year
    meetings = pairs.groupby("year").size()
    encounters = first.value_counts()
    years = sorted(set(meetings.index) | set(encounters.index))
    return pd.DataFrame({"year": years,
                         "meetings": [int(meetings.get(y, 0)) for y in years],
                         "encounters": [int(encounters.get(y, 0)) for y in years]})
