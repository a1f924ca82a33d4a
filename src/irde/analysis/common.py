"""Constants and helpers shared by the analysis modules: the invasion date and its citation, the
order of levels, modes and stance groups, and small conversions of coded and dated columns.

Boundary: pure functions over DataFrames as `irde.load` returns them; nothing here reads or
writes files, draws or prints (charts are `irde.report.plotting`, files `irde.analysis.publish`).
"""


from __future__ import annotations

import numpy as np
import pandas as pd

from irde.tables.coverage import level_group

INVASION_DATE = pd.Timestamp("2022-02-24")
INVASION_LABEL = "Russia's full-scale invasion of Ukraine"
INVASION_CITATION = (
    "ABC News (Good Morning America), 'Russia launches full-scale military operation in Ukraine', "
    "24 February 2022, https://goodmorningamerica.com/amp/news/video/"
    "russia-launches-full-scale-military-operation-ukraine-83081103")
# The SCO heads-of-state council (held by video) at which Iran became a full member; IDs are public API.
SCO_ACCESSION_MEETING_ID = "2023-07-04-video-sco-summit-new-delhi"

LEVEL_ORDER = ("head of state", "head of government", "speaker", "foreign minister", "defence & security",
               "other minister", "deputy & envoy")
MODE_ORDER = ("in_person", "video", "phone")
HEAD_OF_STATE_OFFICES = ("supreme_leader", "head_of_state")
STANCE_GROUPS = {
    "claim": "claim", "reiteration": "claim", "corroboration": "corroboration",
    "denial": "denial", "evidence_dispute": "denial",
    "partial_admission": "admission", "admission": "admission",
    "response": "other", "retraction": "other", "sanction": "other",
}
STANCE_GROUP_ORDER = ("claim", "corroboration", "denial", "admission", "other")
CLAIMING_STANCES = ("claim", "reiteration", "corroboration")
AGREEMENT_STAGES = {  # stage -> the agreements column holding its date
    "signed": "signed_date",
    "ratified_iran": "ratified_iran_date",
    "ratified_russia": "ratified_russia_date",
    "in_force": "in_force_date",
    "terminated": "terminated_date",
}


def as_codes(series: pd.Series) -> pd.Series:
    """Coded values as plain strings (categoricals and str alike), missing as NA."""
    return series.astype("object").where(series.notna(), None)


def earliest_dates(frame: pd.DataFrame, placeholder: str) -> pd.Series:
    """The derived date_earliest of each row (the placeholder date column for tables built before it)."""
    return pd.to_datetime(frame["date_earliest"] if "date_earliest" in frame else frame[placeholder])


def encounter_ids(meetings: pd.DataFrame) -> pd.Series:
    """Each meeting's encounter (a multilateral meeting with its sidelines), as plain strings."""
    column = "encounter_id" if "encounter_id" in meetings else "meeting_id"
    return meetings[column].astype(str)


def year_of(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.year


def month_of(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.to_period("M").dt.to_timestamp()


def level_groups(meetings: pd.DataFrame) -> pd.Series:
    """Coarse level of each meeting (its highest office grouped as in `irde.tables.coverage`)."""
    return as_codes(meetings["highest_level"]).map(level_group)


def period_of(dates: pd.Series, cutoff: pd.Timestamp = INVASION_DATE) -> pd.Series:
    """'before' or 'after' a cutoff date (the cutoff day itself counts as after)."""
    return pd.Series(np.where(pd.to_datetime(dates) < cutoff, "before", "after"), index=dates.index)
