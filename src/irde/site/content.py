"""The built tables as page content: one plain record per meeting, allegation, agreement and person,
with codes turned into labels and the links between records resolved.

Everything here is data (dicts, lists, strings, dates), sorted so that the same tables always give
the same content; nothing here writes HTML (`irde.site.pages`) or files (`irde.site.build`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from irde.schema.codes import countries, languages
from irde.schema.model import Schema

# Where each kind of record lives in the site: its folder, and the table and key it comes from.
KINDS = {
    "meeting": ("meetings", "meeting_id"),
    "allegation": ("allegations", "allegation_id"),
    "agreement": ("agreements", "agreement_id"),
    "person": ("persons", "person_id"),
}


def record_path(kind: str, record_id: str) -> str:
    """The stable site path of a record, derived from its ID alone (IDs are public API)."""
    return f"{KINDS[kind][0]}/{record_id}.html"


def statement_anchor(statement_id: str) -> str:
    """The fragment of a statement on its allegation's page (`allegation/slug` -> `s-slug`)."""
    return "s-" + statement_id.rpartition("/")[2]


def _plain(value: Any) -> Any:
    """A table cell as plain Python: None for missing, lists for arrays, dates for timestamps."""
    import pandas as pd

    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)) and getattr(value, "ndim", 0) > 0:
        return value.tolist()
    if value is None or pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def rows(frame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.astype(object).to_dict("records")]


def _common_country_names() -> dict[str, str]:
    """The short names readers know ("Iran", "Syria") where ISO's sorted form differs ("Iran, Islamic Republic of")."""
    import pycountry

    return {c.alpha_3: c.common_name for c in pycountry.countries if getattr(c, "common_name", None)}


class Labels:
    """Human labels for coded values, from the schema's vocabularies and the ISO code lists."""

    def __init__(self, schema: Schema):
        self.schema = schema
        self.vocab = {name: {c.code: c for c in v.codes} for name, v in schema.vocabularies.items()}
        self.countries = {**countries(), **_common_country_names()}
        self.languages = languages()

    def code(self, vocabulary: str, code: str | None) -> str:
        if code is None:
            return ""
        found = self.vocab.get(vocabulary, {}).get(code)
        return found.label if found else code

    def definition(self, vocabulary: str, code: str | None) -> str:
        found = self.vocab.get(vocabulary, {}).get(code or "")
        return found.definition if found else ""

    def country(self, code: str | None) -> str:
        if code is None:
            return ""
        if code in self.countries:
            return self.countries[code]
        return self.code("organisation", code)

    def language(self, code: str | None) -> str:
        return self.languages.get(code or "", code or "")

    def field(self, name: str, code: str | None) -> str:
        """The label of `code` in the vocabulary or code list of field `name`."""
        f = self.schema.fields[name]
        vocabulary = f.vocabulary or f.item_vocabulary
        codelist = f.codelist or f.item_codelist
        if vocabulary:
            return self.code(vocabulary, code)
        if codelist == "language":
            return self.language(code)
        if codelist:
            return self.country(code)
        return code or ""


@dataclass
class SiteContent:
    """Every record of the site, by kind and ID, with what links to it."""

    version: str
    released: dt.date
    labels: Labels
    table_rows: dict[str, int]
    meetings: dict[str, dict] = field(default_factory=dict)
    allegations: dict[str, dict] = field(default_factory=dict)
    agreements: dict[str, dict] = field(default_factory=dict)
    persons: dict[str, dict] = field(default_factory=dict)

    def records(self, kind: str) -> dict[str, dict]:
        return getattr(self, KINDS[kind][0])


