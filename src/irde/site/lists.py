"""The list pages of the web edition (meetings, allegations, agreements, people) and their search
index: every row is in the HTML, so a list reads without JavaScript; `assets/site.js` shows only
the rows that match the text search and the filters, using the index written beside the page.

Each list is described once (`LISTS`): its facets (what the filters offer) and its columns. The index
holds, per record, its ID, a folded text to search and its facet values; it is JSON wrapped in one
assignment so that it loads from the file system, where browsers refuse to fetch JSON.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from irde.site.content import KINDS, SiteContent, date_text, meeting_dates
from irde.site.layout import esc, link, page, table


def fold(text: str) -> str:
    """Lower case without accents; site.js folds the query the same way."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: Callable[[SiteContent, dict], list[str]]  # the codes a record has
    text: Callable[[SiteContent, str], str]  # an option's label


@dataclass(frozen=True)
class Listing:
    kind: str
    title: str
    intro: str
    facets: tuple[Facet, ...]
    header: tuple[str, ...]
    cells: Callable[[SiteContent, dict], list[str]]
    text: Callable[[SiteContent, dict], list[str]]


def _year(d) -> list[str]:
    return [str(d.year)] if d else []


def _field(name: str) -> Callable[[SiteContent, str], str]:
    return lambda c, code: c.labels.field(name, code)


def _as_is(c: SiteContent, code: str) -> str:
    return code


def _country(c: SiteContent, code: str) -> str:
    return c.labels.country(code)


def _go(kind: str, record_id: str, title: str) -> str:  # from the list page, in the records' own folder
    return link(f"{record_id}.html", title)


def _person_names(c: SiteContent, ids) -> list[str]:
    return [c.persons[i]["name_en"] for i in ids if i in c.persons]


MEETINGS = Listing(
    "meeting", "Meetings",
    "Every contact between Iranian and Russian officials at deputy-minister rank or above, in person, by phone or by video.",
    (Facet("year", "Year", lambda c, m: _year(m["start_date"]), _as_is),
     Facet("level", "Highest level", lambda c, m: [m["highest_level"]], _field("highest_level")),
     Facet("mode", "Mode", lambda c, m: [m["mode"]], _field("mode")),
     Facet("forum", "Forum", lambda c, m: [m["forum"]] if m["forum"] else [], _field("forum")),
     Facet("country", "Country present", lambda c, m: list(m["countries_present"] or []), _country)),
    ("Date", "Meeting", "Highest level", "Mode", "Forum"),
    lambda c, m: [esc(meeting_dates(m)), _go("meeting", m["meeting_id"], m["title"]),
                  esc(c.labels.field("highest_level", m["highest_level"])), esc(c.labels.field("mode", m["mode"])),
                  esc(c.labels.field("forum", m["forum"]))],
    lambda c, m: [m["meeting_id"], m["title"], m["summary"], m["city"] or "", c.labels.field("forum", m["forum"]),
                  *_person_names(c, [p["person_id"] for p in m["participants"]]),
                  *[p["role_title"] for p in m["participants"]]],
)

ALLEGATIONS = Listing(
    "allegation", "Allegations",
    "Public claims about specific acts of Iran–Russia military or security cooperation, each followed through its "
    "dated statements. The dataset reports who said what; it never asserts a contested claim in its own voice.",
    (Facet("year", "Year of a statement", lambda c, a: sorted({str(s["statement_date"].year) for s in a["statements"]}), _as_is),
     Facet("status", "Status", lambda c, a: [a["status"]], _field("status")),
     Facet("category", "Category", lambda c, a: [a["category"]], _field("category")),
     Facet("stance", "Has a statement of stance", lambda c, a: sorted({s["stance"] for s in a["statements"]}), _field("stance")),
     Facet("country", "Country speaking", lambda c, a: sorted({s["speaker_country"] for s in a["statements"] if s["speaker_country"]}), _country)),
    ("Allegation", "Category", "Status", "First claimed", "Statements"),
    lambda c, a: [_go("allegation", a["allegation_id"], a["title"]), esc(c.labels.field("category", a["category"])),
                  esc(c.labels.field("status", a["status"])), esc(date_text(a["first_claimed_date"])), esc(a["statement_count"])],
    lambda c, a: [a["allegation_id"], a["title"], a["summary"], a["item"] or "",
                  *[s["summary"] for s in a["statements"]], *[s["speaker_organisation"] or "" for s in a["statements"]],
                  *_person_names(c, [s["speaker_person_id"] for s in a["statements"]])],
)

