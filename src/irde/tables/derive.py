"""Derived columns: values the build computes from curated ones, so that curators never type them.

- meetings: end_date (defaults to start_date), highest_level (the best-ranked participant office),
  the GeoNames place and coordinates, the PLOVER/CAMEO codes, and the count of independent sources;
- allegations: status (the rule below), first_claimed_date and statement_count;
- allegation_statements: PLOVER/CAMEO codes from the stance vocabulary;
- agreements: agreement_status from the dates;
- coverage: the office pair's tier and the counts of queries, months swept and tallies.

Event-code crosswalk for meetings (PLOVER 2.0 CONSULT; CAMEO 1.1b3):
  phone call                       -> CONSULT / phone        / 041 (discuss by telephone)
  video conference                 -> CONSULT / phone        / 040 (consult; PLOVER has no video mode)
  in person, multilateral          -> CONSULT / multilateral / 042 in Iran or Russia, else 044
  in person, bilateral, IRN or RUS -> CONSULT / visit        / 042 (make a visit)
  in person, bilateral, elsewhere  -> CONSULT / third-party  / 044 (meet at a third location)
"""

from __future__ import annotations

from typing import Any, Iterable

from irde.curation.sweeps import ENGLISH, PERSIAN_OR_RUSSIAN, months_covered
from irde.schema.model import Schema

HOME_COUNTRIES = {"IRN", "RUS"}


def meeting_event_codes(mode: str, format_: str, host_country: str | None) -> tuple[str, str, str]:
    """(PLOVER event type, PLOVER mode, CAMEO code) of a meeting, by the crosswalk in the module docstring."""
    if mode == "phone":
        return "CONSULT", "phone", "041"
    if mode == "video":
        return "CONSULT", "phone", "040"
    at_home = host_country in HOME_COUNTRIES
    if format_ == "multilateral":
        return "CONSULT", "multilateral", "042" if at_home else "044"
    return ("CONSULT", "visit", "042") if at_home else ("CONSULT", "third-party", "044")


def allegation_status(statements: Iterable[dict[str, Any]], accused: set[str]) -> str:
    """Status of an allegation from its statements; first matching rule wins.

    1. retracted: the latest statement by a claimant is a retraction, and no claim or corroboration
       comes after it;
    2. admitted: an accused party (a supplier or recipient country) made an admission;
    3. partially_admitted: an accused party made a partial admission;
    4. corroborated: some statement is a corroboration;
    5. denied: some statement is a denial;
    6. alleged: otherwise.
    """
    ordered = sorted(statements, key=lambda s: (s["statement_date"], s["statement_id"]))
    by_accused = {s["stance"] for s in ordered if s.get("speaker_country") in accused}
    last_retraction = max((i for i, s in enumerate(ordered) if s["stance"] == "retraction"), default=None)
    if last_retraction is not None and not any(
            s["stance"] in ("claim", "reiteration", "corroboration") for s in ordered[last_retraction + 1:]):
        return "retracted"
    if "admission" in by_accused:
        return "admitted"
    if "partial_admission" in by_accused:
        return "partially_admitted"
    stances = {s["stance"] for s in ordered}
    if "corroboration" in stances:
        return "corroborated"
    if "denial" in stances:
        return "denied"
    return "alleged"


def agreement_status(row: dict[str, Any]) -> str:
    if row.get("terminated_date"):
        return "terminated"
    if row.get("in_force_date"):
        return "in_force"
    ratified = [row.get("ratified_iran_date"), row.get("ratified_russia_date")]
    if all(ratified):
        return "ratified"
    if any(ratified):
        return "partially_ratified"
    return "signed"


