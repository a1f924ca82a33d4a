"""Who meets whom: co-attendance networks of officials before and after the invasion, the most
connected officials, and the countries present at each forum (notebook 03).
"""
from __future__ import annotations

import pandas as pd

from irde.analysis.common import INVASION_DATE, as_codes, period_of


def _sides(participants: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"meeting_id": participants["meeting_id"].astype(str),
                         "person_id": participants["person_id"].astype(str),
                         "side": participants["delegation"].astype(str)}).drop_duplicates(["meeting_id", "person_id"])


def co_attendance(participants: pd.DataFrame) -> pd.DataFrame:
    """Person–person edges from shared meetings: person_a < person_b, their sides, and meetings shared.

    `cross` is true when the two sat in different delegations (an Iranian–Russian contact).
    """
    people = _sides(participants)
    pairs = people.merge(people, on="meeting_id", suffixes=("_a", "_b"))
    pairs = pairs[pairs["person_id_a"] < pairs["person_id_b"]]
    edges = (pairs.groupby(["person_id_a", "person_id_b", "side_a", "side_b"]).size()
             .rename("meetings").reset_index())
    edges["cross"] = edges["side_a"] != edges["side_b"]
    return edges.sort_values(["meetings", "person_id_a", "person_id_b"], ascending=[False, True, True],
                             ignore_index=True)


def network_by_period(participants: pd.DataFrame, meetings: pd.DataFrame,
                      cutoff: pd.Timestamp = INVASION_DATE) -> dict[str, pd.DataFrame]:
    """`co_attendance` edges separately for meetings before and after the cutoff date."""
    period = period_of(meetings["start_date"], cutoff)
    ids = {label: set(meetings.loc[period == label, "meeting_id"].astype(str)) for label in ("before", "after")}
    return {label: co_attendance(participants[participants["meeting_id"].astype(str).isin(chosen)])
            for label, chosen in ids.items()}


def most_connected(edges: pd.DataFrame, persons: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """Per side, the officials with the most counterparts across the table (cross-side edges only).

    Columns: side, person_id, name, counterparts (distinct officials of the other side met),
    meetings (sum of shared meetings with them); ranked by counterparts, then meetings.
    """
    cross = edges[edges["cross"]]
    ends = pd.concat([
        cross.rename(columns={"person_id_a": "person_id", "side_a": "side"})[["person_id", "side", "meetings"]],
        cross.rename(columns={"person_id_b": "person_id", "side_b": "side"})[["person_id", "side", "meetings"]],
    ], ignore_index=True)
    ranked = (ends.groupby(["side", "person_id"]).agg(counterparts=("meetings", "size"), meetings=("meetings", "sum"))
              .reset_index().sort_values(["side", "counterparts", "meetings", "person_id"],
                                         ascending=[True, False, False, True]))
    names = dict(zip(persons["person_id"].astype(str), persons["name_en"].astype(str)))
    ranked.insert(2, "name", ranked["person_id"].map(names).fillna(ranked["person_id"]))
    return ranked.groupby("side", group_keys=False).head(top).reset_index(drop=True)


def network_summary(by_period: dict[str, pd.DataFrame], meetings: pd.DataFrame,
                    cutoff: pd.Timestamp = INVASION_DATE) -> pd.DataFrame:
    """Per period: meetings, officials, Iranian–Russian pairs, and pairs per official (how dense the ties are)."""
    period = period_of(meetings["start_date"], cutoff)
    rows = []
    for label, edges in by_period.items():
        cross = edges[edges["cross"]]
        officials = set(cross["person_id_a"]) | set(cross["person_id_b"])
        rows.append({"period": label, "meetings": int((period == label).sum()), "officials": len(officials),
                     "cross_pairs": len(cross),
                     "pairs_per_official": len(cross) / len(officials) if officials else 0.0})
    return pd.DataFrame(rows)


def country_forum_matrix(meetings: pd.DataFrame, top: int = 15, exclude: tuple[str, ...] = ("IRN", "RUS")
                         ) -> pd.DataFrame:
    """Meetings with a forum: how often each other country was present, by forum (countries × forums).

    Iran and Russia are present at every meeting and left out; the `top` countries by total are kept.
    """
    with_forum = meetings[meetings["forum"].notna()]
    exploded = pd.DataFrame({"forum": as_codes(with_forum["forum"]),
                             "country": with_forum["countries_present"].map(list)}).explode("country")
    exploded = exploded[exploded["country"].notna() & ~exploded["country"].isin(exclude)]
    matrix = pd.crosstab(exploded["country"], exploded["forum"])
    if matrix.empty:
        return matrix
    matrix = matrix.loc[matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]]
    return matrix[matrix.sum().sort_values(ascending=False, kind="stable").index]
