"""The pages of the web edition, each rendered from `irde.site.content` into a whole HTML string:
the home page, one list page per kind (with the filter form the search script drives) and one page
per meeting, allegation, agreement and person. Pure functions of the content: no file is read or
written here, so the same content always gives the same bytes.
"""

from __future__ import annotations

from irde.schema.model import Schema
from irde.site.cite import bibtex, citation_text
from irde.site.content import SiteContent, date_text, meeting_dates, record_path, statement_anchor
from irde.site.layout import esc, facts, link, outside_link, page, table

# The status rule, in the order it is applied (irde.tables.derive.allegation_status).
STATUS_RULE = ("retracted", "admitted", "partially_admitted", "corroborated", "denied", "alleged")


def _up(kind: str, record_id: str) -> str:
    """Link target of a record from a page one folder down (every record page and list page)."""
    return "../" + record_path(kind, record_id)


def _person_link(c: SiteContent, person_id: str | None) -> str:
    if not person_id or person_id not in c.persons:
        return esc(person_id)
    return link(_up("person", person_id), c.persons[person_id]["name_en"])


def _countries(c: SiteContent, codes) -> str:
    return esc(", ".join(c.labels.country(code) for code in codes or []))


def _sources(c: SiteContent, sources: list[dict], heading: str = "Sources", level: int = 2, key: str = "src") -> str:
    if not sources:
        return ""
    items = []
    for s in sources:
        title = s["source_title"] or s["citation"] or s["url"]
        meta = " · ".join(x for x in (esc(s["publisher"]), esc(c.labels.language(s["language"])),
                                      esc(date_text(s["published_date"])) or "undated",
                                      esc(c.labels.field("source_type", s["source_type"]))) if x)
        items.append(f'<li>{outside_link(s["url"], title, s["language"])}<br><span class="meta">{meta}</span></li>')
    # A record's sources are a landmark; a statement's are not (many per page, all with the same name).
    tag, named = ("section", f' aria-labelledby="{esc(key)}-h"') if level == 2 else ("div", "")
    return (f'<{tag} class="sources"{named}><h{level} id="{esc(key)}-h">{esc(heading)} '
            f'({len(sources)})</h{level}><ol>{"".join(items)}</ol></{tag}>')


def _cite(schema: Schema, kind: str, record_id: str, title: str) -> str:
    return (f'<section class="cite" aria-labelledby="cite-h"><h2 id="cite-h">Cite this record</h2>'
            f'<p class="citation">{esc(citation_text(schema, kind, record_id, title))}</p>'
            f'<details open><summary>BibTeX</summary><pre class="bibtex"><code>{esc(bibtex(schema, kind, record_id, title))}'
            f'</code></pre></details>'
            f'<p class="meta">Record ID <code>{esc(record_id)}</code> · permanent path '
            f'<code>{esc(record_path(kind, record_id))}</code> · IRDE version {esc(schema.version)}</p></section>')


def _header(kind_label: str, title: str, record_id: str) -> str:
    return (f'<p class="kind">{esc(kind_label)}</p><h1>{esc(title)}</h1>'
            f'<p class="meta">ID <code>{esc(record_id)}</code></p>')


def _note(text: str | None) -> str:
    return f'<section aria-labelledby="note-h"><h2 id="note-h">Curators’ note</h2><p>{esc(text)}</p></section>' if text else ""


# ---------------------------------------------------------------------------------------------- records

