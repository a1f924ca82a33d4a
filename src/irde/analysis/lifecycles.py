"""Allegations as lifecycles: statements in time, days to the first denial, status by category and the
claimants (notebook 04).

Statements are ordered and compared on their derived `date_earliest` (then `date_latest`, claims
first), never on `statement_date`, which holds the first of the month for a date known to the month:
a denial of "October 2022" answering a claim of 18 October would otherwise come first. The build
never dates an answer's range before the allegation's first claim, so the days to the first denial
cannot be negative because of a placeholder; a denial made before the claim it is recorded with (a
pre-emptive denial of an earlier report) is counted apart, in `denied_before_claim`.
"""
from __future__ import annotations

import pandas as pd

from irde.analysis.common import CLAIMING_STANCES, STANCE_GROUPS, as_codes, earliest_dates


def allegation_timeline(allegations: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """Every statement with its allegation's title and a stance group, allegations in order of first claim.

    Columns: allegation_id, title, category, lane (0 = earliest allegation), date, stance,
    stance_group (claim, corroboration, denial, admission, other), speaker_country.
    """
    order = (allegations.assign(first=pd.to_datetime(allegations["first_claimed_date"]))
             .sort_values(["first", "allegation_id"])["allegation_id"].astype(str).tolist())
    lane = {a: i for i, a in enumerate(order)}
    titles = dict(zip(allegations["allegation_id"].astype(str), allegations["title"].astype(str)))
    categories = dict(zip(allegations["allegation_id"].astype(str), as_codes(allegations["category"])))
    ids = statements["allegation_id"].astype(str)
    stance = as_codes(statements["stance"])
    out = pd.DataFrame({
        "allegation_id": ids, "title": ids.map(titles), "category": ids.map(categories), "lane": ids.map(lane),
        "date": earliest_dates(statements, "statement_date"), "stance": stance,
        "stance_group": stance.map(STANCE_GROUPS), "speaker_country": statements["speaker_country"].astype(str),
    })
    out["_claim_first"] = (stance != "claim").astype(int).to_numpy()
    out = out.sort_values(["lane", "date", "_claim_first"], kind="stable", ignore_index=True)
    return out.drop(columns="_claim_first")


def time_to_first_denial(allegations: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """Per allegation: first claim, first denial on or after it, and the days between (NaN where none).

    Dates are `date_earliest` (see the module docstring), so days_to_denial is never negative;
    denied_before_claim flags an allegation with a denial made before its first claim.
    """
    stance = as_codes(statements["stance"])
    dates = earliest_dates(statements, "statement_date")
    ids = statements["allegation_id"].astype(str)
    first_claim = dates[stance == "claim"].groupby(ids[stance == "claim"]).min()
    claim_of_row = ids.map(first_claim)
    denials = (stance == "denial").to_numpy()
    answering = denials & (dates >= claim_of_row).to_numpy()
    first_denial = dates[answering].groupby(ids[answering]).min()
    early = denials & (dates < claim_of_row).to_numpy()
    out = pd.DataFrame({"allegation_id": allegations["allegation_id"].astype(str),
                        "title": allegations["title"].astype(str),
                        "category": as_codes(allegations["category"])})
    out["first_claim"] = out["allegation_id"].map(first_claim)
    out["first_denial"] = out["allegation_id"].map(first_denial)
    out["days_to_denial"] = (out["first_denial"] - out["first_claim"]).dt.days
    out["denied_before_claim"] = out["allegation_id"].isin(set(ids[early]))
    return out.sort_values(["first_claim", "allegation_id"], ignore_index=True)


def status_by_category(allegations: pd.DataFrame) -> pd.DataFrame:
    """Allegations per category (rows) and status (columns), over the full vocabularies where known."""
    category, status = allegations["category"], allegations["status"]
    rows = list(category.cat.categories) if isinstance(category.dtype, pd.CategoricalDtype) else None
    cols = list(status.cat.categories) if isinstance(status.dtype, pd.CategoricalDtype) else None
    table = pd.crosstab(as_codes(category), as_codes(status))
    table = table.reindex(index=rows or table.index, columns=cols or table.columns, fill_value=0)
    table.index.name, table.columns.name = "category", "status"
    return table


def claimants(statements: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """Who makes the claims: claim, reiteration and corroboration statements by speaker country and type."""
    claiming = statements[as_codes(statements["stance"]).isin(CLAIMING_STANCES)]
    table = pd.crosstab(claiming["speaker_country"].astype(str), as_codes(claiming["speaker_type"]))
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]]
    table.index.name, table.columns.name = "speaker_country", "speaker_type"
    return table
