"""Derived columns: values the build computes from curated ones, so that curators never type them.

- meetings: end_date (defaults to start_date), highest_level (the best-ranked participant office),
  the GeoNames place and coordinates, the PLOVER/CAMEO codes, the count of independent sources,
  the date range, the encounter (a multilateral meeting with its sidelines), the list of forums,
  and initiated_by (unknown for a bilateral call without one);
- participants: attendance (the meeting's mode unless the record states it);
- allegations: status (the rule below), first_claimed_date, statement_count and the summary columns
  (first denial and admission, latest statement, counts by stance, claimant and denier countries);
- allegation_statements: PLOVER/CAMEO codes from the stance vocabulary, and the date range;
- agreements: the stage statuses and agreement_status; the agreement_stages table;
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
from irde.tables.dates import date_range

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


# Where two statements share a date range, the claim comes first: an answer never precedes its claim.
_CLAIM_FIRST = {"claim": 0}


def statement_order(s: dict[str, Any]) -> tuple:
    """Sort key of statements: by date range (never the first-of-month placeholder), claims first."""
    earliest = s.get("date_earliest") or s["statement_date"]
    return (earliest, s.get("date_latest") or earliest, _CLAIM_FIRST.get(s["stance"], 1), s["statement_id"])


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
    ordered = sorted(statements, key=statement_order)
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


# Each later stage of an agreement: (stage code, its status column, its date column).
STAGES = (("ratification_iran", "ratification_iran_status", "ratified_iran_date"),
          ("ratification_russia", "ratification_russia_status", "ratified_russia_date"),
          ("entry_into_force", "entry_into_force_status", "in_force_date"))


def stage_status(row: dict[str, Any], status_column: str, date_column: str) -> str:
    """A stage's status as recorded, or done when its date is given, or unknown (never assumed not reached)."""
    return row.get(status_column) or ("done" if row.get(date_column) else "unknown")


def agreement_status(row: dict[str, Any]) -> str:
    """The latest stage reached; `signed` only when every later stage is known to be pending or not required."""
    if row.get("terminated_date"):
        return "terminated"
    iran, russia, in_force = (stage_status(row, status, date) for _, status, date in STAGES)
    if in_force == "done":
        return "in_force"
    required = [s for s in (iran, russia) if s != "not_required"]
    if required and all(s == "done" for s in required):
        return "ratified"
    if "done" in required:
        return "partially_ratified"
    if "unknown" in (iran, russia, in_force):
        return "signed_later_stages_unknown"
    return "signed"


def agreement_stage_rows(agreement: dict[str, Any]) -> list[dict[str, Any]]:
    """The agreement_stages rows of one agreement: signature, then each later stage."""
    signed = agreement["signed_date"]
    rows = [{"agreement_id": agreement["agreement_id"], "stage": "signature", "stage_status": "done",
             "stage_date": signed, "date_earliest": signed, "date_latest": signed}]
    for stage, status_column, date_column in STAGES:
        day = agreement.get(date_column)
        rows.append({"agreement_id": agreement["agreement_id"], "stage": stage,
                     "stage_status": agreement[status_column], "stage_date": day,
                     "date_earliest": day, "date_latest": day})
    return rows


def encounter_ids(meetings: list[dict[str, Any]]) -> dict[str, str]:
    """meeting_id -> encounter_id: a sideline belongs to its parent's encounter (followed to the top)."""
    parents = {m["meeting_id"]: p if isinstance(p := m.get("parent_meeting_id"), str) else None for m in meetings}
    out = {}
    for meeting_id in parents:
        root, seen = meeting_id, {meeting_id}
        while parents.get(root) and parents[root] not in seen:
            root = parents[root]
            seen.add(root)
        out[meeting_id] = root
    return out


def summarise_allegation(allegation: dict[str, Any], statements: list[dict[str, Any]]) -> None:
    """The allegation's summary columns, so that the common questions need no join with statements."""
    accused = set(allegation["supplier_countries"]) | set(allegation["recipient_countries"])
    by_stance: dict[str, list[dict[str, Any]]] = {}
    for s in statements:
        by_stance.setdefault(s["stance"], []).append(s)
    denials = by_stance.get("denial", [])
    admissions = [s for s in by_stance.get("admission", []) + by_stance.get("partial_admission", [])
                  if s.get("speaker_country") in accused]
    allegation["first_denial_date"] = min((s["date_earliest"] for s in denials), default=None)
    allegation["first_admission_date"] = min((s["date_earliest"] for s in admissions), default=None)
    allegation["latest_statement_date"] = max((s["date_latest"] for s in statements), default=None)
    for stance in ("claim", "reiteration", "corroboration", "denial"):
        allegation[f"{stance}_count"] = len(by_stance.get(stance, []))
    allegation["admission_count"] = len(by_stance.get("admission", [])) + len(by_stance.get("partial_admission", []))
    allegation["claimant_countries"] = sorted({s["speaker_country"] for s in statements
                                               if s["stance"] in ("claim", "reiteration", "corroboration")})
    allegation["denier_countries"] = sorted({s["speaker_country"] for s in denials})
    allegation["accused_ever_denied"] = any(s.get("speaker_country") in accused for s in denials)


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

    modes = {m["meeting_id"]: m["mode"] for m in rows["meetings"]}
    for participant in rows["participants"]:
        participant["attendance"] = participant.get("attendance") or modes[participant["meeting_id"]]
    encounters = encounter_ids(rows["meetings"])
    for meeting in rows["meetings"]:
        meeting["end_date"] = meeting.get("end_date") or meeting["start_date"]
        meeting["date_earliest"], meeting["date_latest"] = date_range(
            meeting["start_date"], meeting["date_precision"], meeting["end_date"])
        meeting["encounter_id"] = encounters[meeting["meeting_id"]]
        meeting["is_sideline"] = bool(meeting.get("parent_meeting_id"))
        meeting["additional_forums"] = meeting.get("additional_forums") or []
        meeting["forums"] = ([meeting["forum"]] if meeting.get("forum") else []) + meeting["additional_forums"]
        if (not meeting.get("initiated_by") and meeting["format"] == "bilateral"
                and meeting["mode"] in ("phone", "video")):
            meeting["initiated_by"] = "unknown"
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
    first_claim: dict[str, Any] = {}
    for statement in rows["allegation_statements"]:
        if statement["stance"] == "claim":
            aid = statement["allegation_id"]
            first_claim[aid] = min(first_claim.get(aid, statement["statement_date"]), statement["statement_date"])
    for statement in rows["allegation_statements"]:
        by_allegation.setdefault(statement["allegation_id"], []).append(statement)
        answers = statement["stance"] != "claim"
        statement["date_earliest"], statement["date_latest"] = date_range(
            statement["statement_date"], statement["date_precision"],
            not_before=first_claim.get(statement["allegation_id"]) if answers else None)
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
        summarise_allegation(allegation, statements)

    rows["agreement_stages"] = []
    for agreement in rows["agreements"]:
        for _, status_column, date_column in STAGES:
            agreement[status_column] = stage_status(agreement, status_column, date_column)
        agreement["agreement_status"] = agreement_status(agreement)
        rows["agreement_stages"] += agreement_stage_rows(agreement)

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