def meeting_page(schema: Schema, c: SiteContent, m: dict) -> str:
    L = c.labels
    place = ""
    if m["mode"] == "in_person":
        place = esc(", ".join(x for x in (m["city"], L.country(m["host_country"])) if x))
        if m["latitude"] is not None:
            place += f' <span class="meta">({m["latitude"]:.4f}, {m["longitude"]:.4f}; {esc(L.field("location_precision", m["location_precision"]))})</span>'
    else:
        place = esc(f'{L.field("mode", m["mode"])}: no single place')
    parent = m["parent_meeting_id"]
    parent_html = (link(_up("meeting", parent), c.meetings[parent]["title"]) if parent in c.meetings else esc(parent))
    sidelines = "".join(f"<li>{link(_up('meeting', s), c.meetings[s]['title'])} "
                        f"<span class=meta>{esc(meeting_dates(c.meetings[s]))}</span></li>" for s in m["sidelines"])
    about = facts([
        ("Date", esc(meeting_dates(m)) + f' <span class="meta">(precision: {esc(L.field("date_precision", m["date_precision"]).lower())})</span>'),
        ("Place", place),
        ("Mode", esc(L.field("mode", m["mode"]))),
        ("Format", esc(L.field("format", m["format"]))),
        ("Forum", esc(L.field("forum", m["forum"]))),
        ("Held on the sidelines of", parent_html if parent else ""),
        ("Meetings on its sidelines", f"<ul>{sidelines}</ul>" if sidelines else ""),
        ("Highest level present", esc(L.field("highest_level", m["highest_level"]))),
        ("Countries present", _countries(c, m["countries_present"])),
        ("Topics", esc(", ".join(L.field("topics", t) for t in m["topics"] or []))),
        ("Event codes", esc(f'PLOVER {m["plover_event_type"]} / {m["plover_mode"]}; CAMEO {m["cameo_code"]}')),
        ("Independent sources", esc(m["independent_source_count"])),
    ])
    participants = table(
        "Participants, with the office each held at the time",
        ["Delegation", "Person", "Office at the time", "Rank"],
        [[esc(L.country(p["delegation"])), _person_link(c, p["person_id"]) + (" <span class=meta>(head of delegation)</span>" if p["is_head_of_delegation"] else ""),
          esc(p["role_title"]), esc(L.field("role_code", p["role_code"]))] for p in m["participants"]])
    agreements = "".join(f"<li>{link(_up('agreement', a), c.agreements[a]['title'])} "
                         f"<span class=meta>({esc(L.field('kind', c.agreements[a]['kind']))})</span></li>" for a in m["agreements"])
    body = (_header("Meeting", m["title"], m["meeting_id"]) + about
            + f'<section aria-labelledby="sum-h"><h2 id="sum-h">Summary</h2><p>{esc(m["summary"])}</p></section>'
            + f'<section aria-labelledby="part-h"><h2 id="part-h">Participants</h2>{participants}</section>'
            + (f'<section aria-labelledby="agr-h"><h2 id="agr-h">Agreements signed there</h2><ul>{agreements}</ul></section>' if agreements else "")
            + _note(m["note"]) + _sources(c, m["sources"]) + _cite(schema, "meeting", m["meeting_id"], m["title"]))
    return page(m["title"], body, 1, c.version, description=m["summary"][:300])


def status_explanation(c: SiteContent, a: dict) -> str:
    """The derived status, the rule that produced it, and the rules before it that did not apply."""
    L = c.labels
    status = a["status"]
    position = STATUS_RULE.index(status) + 1 if status in STATUS_RULE else 0
    accused = ", ".join(L.country(x) for x in (a["supplier_countries"] or []) + (a["recipient_countries"] or []))
    rules = "".join(
        f'<li{" class=applied" if code == status else ""}><strong>{esc(L.field("status", code))}</strong>: '
        f'{esc(L.definition("allegation_status", code))}{" <em>(applies)</em>" if code == status else ""}</li>'
        for code in STATUS_RULE)
    return (f'<section aria-labelledby="status-h"><h2 id="status-h">Status: {esc(L.field("status", status))}</h2>'
            f'<p>Derived by the build from the statements below: rule {position} of {len(STATUS_RULE)} is the first '
            f'that matches (accused parties: {esc(accused)}). The status reports what parties said; it is not the '
            f'dataset’s own finding of fact.</p><details><summary>The status rule, first match wins</summary>'
            f'<ol class="rule">{rules}</ol></details></section>')


def allegation_page(schema: Schema, c: SiteContent, a: dict) -> str:
    L = c.labels
    period = date_text(a["alleged_period_start"], a["alleged_period_precision"])
    if a["alleged_period_end"]:
        period += " – " + date_text(a["alleged_period_end"], a["alleged_period_precision"])
    about = facts([
        ("Category", esc(L.field("category", a["category"]))),
        ("Supplier", _countries(c, a["supplier_countries"])),
        ("Recipient", _countries(c, a["recipient_countries"])),
        ("Item", esc(a["item"])),
        ("Alleged period", esc(period)),
        ("First claimed", esc(date_text(a["first_claimed_date"]))),
        ("Statements", esc(a["statement_count"])),
    ])
    steps = []
    for s in a["statements"]:
        speaker = _person_link(c, s["speaker_person_id"]) if s["speaker_person_id"] else ""
        org = esc(", ".join(x for x in (s["speaker_organisation"], L.country(s["speaker_country"])) if x))
        who = " — ".join(x for x in (speaker, org) if x)
        extra = facts([("Speaker type", esc(L.field("speaker_type", s["speaker_type"]))),
                       ("Scope", esc(s["scope"])), ("Evidence", esc(L.field("evidence_type", s["evidence_type"]))),
                       ("Note", esc(s["note"]))])
        steps.append(
            f'<li id="{esc(statement_anchor(s["statement_id"]))}" class="stance-{esc(s["stance"])}">'
            f'<h3 class="step"><span class="stance">{esc(L.field("stance", s["stance"]))}</span> '
            f'<time datetime="{s["statement_date"].isoformat()}">{esc(date_text(s["statement_date"], s["date_precision"]))}</time>'
            f' · {who}</h3><p>{esc(s["summary"])}</p>{extra}'
            f'{_sources(c, s["sources"], "Sources", 4, statement_anchor(s["statement_id"]))}'
            f'<p class="meta">Statement ID <code>{esc(s["statement_id"])}</code></p></li>')
    body = (_header("Allegation", a["title"], a["allegation_id"]) + about
            + f'<section aria-labelledby="sum-h"><h2 id="sum-h">Summary</h2><p>{esc(a["summary"])}</p></section>'
            + status_explanation(c, a)
            + f'<section aria-labelledby="life-h"><h2 id="life-h">Lifecycle: {len(steps)} dated statements</h2>'
              f'<ol class="lifecycle">{"".join(steps)}</ol></section>'
            + _note(a["note"]) + _cite(schema, "allegation", a["allegation_id"], a["title"]))
    return page(a["title"], body, 1, c.version, description=a["summary"][:300])


