"""Meetings over time: by level and mode, contacts of heads of state, and the turning points the
charts annotate (notebook 02).

Turning points
--------------
Chart annotations come from records, not from notebook code: Iran's SCO accession is the SCO
meeting record at which Iran became a full member, and the Iran–Russia treaty is the earliest
bilateral Iran–Russia agreement of kind `treaty` in `agreements`. Russia's full-scale invasion of
Ukraine is not an Iran–Russia contact, so no record carries it; it is the documented constant
`INVASION_DATE` (with `INVASION_CITATION`). A turning point whose record is not (yet) in the data
is left out, never guessed.
"""
from __future__ import annotations

import pandas as pd

from irde.analysis.common import (
    HEAD_OF_STATE_OFFICES,
    INVASION_CITATION,
    INVASION_DATE,
    LEVEL_ORDER,
    MODE_ORDER,
    SCO_ACCESSION_MEETING_ID,
    as_codes,
    level_groups,
)


def _complete_periods(index: pd.PeriodIndex, freq: str) -> pd.PeriodIndex:
    if len(index) == 0:
        return pd.PeriodIndex([], freq=freq)
    return pd.period_range(index.min(), index.max(), freq=freq)


def meetings_by_level(meetings: pd.DataFrame, freq: str = "Q") -> pd.DataFrame:
    """Meetings per period (rows, every period from first to last) by coarse level (columns, LEVEL_ORDER)."""
    periods = pd.to_datetime(meetings["start_date"]).dt.to_period(freq)
    table = pd.crosstab(periods, level_groups(meetings)).reindex(columns=list(LEVEL_ORDER), fill_value=0)
    table = table.reindex(_complete_periods(pd.PeriodIndex(periods), freq), fill_value=0)
    table.index.name, table.columns.name = "period", "level"
    return table


def meetings_by_mode(meetings: pd.DataFrame, freq: str = "Y") -> pd.DataFrame:
    """Meetings per period by mode (in_person, video, phone), every period present, plus the remote share."""
    periods = pd.to_datetime(meetings["start_date"]).dt.to_period(freq)
    table = pd.crosstab(periods, as_codes(meetings["mode"])).reindex(columns=list(MODE_ORDER), fill_value=0)
    table = table.reindex(_complete_periods(pd.PeriodIndex(periods), freq), fill_value=0)
    total = table.sum(axis=1)
    table["remote_share"] = ((table["video"] + table["phone"]) / total.where(total > 0)).fillna(0.0)
    table.index.name, table.columns.name = "period", "mode"
    return table


def head_of_state_contacts(meetings: pd.DataFrame) -> pd.DataFrame:
    """Meetings at which a head of state (or Iran's Supreme Leader) took part, by date."""
    level = as_codes(meetings["highest_level"])
    chosen = meetings[level.isin(HEAD_OF_STATE_OFFICES)]
    return pd.DataFrame({
        "meeting_id": chosen["meeting_id"].astype(str),
        "date": pd.to_datetime(chosen["start_date"]),
        "mode": as_codes(chosen["mode"]),
        "format": as_codes(chosen["format"]),
        "title": chosen["title"].astype(str),
    }).sort_values(["date", "meeting_id"]).reset_index(drop=True)


def turning_points(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Dated turning points for chart annotations: date, label, and the record (or citation) behind each.

    See the module docstring: the SCO accession and the treaty come from records and are left out
    when their record is missing; the invasion date is the documented constant.
    """
    rows = [{"date": INVASION_DATE, "label": "Russia invades Ukraine", "table": None, "record_id": None,
             "citation": INVASION_CITATION}]
    meetings = tables["meetings"]
    sco = meetings[meetings["meeting_id"].astype(str) == SCO_ACCESSION_MEETING_ID]
    if len(sco):
        rows.append({"date": pd.Timestamp(sco["start_date"].iloc[0]), "label": "Iran joins the SCO",
                     "table": "meetings", "record_id": SCO_ACCESSION_MEETING_ID, "citation": sco["title"].iloc[0]})
    agreements = tables["agreements"]
    bilateral = agreements["parties"].map(lambda p: sorted(p) == ["IRN", "RUS"])
    treaties = agreements[(as_codes(agreements["kind"]) == "treaty") & bilateral].sort_values("signed_date")
    if len(treaties):
        first = treaties.iloc[0]
        rows.append({"date": pd.Timestamp(first["signed_date"]), "label": "Iran–Russia treaty signed",
                     "table": "agreements", "record_id": str(first["agreement_id"]), "citation": first["title"]})
    return pd.DataFrame(rows).sort_values("date").reset_index(drop=True)


def missing_turning_points(points: pd.DataFrame) -> list[str]:
    """Labels of the record-based turning points that the data does not (yet) hold."""
    expected = {"Iran joins the SCO", "Iran–Russia treaty signed"}
    return sorted(expected - set(points["label"]))