def fill_derived(schema: Schema, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Add every derived column in place (rows must have passed `irde check`)."""
    from irde.schema.places import find_city

    office_rank = {c.code: c.attributes["rank"] for c in schema.vocabularies["office"].codes}
    publishers: dict[str, str] = {}
    for source in rows["sources"]:
        publishers.setdefault(source["source_id"], source["publisher"])
    meeting_publishers: dict[str, set[str]] = {}
    for link in rows["meeting_sources"]:
        meeting_publishers.setdefault(link["meeting_id"], set()).add(publishers[link["source_id"]])
    roles: dict[str, list[str]] = {}
    for participant in rows["participants"]:
        roles.setdefault(participant["meeting_id"], []).append(participant["role_code"])

    for meeting in rows["meetings"]:
        meeting["end_date"] = meeting.get("end_date") or meeting["start_date"]
        meeting["highest_level"] = min(roles[meeting["meeting_id"]], key=office_rank.__getitem__)
        place = find_city(meeting["city"], meeting["host_country"]) if meeting.get("city") else None
        meeting["geonames_id"] = place.geonames_id if place else None
        meeting["latitude"] = place.latitude if place else None
        meeting["longitude"] = place.longitude if place else None
        if meeting["mode"] != "in_person":
            meeting["location_precision"] = "not_applicable"
        else:
            meeting["location_precision"] = "city" if place else "country"
        (meeting["plover_event_type"], meeting["plover_mode"],
         meeting["cameo_code"]) = meeting_event_codes(meeting["mode"], meeting["format"], meeting.get("host_country"))
        meeting["independent_source_count"] = len(meeting_publishers.get(meeting["meeting_id"], ()))

    stance = schema.vocabularies["stance"]
    by_allegation: dict[str, list[dict[str, Any]]] = {}
    for statement in rows["allegation_statements"]:
        by_allegation.setdefault(statement["allegation_id"], []).append(statement)
        code = statement["stance"]
        statement["plover_event_type"] = stance.attribute(code, "plover_event_type")
        statement["plover_mode"] = stance.attribute(code, "plover_mode")
        statement["cameo_code"] = stance.attribute(code, "cameo_code")
    for allegation in rows["allegations"]:
        statements = by_allegation.get(allegation["allegation_id"], [])
        accused = set(allegation["supplier_countries"]) | set(allegation["recipient_countries"])
        allegation["status"] = allegation_status(statements, accused)
        claim_dates = [s["statement_date"] for s in statements if s["stance"] == "claim"]
        allegation["first_claimed_date"] = min(claim_dates) if claim_dates else None
        allegation["statement_count"] = len(statements)

    for agreement in rows["agreements"]:
        agreement["agreement_status"] = agreement_status(agreement)

    if "coverage" in rows:
        fill_sweep_counts(schema, rows)


def fill_sweep_counts(schema: Schema, rows: dict[str, list[dict[str, Any]]]) -> None:
    """The coverage log's derived columns: the pair's tier, and counts of queries, months and tallies."""
    queries: dict[str, list[dict[str, Any]]] = {}
    for query in rows["coverage_queries"]:
        queries.setdefault(query["cell_id"], []).append(query)
    tallies: dict[str, int] = {}
    for tally in rows["coverage_tallies"]:
        tallies[tally["cell_id"]] = tallies.get(tally["cell_id"], 0) + 1
    pairs = schema.vocabularies["office_pair"]
    for cell in rows["coverage"]:
        cell_queries = queries.get(cell["cell_id"], [])
        cell["tier"] = pairs.attribute(cell["office_pair"], "tier")
        cell["query_count"] = len(cell_queries)
        cell["months_english"] = len(months_covered(cell_queries, ENGLISH))
        cell["months_persian_or_russian"] = len(months_covered(cell_queries, PERSIAN_OR_RUSSIAN))
        cell["tally_count"] = tallies.get(cell["cell_id"], 0)


def deduplicate_sources(rows: dict[str, list[dict[str, Any]]]) -> None:
    """Keep one row per source_id (the first citation; `check` guarantees the others agree)."""
    seen: dict[str, dict[str, Any]] = {}
    for source in rows["sources"]:
        seen.setdefault(source["source_id"], source)
    rows["sources"] = list(seen.values())
