"""Rules that span records: unique keys, references between records, sources cited with
conflicting metadata, and the rules across fields of meetings, allegations and agreements.

Runs after every file has been read by `irde.curation.checker`; reports through `add_problem`.
"""

from __future__ import annotations

import re
import unicodedata

from irde.curation.events import check_events
from irde.curation.problems import Collection, Origin, add_problem
from irde.curation.sweeps import check_sweeps
from irde.schema import codes
from irde.schema.model import Schema
from irde.schema.places import find_city, suggest_city

# Stances only an accused party can take; only these speaker types can admit for a state (a legislator
# or outlet speaking for itself makes a claim). The build's status rule reads the same constants.
ACCUSED_ONLY_STANCES = {"denial", "partial_admission", "admission"}
OFFICIAL_SPEAKER_TYPES = ("government", "military", "intelligence_service")


def check_across(schema: Schema, collection: Collection) -> None:
    rows, origins = collection.rows, collection.origins
    _check_unique_keys(schema, collection)
    _check_sources_agree(collection)
    _check_references(schema, collection)
    if "coverage" in schema.tables:
        check_sweeps(collection)
    check_events(collection)

    meetings = {r["meeting_id"]: r for r in rows["meetings"] if r.get("meeting_id")}
    for row, origin in zip(rows["meetings"], origins["meetings"]):
        if row.get("start_date") and row.get("end_date") and row["end_date"] < row["start_date"]:
            add_problem(collection, origin, "end_date", f"{row['end_date']} is before start_date {row['start_date']}")
        present = row.get("countries_present")
        if present is not None and not {"IRN", "RUS"} <= set(present):
            add_problem(collection, origin, "countries_present", "must include both IRN and RUS")
        if row.get("mode") == "in_person" and not row.get("host_country") and origin.usable("host_country"):
            add_problem(collection, origin, "host_country", "an in-person meeting needs its host country")
        if row.get("mode") in ("phone", "video") and (row.get("city") or row.get("host_country")):
            add_problem(collection, origin, "city" if row.get("city") else "host_country",
                 f"a {row['mode']} meeting has no single place; leave host_country and city out")
        if row.get("format") == "bilateral" and present is not None and set(present) != {"IRN", "RUS"}:
            add_problem(collection, origin, "countries_present", "a bilateral meeting lists only IRN and RUS")
        if row.get("parent_meeting_id") and row["parent_meeting_id"] == row.get("meeting_id"):
            add_problem(collection, origin, "parent_meeting_id", "a meeting cannot be its own parent")
        parent = meetings.get(row.get("parent_meeting_id"))
        if parent is not None and parent.get("format") != "multilateral":
            add_problem(collection, origin, "parent_meeting_id",
                 f"{row['parent_meeting_id']!r} is not a multilateral meeting")
        if row.get("city") and row.get("host_country"):
            if find_city(row["city"], row["host_country"]) is None:
                hint = suggest_city(row["city"], row["host_country"])
                extra = f" (did you mean {hint!r}?)" if hint else ""
                add_problem(collection, origin, "city",
                     f"{row['city']!r} is not a GeoNames city of {row['host_country']}{extra}")
    _check_parent_cycles(collection, meetings)
    delegations: dict[str, set] = {}
    for row in rows["participants"]:
        delegations.setdefault(row.get("meeting_id"), set()).add(row.get("delegation"))
    for row, origin in zip(rows["meetings"], origins["meetings"]):
        found = delegations.get(row.get("meeting_id"), set())
        for country, name in (("IRN", "Iranian"), ("RUS", "Russian")):
            if row.get("meeting_id") and country not in found and origin.usable("participants"):
                add_problem(collection, origin, "participants", f"no {name} participant (delegation {country})")

    allegations = {r["allegation_id"]: r for r in rows["allegations"] if r.get("allegation_id")}
    claims: set[str] = set()
    for row, origin in zip(rows["allegation_statements"], origins["allegation_statements"]):
        sid, aid = row.get("statement_id"), row.get("allegation_id")
        if sid and aid and not sid.startswith(aid + "/"):
            add_problem(collection, origin, "statement_id", f"must start with the allegation's ID {aid + '/'!r}")
        if row.get("stance") == "claim":
            claims.add(aid)
        if row.get("stance") in ("admission", "partial_admission") and row.get("speaker_type") not in (
                None, *OFFICIAL_SPEAKER_TYPES):
            add_problem(collection, origin, "stance",
                 f"{row['stance']} must come from someone speaking for the accused state (speaker_type"
                 f" {', '.join(OFFICIAL_SPEAKER_TYPES)}), not {row['speaker_type']!r}; a statement that"
                 f" speaks only for itself is a claim or reiteration")
        allegation = allegations.get(aid)
        if allegation and row.get("stance") in ACCUSED_ONLY_STANCES and row.get("speaker_country"):
            accused = set(allegation.get("supplier_countries") or []) | set(allegation.get("recipient_countries") or [])
            if row["speaker_country"] not in accused:
                add_problem(collection, origin, "speaker_country",
                     f"a {row['stance']} comes from an accused party ({', '.join(sorted(accused))}),"
                     f" not {row['speaker_country']}")
    for row, origin in zip(rows["allegations"], origins["allegations"]):
        start, end = row.get("alleged_period_start"), row.get("alleged_period_end")
        if start and end and end < start:
            add_problem(collection, origin, "alleged_period_end", f"{end} is before alleged_period_start {start}")
        if (start or end) and not row.get("alleged_period_precision"):
            add_problem(collection, origin, "alleged_period_precision", "required when an alleged period is given")
        if row.get("allegation_id") and row["allegation_id"] not in claims:
            add_problem(collection, origin, "statements", "needs at least one statement with stance claim")
    for row, origin in zip(rows["agreements"], origins["agreements"]):
        signed = row.get("signed_date")
        for later in ("ratified_iran_date", "ratified_russia_date", "in_force_date", "terminated_date"):
            if signed and row.get(later) and row[later] < signed:
                add_problem(collection, origin, later, f"{row[later]} is before signed_date {signed}")
        ratified = [row.get("ratified_iran_date"), row.get("ratified_russia_date")]
        if row.get("in_force_date") and any(r and r > row["in_force_date"] for r in ratified):
            add_problem(collection, origin, "in_force_date", "is before a ratification date")