def _sources_by(bridge: list[dict], key: str, sources: dict[str, dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for link in bridge:
        out[link[key]].append(sources[link["source_id"]])
    for found in out.values():
        found.sort(key=lambda s: (s["published_date"] or dt.date.max, s["publisher"] or "", s["url"]))
    return out


def load_content(schema: Schema, tables_dir: Path) -> SiteContent:
    """Read the built tables in `tables_dir` and join them into page content."""
    from irde.tables.loading import load_all

    frames = load_all(tables_dir)
    t = {name: rows(frame) for name, frame in frames.items()}
    content = SiteContent(version=schema.version, released=dt.date.fromisoformat(str(schema.dataset["date_released"])),
                          labels=Labels(schema), table_rows={name: len(r) for name, r in sorted(t.items())})
    sources = {s["source_id"]: s for s in t["sources"]}

    for p in sorted(t["persons"], key=lambda r: r["person_id"]):
        content.persons[p["person_id"]] = {**p, "offices": [], "meetings": [], "statements": [], "agreements": [],
                                           "sources": []}
    for m in sorted(t["meetings"], key=lambda r: (r["start_date"], r["meeting_id"])):
        content.meetings[m["meeting_id"]] = {**m, "participants": [], "agreements": [], "sidelines": [],
                                             "sources": []}
    for a in sorted(t["allegations"], key=lambda r: r["allegation_id"]):
        content.allegations[a["allegation_id"]] = {**a, "statements": []}
    for g in sorted(t["agreements"], key=lambda r: (r["signed_date"] or dt.date.max, r["agreement_id"])):
        content.agreements[g["agreement_id"]] = {**g, "sources": []}

    for kind, bridge, key in (("meeting", "meeting_sources", "meeting_id"), ("agreement", "agreement_sources", "agreement_id"),
                              ("person", "person_sources", "person_id")):
        for record_id, found in _sources_by(t[bridge], key, sources).items():
            content.records(kind)[record_id]["sources"] = found
    statement_sources = _sources_by(t["statement_sources"], "statement_id", sources)

    for m in content.meetings.values():
        parent = m["parent_meeting_id"]
        if parent in content.meetings:
            content.meetings[parent]["sidelines"].append(m["meeting_id"])
    for p in sorted(t["participants"], key=lambda r: (r["meeting_id"], r["delegation"] or "",
                                                       not r["is_head_of_delegation"], r["person_id"])):
        meeting = content.meetings[p["meeting_id"]]
        meeting["participants"].append(p)
        person = content.persons[p["person_id"]]
        person["meetings"].append(p["meeting_id"])
    for g in content.agreements.values():
        if g["meeting_id"] in content.meetings:
            content.meetings[g["meeting_id"]]["agreements"].append(g["agreement_id"])
        for signatory in g["signatories"] or []:
            if signatory in content.persons:
                content.persons[signatory]["agreements"].append(g["agreement_id"])
    for s in sorted(t["allegation_statements"], key=lambda r: (r["statement_date"], r["statement_id"])):
        s = {**s, "sources": statement_sources.get(s["statement_id"], [])}
        content.allegations[s["allegation_id"]]["statements"].append(s)
        if s["speaker_person_id"] in content.persons:
            content.persons[s["speaker_person_id"]]["statements"].append(s)

    for person in content.persons.values():
        person["meetings"].sort(key=lambda mid: (content.meetings[mid]["start_date"], mid))
        held: dict[tuple, list[dt.date]] = defaultdict(list)
        for mid in person["meetings"]:
            for p in content.meetings[mid]["participants"]:
                if p["person_id"] == person["person_id"]:
                    held[(p["role_title"], p["role_code"])].append(content.meetings[mid]["start_date"])
        person["offices"] = sorted(({"role_title": title, "role_code": code, "first": min(dates), "last": max(dates),
                                     "meetings": len(dates)} for (title, code), dates in held.items()),
                                   key=lambda o: (o["first"], o["role_title"]))
    return content


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # not strftime's %B, which follows the machine's locale


def date_text(value: dt.date | None, precision: str | None = "day") -> str:
    """A date as written on the page, no more precise than the sources: 13 April 2015, April 2015, 2015."""
    if value is None:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def meeting_dates(m: dict) -> str:
    start, end, precision = m["start_date"], m["end_date"], m["date_precision"]
    if end is None or end == start or precision != "day":
        return date_text(start, precision)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {MONTHS[end.month - 1]} {end.year}"
    return f"{date_text(start)} – {date_text(end)}"
