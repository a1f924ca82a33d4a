"""Analysis of the IRDE tables: pure functions from loaded tables to tidy results, behind the notebooks.

Boundary: every function takes DataFrames as `irde.load` returns them (or small hand-made frames
with the same columns) and returns DataFrames, Series or small dataclasses. Nothing here reads or
writes files, draws, or prints: charts are `irde.plotting`, files are `irde.publish`. Only pandas
and numpy are imported, so this module never pulls in matplotlib or Jupyter.

Turning points
--------------
Chart annotations come from records, not from notebook code: Iran's SCO accession is the SCO
meeting record at which Iran became a full member, and the Iran–Russia treaty is the earliest
bilateral Iran–Russia agreement of kind `treaty` in `agreements`. Russia's full-scale invasion of
Ukraine is not an Iran–Russia contact, so no record carries it; it is the documented constant
`INVASION_DATE` (with `INVASION_CITATION`). A turning point whose record is not (yet) in the data
is left out, never guessed.

The monthly cooperation index
-----------------------------
Unit: one calendar month, from the month of the earliest dated record to the month of the latest;
months without records are present with zeros. Dates known only to the month or year sit on the
first day (the codebook's rule), so they fall in that month or in January.

Components (weights in `WEIGHTINGS`):

- **meetings**: each meeting scores level weight × mode weight. The level is the coarse group of
  the meeting's highest office (`irde.coverage.level_group`); the mode is the meeting's derived
  PLOVER mode (visit, third-party, multilateral, phone; video counts as phone, as in the
  crosswalk of `irde.derive`).
- **agreements**: each dated stage of an agreement scores in the month it happened: signature,
  Iran's ratification, Russia's ratification, entry into force, and termination (negative).
- index = meetings component + agreements component, exactly (the notebooks assert it).

The **military-cooperation signal** is a separate monthly series from `allegation_statements`:
claims, reiterations, corroborations, admissions and sanctions score positive, retractions negative,
denials zero. It is never added to the index, because allegations are contested claims and the
dataset does not assert them; it is shown beside the index so the two can be compared.

Weightings:

- `irde` (the baseline, our choice): level weights head of state 3, head of government 2.5,
  speaker 1.5, foreign minister 2, defence & security 2, other minister 1.5, deputy & envoy 1;
  mode weights visit 1, third-party 1, multilateral 0.5, phone 0.5 (a summit or a call says less
  about the bilateral relation than a visit); agreement stages: signed 2, each ratification 1,
  in force 2, terminated −2.
- `plover`: PLOVER intensity scores, no level weights. Meetings are CONSULT, scored by mode:
  visit 4, third-party 1, multilateral 4, phone 1.5 (CONSULT 2.5 where no mode); agreement stages
  (signing, ratification, entry into force) are SUPPORT 5 — the PLOVER manual puts "ratify, sign,
  or finalize an agreement or treaty" under SUPPORT — and termination is SANCTION −6. The other
  published scores (AGREE 2.5, COOPERATE 9.5, AID 10, REJECT −2) are listed in `PLOVER_INTENSITY`
  for reference; no meeting or agreement maps to them. Source of the scores: Open Event Data
  Alliance, *PLOVER: Political Language Ontology for Verifiable Event Records*, manual,
  https://github.com/openeventdata/PLOVER (values as adopted for IRDE; the draft 0.7b1 of the
  manual tabulates different, per-category "Schrodt scores", used by the next weighting).
- `schrodt`: the per-category "Schrodt scores" of PLOVER manual draft 0.7b1 (CONSULT +2.1,
  SUPPORT +4.6, SANCTION −5.2), with no mode or level weights.
- `counts`: every meeting and every agreement stage counts 1 (termination −1).

Sensitivity: `rank_correlations` gives the Spearman rank correlation between the monthly index
under each weighting; values near 1 mean the weights change the scale but not which months stand
out. Before/after: `before_after` compares the mean monthly index before and after February 2022
(the month of the invasion itself is left out, since it mixes both) with a percentile bootstrap
confidence interval of the difference, resampling blocks of consecutive months within each period
(block bootstrap, because months are autocorrelated) with a fixed seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from irde.coverage import level_group

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

# Published PLOVER intensity scores (see the module docstring for the source).
PLOVER_INTENSITY = {"CONSULT": 2.5, "AGREE": 2.5, "SUPPORT": 5.0, "COOPERATE": 9.5, "AID": 10.0,
                    "REJECT": -2.0, "SANCTION": -6.0}
PLOVER_CONSULT_MODES = {"visit": 4.0, "third-party": 1.0, "multilateral": 4.0, "phone": 1.5}


@dataclass(frozen=True)
class Weighting:
    """One way to score events: meeting level × mode weights and agreement stage weights."""

    name: str
    description: str
    level: dict[str, float] | None      # None: every level weighs 1
    mode: dict[str, float]              # by PLOVER mode of the meeting
    stage: dict[str, float]             # by agreement stage
    mode_default: float = 1.0           # a meeting without PLOVER mode


def _stages(signed: float, ratified: float, in_force: float, terminated: float) -> dict[str, float]:
    return {"signed": signed, "ratified_iran": ratified, "ratified_russia": ratified, "in_force": in_force,
            "terminated": terminated}


WEIGHTINGS = {
    "irde": Weighting(
        "irde", "IRDE baseline: level × mode for meetings, stage weights for agreements",
        level={"head of state": 3.0, "head of government": 2.5, "speaker": 1.5, "foreign minister": 2.0,
               "defence & security": 2.0, "other minister": 1.5, "deputy & envoy": 1.0},
        mode={"visit": 1.0, "third-party": 1.0, "multilateral": 0.5, "phone": 0.5},
        stage=_stages(2.0, 1.0, 2.0, -2.0)),
    "plover": Weighting(
        "plover", "PLOVER intensity: CONSULT by mode for meetings, SUPPORT / SANCTION for agreement stages",
        level=None, mode=PLOVER_CONSULT_MODES, mode_default=PLOVER_INTENSITY["CONSULT"],
        stage=_stages(PLOVER_INTENSITY["SUPPORT"], PLOVER_INTENSITY["SUPPORT"], PLOVER_INTENSITY["SUPPORT"],
                      PLOVER_INTENSITY["SANCTION"])),
    "schrodt": Weighting(
        "schrodt", "PLOVER manual draft 0.7b1 'Schrodt scores': CONSULT 2.1, SUPPORT 4.6, SANCTION -5.2",
        level=None, mode={}, mode_default=2.1, stage=_stages(4.6, 4.6, 4.6, -5.2)),
    "counts": Weighting(
        "counts", "Unweighted: every meeting and agreement stage counts 1 (termination -1)",
        level=None, mode={}, stage=_stages(1.0, 1.0, 1.0, -1.0)),
}
BASELINE = "irde"
MILITARY_STANCE_WEIGHTS = {"claim": 1.0, "reiteration": 0.5, "corroboration": 2.0, "partial_admission": 2.0,
                           "admission": 3.0, "sanction": 1.0, "retraction": -1.0}  # other stances: 0

MONTHLY_SIGNALS_DESCRIPTION = (
    "Derived from IRDE: monthly Iran-Russia cooperation index (meetings weighted by level and mode plus agreement "
    "stages), its components, the index under alternative weightings, and a separate military-cooperation signal "
    "from allegation statements. Method: irde.analysis module docstring and notebooks/05-cooperation-signals.ipynb.")
MONTHLY_SIGNAL_COLUMNS = {
    "month": "First day of the calendar month.",
    "meetings": "Number of meetings that started in the month.",
    "agreement_stages": "Number of agreement stages (signature, ratification by Iran or Russia, entry into force, "
                        "termination) dated in the month.",
    "statements": "Number of allegation statements dated in the month.",
    "meetings_component": "Sum of meeting scores (level weight x PLOVER-mode weight, IRDE baseline weights).",
    "agreements_component": "Sum of agreement-stage scores (IRDE baseline weights).",
    "index": "Monthly cooperation index, IRDE baseline weights: meetings_component + agreements_component.",
    "index_plover": "The index under PLOVER intensity scores (CONSULT by mode; SUPPORT/SANCTION for agreement stages).",
    "index_schrodt": "The index under the PLOVER manual draft 0.7b1 Schrodt scores.",
    "index_counts": "The index with every meeting and agreement stage counted once (termination -1).",
    "military_signal": "Military-cooperation signal from allegation statements (claims, corroborations, admissions, "
                       "sanctions positive; retractions negative; denials zero); never part of the index.",
}


# ----------------------------------------------------------------------------------------- helpers

def _codes(series: pd.Series) -> pd.Series:
    """Coded values as plain strings (categoricals and str alike), missing as NA."""
    return series.astype("object").where(series.notna(), None)


def _year(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.year


def _month(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.to_period("M").dt.to_timestamp()


def level_groups(meetings: pd.DataFrame) -> pd.Series:
    """Coarse level of each meeting (its highest office grouped as in `irde.coverage`)."""
    return _codes(meetings["highest_level"]).map(level_group)


def period_of(dates: pd.Series, cutoff: pd.Timestamp = INVASION_DATE) -> pd.Series:
    """'before' or 'after' a cutoff date (the cutoff day itself counts as after)."""
    return pd.Series(np.where(pd.to_datetime(dates) < cutoff, "before", "after"), index=dates.index)


# ---------------------------------------------------------------------------------------- overview

def table_sizes(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows per table, in name order."""
    return pd.DataFrame({"table": sorted(tables), "rows": [len(tables[n]) for n in sorted(tables)]})


