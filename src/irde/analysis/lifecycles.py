"""Allegations as lifecycles: statements in time, days to the first denial, status by category and the
claimants (notebook 04).
"""
from __future__ import annotations

import pandas as pd

from irde.analysis.common import CLAIMING_STANCES, STANCE_GROUPS, as_codes


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
        "date": pd.to_datetime(statements["statement_date"]), "stance": stance,
        "stance_group": stance.map(STANCE_GROUPS), "speaker_country": statements["speaker_country"].astype(str),
    })
    return out.sort_values(["lane", "date"], ignore_index=True)


def time_to_first_denial(allegations: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """Per allegation: first claim, first denial, and the days between (NaN where nothing was denied)."""
    stance = as_codes(statements["stance"])
    dates = pd.to_datetime(statements["statement_date"])
    ids = statements["allegation_id"].astype(str)
    first_denial = dates[stance == "denial"].groupby(ids[stance == "denial"]).min()
    out = pd.DataFrame({"allegation_id": allegations["allegation_id"].astype(str),
                        "title": allegations["title"].astype(str),
                        "category": as_codes(allegations["category"]),
                        "first_claim": pd.to_datetime(allegations["first_claimed_date"])})
    out["first_denial"] = out["allegation_id"].map(first_denial)
    out["days_to_denial"] = (out["first_denial"] - out["first_claim"]).dt.days
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