def agreement_page(schema: Schema, c: SiteContent, g: dict) -> str:
    L = c.labels
    meeting = g["meeting_id"]
    about = facts([
        ("Kind", esc(L.field("kind", g["kind"]))),
        ("Status", esc(L.field("agreement_status", g["agreement_status"]))),
        ("Signed", esc(date_text(g["signed_date"]))),
        ("Signed at", link(_up("meeting", meeting), c.meetings[meeting]["title"]) if meeting in c.meetings else esc(meeting)),
        ("Parties", _countries(c, g["parties"])),
        ("Signatories", ", ".join(_person_link(c, p) for p in g["signatories"] or [])),
        ("Ratified by Iran", esc(date_text(g["ratified_iran_date"]))),
        ("Ratified by Russia", esc(date_text(g["ratified_russia_date"]))),
        ("In force", esc(date_text(g["in_force_date"]))),
        ("Terminated", esc(date_text(g["terminated_date"]))),
    ])
    body = (_header("Agreement", g["title"], g["agreement_id"]) + about
            + f'<section aria-labelledby="sum-h"><h2 id="sum-h">Summary</h2><p>{esc(g["summary"])}</p></section>'
            + _note(g["note"]) + _sources(c, g["sources"]) + _cite(schema, "agreement", g["agreement_id"], g["title"]))
    return page(g["title"], body, 1, c.version, description=(g["summary"] or g["title"])[:300])


def person_page(schema: Schema, c: SiteContent, p: dict) -> str:
    L = c.labels
    names = [(f"Name ({label})", f'<span lang="{lang}" dir="auto">{esc(p[key])}</span>')
             for key, lang, label in (("name_fa", "fa", "Persian"), ("name_ru", "ru", "Russian"), ("name_ar", "ar", "Arabic"))
             if p[key]]
    wikidata = p["wikidata_id"]
    about = facts([*names, ("Also known as", esc(", ".join(p["aliases"] or []))),
                   ("Country", esc(L.country(p["country"]))), ("Sector", esc(L.field("sector", p["sector"]))),
                   ("Wikidata", outside_link(f"https://www.wikidata.org/wiki/{wikidata}", wikidata) if wikidata else "")])
    offices = table("Offices held, as recorded at meetings", ["Office", "Rank", "First seen", "Last seen", "Meetings"],
                    [[esc(o["role_title"]), esc(L.field("role_code", o["role_code"])), esc(date_text(o["first"])),
                      esc(date_text(o["last"])), esc(o["meetings"])] for o in p["offices"]], numeric=[4])
    meetings = table("Meetings attended", ["Date", "Meeting", "Mode"],
                     [[esc(meeting_dates(c.meetings[m])), link(_up("meeting", m), c.meetings[m]["title"]),
                       esc(L.field("mode", c.meetings[m]["mode"]))] for m in p["meetings"]])
    statements = "".join(
        f'<li><time datetime="{s["statement_date"].isoformat()}">{esc(date_text(s["statement_date"], s["date_precision"]))}</time> · '
        f'{esc(L.field("stance", s["stance"]))} on '
        f'{link(_up("allegation", s["allegation_id"]) + "#" + statement_anchor(s["statement_id"]), c.allegations[s["allegation_id"]]["title"])}'
        f'<br><span class="meta">{esc(s["summary"])}</span></li>' for s in p["statements"])
    agreements = "".join(f"<li>{link(_up('agreement', a), c.agreements[a]['title'])}</li>" for a in p["agreements"])
    body = (_header("Person", p["name_en"], p["person_id"]) + about
            + (f'<section aria-labelledby="off-h"><h2 id="off-h">Offices held</h2>{offices}</section>' if p["offices"] else "")
            + (f'<section aria-labelledby="meet-h"><h2 id="meet-h">Meetings attended ({len(p["meetings"])})</h2>{meetings}</section>' if p["meetings"] else "")
            + (f'<section aria-labelledby="st-h"><h2 id="st-h">Statements made ({len(p["statements"])})</h2><ul>{statements}</ul></section>' if statements else "")
            + (f'<section aria-labelledby="ag-h"><h2 id="ag-h">Agreements signed</h2><ul>{agreements}</ul></section>' if agreements else "")
            + _note(p["note"]) + _sources(c, p["sources"]) + _cite(schema, "person", p["person_id"], p["name_en"]))
    return page(p["name_en"], body, 1, c.version, description=f'{p["name_en"]}: offices, meetings and statements in IRDE')