def record_dates(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per dated record (meeting, agreement, statement): record_type, record_id, date."""
    parts = [
        ("meeting", tables["meetings"], "meeting_id", "start_date"),
        ("agreement", tables["agreements"], "agreement_id", "signed_date"),
        ("statement", tables["allegation_statements"], "statement_id", "statement_date"),
    ]
    frames = [pd.DataFrame({"record_type": kind, "record_id": frame[key].astype(str),
                            "date": pd.to_datetime(frame[date])}) for kind, frame, key, date in parts]
    return pd.concat(frames, ignore_index=True)


def cited_sources(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every citation of a source by a dated record, with the year of the record and the source's profile.

    The year is that of the event the source supports (not of publication), so the source mix can
    be read per year of coverage.
    """
    links = pd.concat([
        pd.DataFrame({"record_type": kind, "record_id": tables[bridge][key].astype(str),
                      "source_id": tables[bridge]["source_id"].astype(str)})
        for kind, bridge, key in (("meeting", "meeting_sources", "meeting_id"),
                                  ("agreement", "agreement_sources", "agreement_id"),
                                  ("statement", "statement_sources", "statement_id"))], ignore_index=True)
    dated = links.merge(record_dates(tables), on=["record_type", "record_id"], how="inner")
    sources = tables["sources"]
    profile = pd.DataFrame({
        "source_id": sources["source_id"].astype(str),
        "publisher": sources["publisher"].astype(str),
        "language": _codes(sources["language"]),
        "source_type": _codes(sources["source_type"]),
        "outlet_country": _codes(sources["outlet_country"]),
    })
    cited = dated.merge(profile, on="source_id", how="left")
    cited["year"] = _year(cited["date"])
    return cited


def source_mix(cited: pd.DataFrame, column: str, top: int = 5) -> pd.DataFrame:
    """Citations per year (rows) by the `top` most cited values of `column` (columns), the rest as 'other'.

    Missing values count as 'unknown'. Counts, not shares: a chart divides by the row total.
    """
    values = cited[column].fillna("unknown").astype(str)
    leaders = [v for v in values.value_counts().index if v != "unknown"][:top]
    grouped = values.where(values.isin(leaders) | (values == "unknown"), "other")
    order = leaders + [c for c in ("other", "unknown") if (grouped == c).any()]
    table = pd.crosstab(cited["year"], grouped).reindex(columns=order, fill_value=0)
    table.columns.name = column
    return table


def independent_sources(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Distinct publishers per dated record (record_type, record_id, year, independent_sources).

    The same rule as the derived `meetings.independent_source_count`, applied to agreements and
    statements too; records without any source count 0.
    """
    cited = cited_sources(tables)
    counts = cited.groupby(["record_type", "record_id"])["publisher"].nunique().rename("independent_sources")
    records = record_dates(tables)
    out = records.merge(counts.reset_index(), on=["record_type", "record_id"], how="left")
    out["independent_sources"] = out["independent_sources"].fillna(0).astype(int)
    out["year"] = _year(out["date"])
    return out


def multi_source_share(counts: pd.DataFrame, minimum: int = 2) -> pd.DataFrame:
    """Per year and record type: records, records with ≥ `minimum` independent sources, and their share."""
    flagged = counts.assign(multi=counts["independent_sources"] >= minimum)
    out = flagged.groupby(["year", "record_type"]).agg(records=("multi", "size"), multi_source=("multi", "sum"))
    out["share"] = out["multi_source"] / out["records"]
    return out.reset_index()


# ---------------------------------------------------------------------------------------- meetings

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
    table = pd.crosstab(periods, _codes(meetings["mode"])).reindex(columns=list(MODE_ORDER), fill_value=0)
    table = table.reindex(_complete_periods(pd.PeriodIndex(periods), freq), fill_value=0)
    total = table.sum(axis=1)
    table["remote_share"] = ((table["video"] + table["phone"]) / total.where(total > 0)).fillna(0.0)
    table.index.name, table.columns.name = "period", "mode"
    return table


def head_of_state_contacts(meetings: pd.DataFrame) -> pd.DataFrame:
    """Meetings at which a head of state (or Iran's Supreme Leader) took part, by date."""
    level = _codes(meetings["highest_level"])
    chosen = meetings[level.isin(HEAD_OF_STATE_OFFICES)]
    return pd.DataFrame({
        "meeting_id": chosen["meeting_id"].astype(str),
        "date": pd.to_datetime(chosen["start_date"]),
        "mode": _codes(chosen["mode"]),
        "format": _codes(chosen["format"]),
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
    treaties = agreements[(_codes(agreements["kind"]) == "treaty") & bilateral].sort_values("signed_date")
    if len(treaties):
        first = treaties.iloc[0]
        rows.append({"date": pd.Timestamp(first["signed_date"]), "label": "Iran–Russia treaty signed",
                     "table": "agreements", "record_id": str(first["agreement_id"]), "citation": first["title"]})
    return pd.DataFrame(rows).sort_values("date").reset_index(drop=True)


def missing_turning_points(points: pd.DataFrame) -> list[str]:
    """Labels of the record-based turning points that the data does not (yet) hold."""
    expected = {"Iran joins the SCO", "Iran–Russia treaty signed"}
    return sorted(expected - set(points["label"]))


# ----------------------------------------------------------------------------------------- network

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
    exploded = pd.DataFrame({"forum": _codes(with_forum["forum"]),
                             "country": with_forum["countries_present"].map(list)}).explode("country")
    exploded = exploded[exploded["country"].notna() & ~exploded["country"].isin(exclude)]
    matrix = pd.crosstab(exploded["country"], exploded["forum"])
    if matrix.empty:
        return matrix
    matrix = matrix.loc[matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]]
    return matrix[matrix.sum().sort_values(ascending=False, kind="stable").index]


# ------------------------------------------------------------------------------------- allegations

def allegation_timeline(allegations: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """Every statement with its allegation's title and a stance group, allegations in order of first claim.

    Columns: allegation_id, title, category, lane (0 = earliest allegation), date, stance,
    stance_group (claim, corroboration, denial, admission, other), speaker_country.
    """
    order = (allegations.assign(first=pd.to_datetime(allegations["first_claimed_date"]))
             .sort_values(["first", "allegation_id"])["allegation_id"].astype(str).tolist())
    lane = {a: i for i, a in enumerate(order)}
    titles = dict(zip(allegations["allegation_id"].astype(str), allegations["title"].astype(str)))
    categories = dict(zip(allegations["allegation_id"].astype(str), _codes(allegations["category"])))
    ids = statements["allegation_id"].astype(str)
    stance = _codes(statements["stance"])
    out = pd.DataFrame({
        "allegation_id": ids, "title": ids.map(titles), "category": ids.map(categories), "lane": ids.map(lane),
        "date": pd.to_datetime(statements["statement_date"]), "stance": stance,
        "stance_group": stance.map(STANCE_GROUPS), "speaker_country": statements["speaker_country"].astype(str),
    })
    return out.sort_values(["lane", "date"], ignore_index=True)


def time_to_first_denial(allegations: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """Per allegation: first claim, first denial, and the days between (NaN where nothing was denied)."""
    stance = _codes(statements["stance"])
    dates = pd.to_datetime(statements["statement_date"])
    ids = statements["allegation_id"].astype(str)
    first_denial = dates[stance == "denial"].groupby(ids[stance == "denial"]).min()
    out = pd.DataFrame({"allegation_id": allegations["allegation_id"].astype(str),
                        "title": allegations["title"].astype(str),
                        "category": _codes(allegations["category"]),
                        "first_claim": pd.to_datetime(allegations["first_claimed_date"])})
    out["first_denial"] = out["allegation_id"].map(first_denial)
    out["days_to_denial"] = (out["first_denial"] - out["first_claim"]).dt.days
    return out.sort_values(["first_claim", "allegation_id"], ignore_index=True)


def status_by_category(allegations: pd.DataFrame) -> pd.DataFrame:
    """Allegations per category (rows) and status (columns), over the full vocabularies where known."""
    category, status = allegations["category"], allegations["status"]
    rows = list(category.cat.categories) if isinstance(category.dtype, pd.CategoricalDtype) else None
    cols = list(status.cat.categories) if isinstance(status.dtype, pd.CategoricalDtype) else None
    table = pd.crosstab(_codes(category), _codes(status))
    table = table.reindex(index=rows or table.index, columns=cols or table.columns, fill_value=0)
    table.index.name, table.columns.name = "category", "status"
    return table


def claimants(statements: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """Who makes the claims: claim, reiteration and corroboration statements by speaker country and type."""
    claiming = statements[_codes(statements["stance"]).isin(CLAIMING_STANCES)]
    table = pd.crosstab(claiming["speaker_country"].astype(str), _codes(claiming["speaker_type"]))
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]]
    table.index.name, table.columns.name = "speaker_country", "speaker_type"
    return table


# ----------------------------------------------------------------------------------------- signals

def _month_range(*date_series: pd.Series) -> pd.DatetimeIndex:
    dates = pd.concat([pd.to_datetime(s) for s in date_series]).dropna()
    if dates.empty:
        return pd.DatetimeIndex([], name="month")
    return pd.date_range(_month(dates).min(), _month(dates).max(), freq="MS", name="month")


def meeting_scores(meetings: pd.DataFrame, weighting: Weighting) -> pd.Series:
    """Score of each meeting under a weighting: level weight × PLOVER-mode weight."""
    mode = _codes(meetings["plover_mode"])
    mode_weight = mode.map(weighting.mode).where(mode.isin(weighting.mode.keys()), weighting.mode_default)
    level_weight = level_groups(meetings).map(weighting.level) if weighting.level else 1.0
    return (mode_weight.astype(float) * level_weight).rename("score")


def agreement_stages(agreements: pd.DataFrame) -> pd.DataFrame:
    """One row per dated stage of each agreement: agreement_id, stage, date."""
    frames = [pd.DataFrame({"agreement_id": agreements["agreement_id"].astype(str), "stage": stage,
                            "date": pd.to_datetime(agreements[column])})
              for stage, column in AGREEMENT_STAGES.items()]
    stages = pd.concat(frames, ignore_index=True)
    return stages[stages["date"].notna()].sort_values(["date", "agreement_id"], ignore_index=True)


def _monthly_sum(dates: pd.Series, values: pd.Series, months: pd.DatetimeIndex) -> pd.Series:
    summed = pd.Series(np.asarray(values, dtype=float), index=_month(dates).values).groupby(level=0).sum()
    return summed.reindex(months, fill_value=0.0)


def monthly_index(tables: dict[str, pd.DataFrame], weighting: str | Weighting = BASELINE) -> pd.DataFrame:
    """The monthly cooperation index under one weighting, with its components and counts.

    Columns: meetings, agreement_stages, statements (counts); meetings_component,
    agreements_component, index (= the two components' sum); military_signal (separate).
    Every month from the first to the last dated record is present.
    """
    w = WEIGHTINGS[weighting] if isinstance(weighting, str) else weighting
    meetings, statements = tables["meetings"], tables["allegation_statements"]
    stages = agreement_stages(tables["agreements"])
    months = _month_range(meetings["start_date"], stages["date"], statements["statement_date"])
    out = pd.DataFrame(index=months)
    out["meetings"] = _monthly_sum(meetings["start_date"], np.ones(len(meetings)), months).astype(int)
    out["agreement_stages"] = _monthly_sum(stages["date"], np.ones(len(stages)), months).astype(int)
    out["statements"] = _monthly_sum(statements["statement_date"], np.ones(len(statements)), months).astype(int)
    out["meetings_component"] = _monthly_sum(meetings["start_date"], meeting_scores(meetings, w), months)
    out["agreements_component"] = _monthly_sum(stages["date"], stages["stage"].map(w.stage).fillna(0.0), months)
    out["index"] = out["meetings_component"] + out["agreements_component"]
    military = _codes(statements["stance"]).map(MILITARY_STANCE_WEIGHTS).fillna(0.0)
    out["military_signal"] = _monthly_sum(statements["statement_date"], military, months)
    return out


def index_by_weighting(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The monthly index (months × weightings), one column per entry of WEIGHTINGS."""
    return pd.DataFrame({name: monthly_index(tables, name)["index"] for name in WEIGHTINGS})


def rank_correlations(by_weighting: pd.DataFrame) -> pd.DataFrame:
    """Spearman rank correlation between the monthly index under each pair of weightings."""
    return by_weighting.corr(method="spearman")


def monthly_signals_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The derived table `monthly_signals`: baseline index and components plus the index under every weighting.

    Columns and their meaning: MONTHLY_SIGNAL_COLUMNS.
    """
    base = monthly_index(tables, BASELINE)
    alternatives = index_by_weighting(tables).drop(columns=[BASELINE]).add_prefix("index_")
    out = base.join(alternatives).reset_index()
    return out[list(MONTHLY_SIGNAL_COLUMNS)]


@dataclass(frozen=True)
class BeforeAfter:
    """Mean monthly value before and after a cutoff, and a bootstrap confidence interval of the difference."""

    before_mean: float
    after_mean: float
    difference: float
    ci_low: float
    ci_high: float
    n_before: int
    n_after: int
    confidence: float
    resamples: int
    block: int
    seed: int
    excluded_month: str = field(default="")

    @property
    def ratio(self) -> float:
        return self.after_mean / self.before_mean if self.before_mean else float("nan")


def _block_resample_means(values: np.ndarray, block: int, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Means of moving-block bootstrap resamples (block length `block`; 1 = ordinary bootstrap)."""
    n = len(values)
    block = max(1, min(block, n))
    starts = rng.integers(0, n - block + 1, size=(resamples, -(-n // block)))
    positions = (starts[:, :, None] + np.arange(block)).reshape(resamples, -1)[:, :n]
    return values[positions].mean(axis=1)


def before_after(series: pd.Series, cutoff: pd.Timestamp = INVASION_DATE, resamples: int = 10_000,
                 confidence: float = 0.95, block: int = 3, seed: int = 20220224) -> BeforeAfter:
    """Compare the mean of a monthly series before and after the cutoff month (which is left out).

    The interval is the percentile interval of (mean after − mean before) over `resamples`
    moving-block bootstrap draws, each period resampled on its own; `seed` fixes the draws.
    """
    cutoff_month = pd.Timestamp(cutoff).to_period("M").to_timestamp()
    months = pd.to_datetime(series.index)
    before = series[months < cutoff_month].to_numpy(dtype=float)
    after = series[months > cutoff_month].to_numpy(dtype=float)
    if len(before) == 0 or len(after) == 0:
        nan = float("nan")
        return BeforeAfter(nan, nan, nan, nan, nan, len(before), len(after), confidence, resamples, block, seed,
                           cutoff_month.strftime("%Y-%m"))
    rng = np.random.default_rng(seed)
    diffs = (_block_resample_means(after, block, resamples, rng) - _block_resample_means(before, block, resamples, rng))
    tail = (1 - confidence) / 2
    low, high = np.quantile(diffs, [tail, 1 - tail])
    return BeforeAfter(float(before.mean()), float(after.mean()), float(after.mean() - before.mean()), float(low),
                       float(high), len(before), len(after), confidence, resamples, block, seed,
                       cutoff_month.strftime("%Y-%m"))


def before_after_by_weighting(by_weighting: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """`before_after` of the index under each weighting (rows), to see whether the conclusion depends on the weights."""
    rows = {name: before_after(by_weighting[name], **kwargs) for name in by_weighting.columns}
    return pd.DataFrame({name: {"before_mean": r.before_mean, "after_mean": r.after_mean, "ratio": r.ratio,
                                "difference": r.difference, "ci_low": r.ci_low, "ci_high": r.ci_high}
                         for name, r in rows.items()}).T


def weights_table() -> pd.DataFrame:
    """Every weight of every weighting: rows (component, key), one column per weighting (the weights in force)."""
    rows: dict[tuple[str, str], dict[str, float]] = {}
    for name, w in WEIGHTINGS.items():
        for level in LEVEL_ORDER:
            rows.setdefault(("meeting level", level), {})[name] = w.level[level] if w.level else 1.0
        for mode in PLOVER_CONSULT_MODES:
            rows.setdefault(("meeting PLOVER mode", mode), {})[name] = w.mode.get(mode, w.mode_default)
        for stage, weight in w.stage.items():
            rows.setdefault(("agreement stage", stage), {})[name] = weight
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["component", "key"])
    return table


# ----------------------------------------------------------------------------------------- titles
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
    status = _codes(allegations["status"]).value_counts()
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