def _check_unique_keys(schema: Schema, collection: Collection) -> None:
    for name, table in schema.tables.items():
        if name == "sources" or name.endswith("_sources"):
            continue
        seen: dict[tuple, Origin] = {}
        for row, origin in zip(collection.rows[name], collection.origins[name]):
            key = tuple(row.get(k) for k in table.primary_key)
            if None in key:
                continue
            if key in seen:
                first = seen[key]
                column = table.primary_key[-1]
                add_problem(collection, origin, column,
                     f"duplicate {'/'.join(table.primary_key)} {'/'.join(map(str, key))!r}"
                     f" (also at {first.path}:{first.locate(column)[0]})")
            else:
                seen[key] = origin
    for name in schema.bridges:
        seen_links: dict[tuple, Origin] = {}
        for row, origin in zip(collection.rows[name], collection.origins[name]):
            key = (row.get(schema.bridges[name]), row["source_id"])
            if key in seen_links and key[0] is not None:
                add_problem(collection, origin, "url", "the same source is cited twice for this record")
            seen_links[key] = origin


_SOURCE_METADATA = ("publisher", "source_title", "published_date", "language", "source_type", "outlet_country", "citation")


def _publisher_key(name: str) -> str:
    folded = codes.fold_confusables(unicodedata.normalize("NFKD", name))
    return re.sub(r"[^0-9a-z]", "", folded.casefold())


def _check_parent_cycles(collection: Collection, meetings: dict) -> None:
    """Parent links may not loop (A's parent B, B's parent A); each meeting is visited once."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    origin_of = {r.get("meeting_id"): o for r, o in zip(collection.rows["meetings"], collection.origins["meetings"])}
    for start in meetings:
        path: list[str] = []
        node = start
        while node in meetings and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = meetings[node].get("parent_meeting_id")
        if node in meetings and state.get(node) == 1 and node != meetings[node].get("parent_meeting_id"):
            cycle = path[path.index(node):]
            for member in cycle:
                shown = " -> ".join(cycle[cycle.index(member):] + cycle[:cycle.index(member)] + [member])
                add_problem(collection, origin_of[member], "parent_meeting_id", f"parent links form a cycle: {shown}")
        for member in path:
            state[member] = 2


def _check_sources_agree(collection: Collection) -> None:
    first: dict[str, tuple[dict, Origin]] = {}
    spellings: dict[str, str] = {}
    for row, origin in zip(collection.rows["sources"], collection.origins["sources"]):
        publisher = row.get("publisher")
        if publisher and len(codes.scripts_of(publisher) & {"LATIN", "CYRILLIC", "GREEK"}) > 1:
            add_problem(collection, origin, "publisher",
                        f"{publisher!r} mixes {' and '.join(s.title() for s in sorted(codes.scripts_of(publisher)))} letters;"
                        " type the name in one script")
        elif publisher:
            known = spellings.setdefault(_publisher_key(publisher), publisher)
            if known != publisher:
                add_problem(collection, origin, "publisher",
                     f"{publisher!r} is spelled {known!r} elsewhere; use one spelling so independence counts are right")
        earlier = first.get(row["source_id"])
        if earlier is None:
            first[row["source_id"]] = (row, origin)
            continue
        prev, prev_origin = earlier
        for key in _SOURCE_METADATA:
            if not (origin.usable(key) and prev_origin.usable(key)):
                continue
            if prev.get(key) != row.get(key):
                add_problem(collection, origin, key,
                     f"{row.get(key)!r} differs from {prev.get(key)!r} given for the same source"
                     f" at {prev_origin.path}:{prev_origin.locate(key)[0]}")


def _check_references(schema: Schema, collection: Collection) -> None:
    keys = {}
    for name, table in schema.tables.items():
        if len(table.primary_key) == 1:
            keys[name] = {r.get(table.primary_key[0]) for r in collection.rows[name]}
    for name, table in schema.tables.items():
        if name.endswith("_sources"):
            continue
        for fk in table.foreign_keys:
            if len(fk.fields) != 1 or fk.resource not in keys:
                continue
            column = fk.fields[0]
            if column == table.primary_key[0] and name != fk.resource:
                continue  # a nested row's parent key is set by nesting, not typed
            targets = keys[fk.resource]
            is_array = table.column(column).definition.type == "array"
            for row, origin in zip(collection.rows[name], collection.origins[name]):
                values = (row.get(column) or []) if is_array else [row.get(column)]
                for value in values:
                    if value is not None and value not in targets:
                        _unknown(collection, origin, column, value, fk.resource, targets)


def _unknown(collection: Collection, origin: Origin, column: str, value: str, resource: str, targets: set) -> None:
    hint = codes.suggest(value, [t for t in targets if t])
    extra = f" (did you mean {hint!r}?)" if hint else ""
    add_problem(collection, origin, column, f"unknown {resource[:-1] if resource.endswith('s') else resource} {value!r}{extra}")
