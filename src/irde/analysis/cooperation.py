"""The monthly cooperation index, its weightings and the before/after comparison (notebook 05).

The monthly cooperation index
-----------------------------
Unit: one calendar month, from the month of the earliest dated record to the month of the latest;
months without records are present with zeros. Dates known only to the month or year sit on the
first day (the codebook's rule), so they fall in that month or in January.

Components (weights in `WEIGHTINGS`):

- **meetings**: each encounter (a multilateral meeting with the bilateral meetings on its sidelines,
  `encounter_id`) scores once, as its best-scoring meeting, so that a summit and the bilateral on
  its sidelines are not counted twice; a meeting scores level weight × mode weight. The level is the coarse group of
  the meeting's highest office (`irde.tables.coverage.level_group`); the mode is the meeting's derived
  PLOVER mode (visit, third-party, multilateral, phone; video counts as phone, as in the
  crosswalk of `irde.tables.derive`).
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

from irde.analysis.common import (
    AGREEMENT_STAGES,
    INVASION_DATE,
    LEVEL_ORDER,
    as_codes,
    encounter_ids,
    level_groups,
    month_of,
)

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
    "from allegation statements. Method: irde.analysis.cooperation module docstring and notebooks/05-cooperation-signals.ipynb.")
MONTHLY_SIGNAL_COLUMNS = {
    "month": "First day of the calendar month.",
    "meetings": "Number of meetings that started in the month.",
    "encounters": "Number of encounters (a multilateral meeting with its sideline meetings counts once) that started"
                  " in the month.",
    "agreement_stages": "Number of agreement stages (signature, ratification by Iran or Russia, entry into force, "
                        "termination) dated in the month.",
    "statements": "Number of allegation statements dated in the month.",
    "meetings_component": "Sum of encounter scores, each the best score of its meetings (level weight x PLOVER-mode"
                          " weight, IRDE baseline weights).",
    "agreements_component": "Sum of agreement-stage scores (IRDE baseline weights).",
    "index": "Monthly cooperation index, IRDE baseline weights: meetings_component + agreements_component.",
    "index_plover": "The index under PLOVER intensity scores (CONSULT by mode; SUPPORT/SANCTION for agreement stages).",
    "index_schrodt": "The index under the PLOVER manual draft 0.7b1 Schrodt scores.",
    "index_counts": "The index with every meeting and agreement stage counted once (termination -1).",
    "military_signal": "Military-cooperation signal from allegation statements (claims, corroborations, admissions, "
                       "sanctions positive; retractions negative; denials zero); never part of the index.",
}



def _month_range(*date_series: pd.Series) -> pd.DatetimeIndex:
    dates = pd.concat([pd.to_datetime(s) for s in date_series]).dropna()
    if dates.empty:
        return pd.DatetimeIndex([], name="month")
    return pd.date_range(month_of(dates).min(), month_of(dates).max(), freq="MS", name="month")


def meeting_scores(meetings: pd.DataFrame, weighting: Weighting) -> pd.Series:
    """Score of each meeting under a weighting: level weight × PLOVER-mode weight."""
    mode = as_codes(meetings["plover_mode"])
    mode_weight = mode.map(weighting.mode).where(mode.isin(weighting.mode.keys()), weighting.mode_default)
    level_weight = level_groups(meetings).map(weighting.level) if weighting.level else 1.0
    return (mode_weight.astype(float) * level_weight).rename("score")


def _encounters(meetings: pd.DataFrame, scores: pd.Series) -> pd.DataFrame:
    """One row per encounter: its earliest start date and the best score among its meetings."""
    frame = pd.DataFrame({"encounter": encounter_ids(meetings).to_numpy(),
                          "date": pd.to_datetime(meetings["start_date"]).to_numpy(),
                          "score": np.asarray(scores, dtype=float)})
    return frame.groupby("encounter", sort=True).agg(date=("date", "min"), score=("score", "max"))


def agreement_stages(agreements: pd.DataFrame) -> pd.DataFrame:
    """One row per dated stage of each agreement: agreement_id, stage, date."""
    frames = [pd.DataFrame({"agreement_id": agreements["agreement_id"].astype(str), "stage": stage,
                            "date": pd.to_datetime(agreements[column])})
              for stage, column in AGREEMENT_STAGES.items()]
    stages = pd.concat(frames, ignore_index=True)
    return stages[stages["date"].notna()].sort_values(["date", "agreement_id"], ignore_index=True)


def _monthly_sum(dates: pd.Series, values: pd.Series, months: pd.DatetimeIndex) -> pd.Series:
    summed = pd.Series(np.asarray(values, dtype=float), index=month_of(dates).values).groupby(level=0).sum()
    return summed.reindex(months, fill_value=0.0)


def monthly_index(tables: dict[str, pd.DataFrame], weighting: str | Weighting = BASELINE) -> pd.DataFrame:
    """The monthly cooperation index under one weighting, with its components and counts.

    Columns: meetings, encounters, agreement_stages, statements (counts); meetings_component,
    agreements_component, index (= the two components' sum); military_signal (separate).
    Every month from the first to the last dated record is present.
    """
    w = WEIGHTINGS[weighting] if isinstance(weighting, str) else weighting
    meetings, statements = tables["meetings"], tables["allegation_statements"]
    stages = agreement_stages(tables["agreements"])
    months = _month_range(meetings["start_date"], stages["date"], statements["statement_date"])
    out = pd.DataFrame(index=months)
    out["meetings"] = _monthly_sum(meetings["start_date"], np.ones(len(meetings)), months).astype(int)
    encounters = _encounters(meetings, meeting_scores(meetings, w))
    out["encounters"] = _monthly_sum(encounters["date"], np.ones(len(encounters)), months).astype(int)
    out["agreement_stages"] = _monthly_sum(stages["date"], np.ones(len(stages)), months).astype(int)
    out["statements"] = _monthly_sum(statements["statement_date"], np.ones(len(statements)), months).astype(int)
    out["meetings_component"] = _monthly_sum(encounters["date"], encounters["score"], months)
    out["agreements_component"] = _monthly_sum(stages["date"], stages["stage"].map(w.stage).fillna(0.0), months)
    out["index"] = out["meetings_component"] + out["agreements_component"]
    military = as_codes(statements["stance"]).map(MILITARY_STANCE_WEIGHTS).fillna(0.0)
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