AGREEMENTS = Listing(
    "agreement", "Agreements",
    "Agreements, memorandums, roadmaps, contracts and joint statements signed by Iranian and Russian officials, "
    "with their ratification and entry into force.",
    (Facet("year", "Year signed", lambda c, g: _year(g["signed_date"]), _as_is),
     Facet("kind", "Kind", lambda c, g: [g["kind"]], _field("kind")),
     Facet("status", "Status", lambda c, g: [g["agreement_status"]], _field("agreement_status")),
     Facet("country", "Party", lambda c, g: list(g["parties"] or []), _country)),
    ("Signed", "Agreement", "Kind", "Status"),
    lambda c, g: [esc(date_text(g["signed_date"])), _go("agreement", g["agreement_id"], g["title"]),
                  esc(c.labels.field("kind", g["kind"])), esc(c.labels.field("agreement_status", g["agreement_status"]))],
    lambda c, g: [g["agreement_id"], g["title"], g["summary"] or "", *_person_names(c, g["signatories"] or [])],
)

PERSONS = Listing(
    "person", "People",
    "Officials and other named people who took part in a meeting, signed an agreement or spoke about an allegation.",
    (Facet("country", "Country", lambda c, p: [p["country"]] if p["country"] else [], _country),
     Facet("sector", "Sector", lambda c, p: [p["sector"]] if p["sector"] else [], _field("sector")),
     Facet("level", "Office held", lambda c, p: sorted({o["role_code"] for o in p["offices"]}), _field("role_code")),
     Facet("year", "Year of a meeting", lambda c, p: sorted({str(c.meetings[m]["start_date"].year) for m in p["meetings"]}), _as_is)),
    ("Name", "Country", "Sector", "Meetings", "Statements"),
    lambda c, p: [_go("person", p["person_id"], p["name_en"]), esc(c.labels.country(p["country"])),
                  esc(c.labels.field("sector", p["sector"])), esc(len(p["meetings"])), esc(len(p["statements"]))],
    lambda c, p: [p["person_id"], p["name_en"], p["name_fa"] or "", p["name_ru"] or "", p["name_ar"] or "",
                  *(p["aliases"] or []), *[o["role_title"] for o in p["offices"]]],
)

LISTS = (MEETINGS, ALLEGATIONS, AGREEMENTS, PERSONS)


def index_path(kind: str) -> str:
    return f"{KINDS[kind][0]}/search-index.js"


def search_index(c: SiteContent, listing: Listing) -> str:
    """The list's search index as a script: `IRDE_INDEX = {"kind": ..., "records": [...]}`."""
    records = [{"id": record_id, "text": fold(" ".join(t for t in listing.text(c, r) if t)),
                "facets": {f.name: f.values(c, r) for f in listing.facets}}
               for record_id, r in c.records(listing.kind).items()]
    data = json.dumps({"kind": listing.kind, "records": records}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return f"window.IRDE_INDEX = {data};\n"


def list_page(c: SiteContent, listing: Listing) -> str:
    records = c.records(listing.kind)
    noun = listing.title.lower()
    selects = []
    for f in listing.facets:
        counts = Counter(v for r in records.values() for v in f.values(c, r))
        ordered = sorted(counts, reverse=f.name == "year") if f.name == "year" else sorted(counts, key=lambda v: f.text(c, v).lower())
        options = "".join(f'<option value="{esc(v)}">{esc(f.text(c, v))} ({counts[v]})</option>' for v in ordered)
        selects.append(f'<div class="field"><label for="f-{f.name}">{esc(f.label)}</label>'
                       f'<select id="f-{f.name}" name="{f.name}" data-facet="{f.name}"><option value="">All</option>{options}</select></div>')
    form = (f'<form id="filters" class="filters" role="search" aria-label="Search and filter {noun}" hidden>'
            f'<div class="field wide"><label for="q">Search {noun}</label>'
            f'<input id="q" name="q" type="search" autocomplete="off" placeholder="Words from a title, name, place or summary"></div>'
            f'{"".join(selects)}<div class="field actions"><button type="reset" id="reset">Clear</button></div></form>'
            f'<p id="count" class="count" role="status" aria-live="polite">{len(records)} {noun}</p>')
    rows = [listing.cells(c, r) for r in records.values()]
    attrs = [f' id="r-{esc(record_id)}"' for record_id in records]
    body = (f"<h1>{esc(listing.title)}</h1><p>{esc(listing.intro)}</p>{form}"
            + table(f"{listing.title} ({len(records)})", listing.header, rows, row_attrs=attrs,
                    numeric=[i for i, h in enumerate(listing.header) if h in ("Meetings", "Statements")], table_id="list"))
    return page(listing.title, body, 1, c.version, current=f"{KINDS[listing.kind][0]}/index.html",
                scripts=[index_path(listing.kind), "assets/site.js"])


def list_href(kind: str, **query: str) -> str:
    """A link from the site root to a list page with its filters set (read by site.js)."""
    from urllib.parse import urlencode

    return f"{KINDS[kind][0]}/index.html" + (f"?{urlencode(query)}" if query else "")

