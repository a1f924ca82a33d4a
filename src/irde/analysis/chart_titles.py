"""Chart titles that state what each chart shows, computed from the results so they stay true as the
data grows.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from irde.analysis.common import INVASION_DATE, MODE_ORDER, as_codes, period_of
from irde.analysis.cooperation import BeforeAfter

# Chart titles state what the chart shows, computed from the data so they stay true as it grows.

def share_text(part: float, whole: float) -> str:
    """'42%' (or 'n/a' for an empty whole)."""
    return f"{part / whole:.0%}" if whole else "n/a"


def change_text(result: BeforeAfter, unit: str = "points a month") -> str:
    """'rose from 3.1 to 7.4 points a month' for a before/after comparison."""
    if np.isnan(result.difference):
        return "cannot be compared yet (one period has no months)"
    verb = "rose" if result.difference > 0 else "fell" if result.difference < 0 else "stayed"
    return f"{verb} from {result.before_mean:.1f} to {result.after_mean:.1f} {unit}"


def yearly_meetings_title(by_year: pd.DataFrame) -> str:
    """Title for meetings per year by level (`meetings_by_level(freq="Y")`)."""
    totals = by_year.sum(axis=1)
    if totals.sum() == 0:
        return "No meetings recorded yet"
    peak = totals.idxmax()
    return (f"Recorded meetings peak in {peak} ({totals.max()}); heads of state took part in "
            f"{share_text(by_year['head of state'].sum(), totals.sum())} of all {totals.sum()}")


def source_mix_title(cited: pd.DataFrame) -> str:
    """Title for the source mix: the leading language and the share of Iranian and Russian outlets."""
    if cited.empty:
        return "No cited sources yet"
    language = cited["language"].value_counts()
    home = cited["outlet_country"].isin(["IRN", "RUS"]).sum()
    return (f"{share_text(language.iloc[0], len(cited))} of citations are in '{language.index[0]}', and "
            f"{share_text(home, len(cited))} come from Iranian or Russian outlets")


def multi_source_title(counts: pd.DataFrame, minimum: int = 2) -> str:
    """Title for the share of records with at least `minimum` independent sources."""
    if counts.empty:
        return "No dated records yet"
    return (f"{share_text((counts['independent_sources'] >= minimum).sum(), len(counts))} of dated records rest on "
            f"{minimum} or more independent sources")


def per_period_title(quarterly: pd.DataFrame, noun: str = "Meetings per quarter",
                     cutoff: pd.Timestamp = INVASION_DATE) -> str:
    """Title comparing the mean per period before and after the cutoff (for `meetings_by_level`)."""
    totals = quarterly.sum(axis=1)
    starts = quarterly.index.to_timestamp()
    before, after = totals[starts < cutoff], totals[starts >= cutoff]
    if before.empty or after.empty:
        return f"{noun}, by highest level present"
    return f"{noun} averaged {before.mean():.1f} before {cutoff:%-d %b %Y} and {after.mean():.1f} since"


def head_of_state_title(contacts: pd.DataFrame, cutoff: pd.Timestamp = INVASION_DATE) -> str:
    """Title for the head-of-state timeline: contacts per year before and after the cutoff."""
    if contacts.empty:
        return "No head-of-state contacts recorded yet"
    period = period_of(contacts["date"], cutoff)
    years = {p: max((contacts["date"][period == p].max() - contacts["date"][period == p].min()).days / 365.25, 1.0)
             for p in ("before", "after") if (period == p).any()}
    rates = {p: (period == p).sum() / years[p] for p in years}
    if len(rates) < 2:
        return f"{len(contacts)} head-of-state contacts recorded"
    return (f"Head-of-state contacts: {rates['before']:.1f} a year before {cutoff:%-d %b %Y}, "
            f"{rates['after']:.1f} a year since")


def remote_title(by_mode: pd.DataFrame, min_meetings: int = 10) -> str:
    """Title for meetings by mode: the overall remote share and the year it peaked.

    Years with fewer than `min_meetings` meetings (such as a year only begun) are not candidates
    for the peak, so that one call in a thin year does not make the headline.
    """
    counts = by_mode[list(MODE_ORDER)]
    if counts.to_numpy().sum() == 0:
        return "No meetings recorded yet"
    remote = counts["video"].sum() + counts["phone"].sum()
    candidates = by_mode.loc[counts.sum(axis=1) >= min_meetings, "remote_share"]
    candidates = candidates if len(candidates) else by_mode["remote_share"]
    return (f"{share_text(remote, counts.to_numpy().sum())} of meetings were held by phone or video; "
            f"the remote share peaked in {candidates.idxmax()} ({candidates.max():.0%})")


def network_title(summary: pd.DataFrame, cutoff: pd.Timestamp = INVASION_DATE) -> str:
    """Title for the network: officials and Iranian–Russian pairs before and after the cutoff."""
    rows = summary.set_index("period")
    if rows["cross_pairs"].sum() == 0:
        return "No Iranian–Russian contacts recorded yet"
    b, a = rows.loc["before"], rows.loc["after"]
    return (f"Since {cutoff:%-d %b %Y}, {int(a['officials'])} officials formed {int(a['cross_pairs'])} "
            f"Iranian–Russian pairs (before: {int(b['officials'])} officials, {int(b['cross_pairs'])} pairs)")


def forum_title(matrix: pd.DataFrame) -> str:
    """Title for the countries × forums matrix: the third country most often present, and where."""
    if matrix.empty:
        return "No multilateral meetings recorded yet"
    country = matrix.sum(axis=1).idxmax()
    return (f"{country} is the third country most often at the table with Iran and Russia, "
            f"mostly in the {str(matrix.loc[country].idxmax()).replace('_', ' ')} forum")


def allegations_title(allegations: pd.DataFrame) -> str:
    """Title for the swimlanes: how many allegations, and how many denied or corroborated."""
    if allegations.empty:
        return "No allegations recorded in this version yet"
    status = as_codes(allegations["status"]).value_counts()
    return (f"{len(allegations)} allegations: {status.get('denied', 0)} stand denied, "
            f"{status.get('corroborated', 0)} corroborated, "
            f"{status.get('admitted', 0) + status.get('partially_admitted', 0)} (partly) admitted")


def status_title(by_category: pd.DataFrame) -> str:
    """Title for status by category: the most common status and category."""
    if by_category.to_numpy().sum() == 0:
        return "No allegations recorded in this version yet"
    by_status, category = by_category.sum(), by_category.sum(axis=1).idxmax()
    return (f"'{by_status.idxmax().replace('_', ' ')}' is the most common status ({by_status.max()} of "
            f"{by_status.sum()}); {category.replace('_', ' ')} the most common category")


def claimants_title(by_country: pd.DataFrame) -> str:
    """Title for who makes claims: the leading country and its share."""
    total = by_country.to_numpy().sum()
    if total == 0:
        return "No claims recorded in this version yet"
    leader = by_country.sum(axis=1).idxmax()
    return f"{leader} makes {share_text(by_country.loc[leader].sum(), total)} of the claims and corroborations"


def index_title(result: BeforeAfter, cutoff: pd.Timestamp = INVASION_DATE) -> str:
    """Title for the monthly index: how its monthly mean changed after the cutoff month."""
    return f"The cooperation index {change_text(result)} after {cutoff:%B %Y}"


def sensitivity_title(correlations: pd.DataFrame) -> str:
    """Title for the sensitivity check: the weakest rank correlation between weightings."""
    values = correlations.to_numpy(dtype=float)
    off_diagonal = values[~np.eye(len(values), dtype=bool)]
    if off_diagonal.size == 0 or np.isnan(off_diagonal).all():
        return "Sensitivity of the index to its weights"
    return (f"The weights change the scale, not the story: rank correlations between weightings "
            f"are {np.nanmin(off_diagonal):.2f} or higher")


def before_after_title(result: BeforeAfter) -> str:
    """Title for the before/after comparison with its bootstrap interval."""
    if np.isnan(result.difference):
        return "Before and after February 2022: not enough months yet"
    direction = "higher" if result.difference >= 0 else "lower"
    return (f"After {pd.Timestamp(result.excluded_month):%B %Y} the index is {abs(result.difference):.1f} points a "
            f"month {direction} than before ({result.confidence:.0%} CI {result.ci_low:+.1f} to {result.ci_high:+.1f})")
