"""What the dataset holds: table sizes, record dates, the sources cited and their mix, and how many
records rest on two or more independent sources (notebook 01).
"""
from __future__ import annotations

import pandas as pd

from irde.analysis.common import as_codes, year_of


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
        "language": as_codes(sources["language"]),
        "source_type": as_codes(sources["source_type"]),
        "outlet_country": as_codes(sources["outlet_country"]),
    })
    cited = dated.merge(profile, on="source_id", how="left")
    cited["year"] = year_of(cited["date"])
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
    out["year"] = year_of(out["date"])
    return out


def multi_source_share(counts: pd.DataFrame, minimum: int = 2) -> pd.DataFrame:
    """Per year and record type: records, records with ≥ `minimum` independent sources, and their share."""
    flagged = counts.assign(multi=counts["independent_sources"] >= minimum)
    out = flagged.groupby(["year", "record_type"]).agg(records=("multi", "size"), multi_source=("multi", "sum"))
    out["share"] = out["multi_source"] / out["records"]
    return out.reset_index()
