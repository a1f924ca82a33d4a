"""The dyadic event table: meetings, agreements and allegation statements as directed dyads.

One row per directed dyad (actor 1 → actor 2) per act of an event, in the layout event-data
researchers use with GDELT, ICEWS and POLECAT. Which side is actor 1, and whether an event gives
one row or two, follows the rules documented in `schema/vocabularies/direction_rule.yaml` (each row
names its rule); the scores come from the vocabularies too (Goldstein and quad class from
`cameo_code`, PLOVER intensities from `plover_mode` and `plover_event_type`), so nothing here is a
number or a code typed twice. Input is the derived rows of the other tables (after
`derive.fill_derived`); output is plain rows for `irde.schema.arrow.to_arrow`.

A meeting's `initiated_by` (IRN, RUS or unknown) is read when the column exists; without it every
call is initiator-unknown.
"""

from __future__ import annotations

from typing import Any

from irde.schema.model import Schema

IRAN, RUSSIA = "IRN", "RUS"
OTHER = {IRAN: RUSSIA, RUSSIA: IRAN}
ACCUSING_STANCES = ("claim", "reiteration", "corroboration")
AGREEMENT_CAMEO, AGREEMENT_PLOVER = "057", "SUPPORT"
RATIFICATIONS = (("ratified_iran_date", "ratification_iran", IRAN), ("ratified_russia_date", "ratification_russia", RUSSIA))


class _Coder:
    """Scores, sectors and representatives looked up once from the schema and the tables."""

    def __init__(self, schema: Schema, rows: dict[str, list[dict[str, Any]]]):
        self.cameo = schema.vocabularies["cameo_code"]
        self.types = schema.vocabularies["plover_event_type"]
        self.modes = schema.vocabularies["plover_mode"]
        self.stances = schema.vocabularies["stance"]
        self.persons = {p["person_id"]: p for p in rows.get("persons", [])}
        rank = {c.code: c.attributes.get("rank", 99) for c in schema.vocabularies["office"].codes}
        self.delegates: dict[tuple[str, str], str] = {}
        by_meeting: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for p in rows.get("participants", []):
            by_meeting.setdefault((p["meeting_id"], p["delegation"]), []).append(p)
        for key, people in by_meeting.items():
            best = min(people, key=lambda p: (not p.get("is_head_of_delegation"), rank.get(p.get("role_code"), 99),
                                              p["person_id"]))
            self.delegates[key] = best["person_id"]

    def person_of(self, country: str, people: list[str]) -> str | None:
        """The first of `people` (sorted) who served `country`."""
        return next((p for p in sorted(people) if self.persons.get(p, {}).get("country") == country), None)

    def row(self, table: str, event_id: str, stage: str, start, end, precision: str,
            actor1: str, actor2: str, cameo: str, plover: str, mode: str | None, rule: str,
            person1: str | None = None, person2: str | None = None) -> dict[str, Any]:
        intensity = self.modes.attribute(mode, "intensity") if mode else None
        if intensity is None:
            intensity = self.types.attribute(plover, "intensity")
        goldstein = self.cameo.attribute(cameo, "goldstein")
        return {
            "event_table": table, "event_id": event_id, "event_stage": stage,
            "event_start_date": start, "event_end_date": end, "date_precision": precision,
            "actor1_country": actor1, "actor1_sector": self.persons.get(person1, {}).get("sector"),
            "actor1_person_id": person1,
            "actor2_country": actor2, "actor2_sector": self.persons.get(person2, {}).get("sector"),
            "actor2_person_id": person2,
            "cameo_code": cameo, "goldstein_scale": None if goldstein is None else float(goldstein),
            "plover_event_type": plover, "plover_mode": mode,
            "plover_intensity": None if intensity is None else float(intensity),
            "quad_class": self.cameo.attribute(cameo, "quad_class"),
            "direction_rule": rule,
        }


def meeting_directions(meeting: dict[str, Any]) -> tuple[list[tuple[str, str]], str]:
    """The (actor 1, actor 2) pairs of a meeting and the rule that gives them."""
    both = [(IRAN, RUSSIA), (RUSSIA, IRAN)]
    if meeting["format"] == "multilateral":
        return both, "multilateral_both_ways"
    if meeting["mode"] in ("phone", "video"):
        initiator = meeting.get("initiated_by")
        if initiator in OTHER:
            return [(initiator, OTHER[initiator])], "call_initiator_to_other"
        return both, "call_initiator_unknown"
    host = meeting.get("host_country")
    if host in OTHER:
        return [(OTHER[host], host)], "visit_visitor_to_host"
    return both, "third_location_both_ways"


def _meeting_rows(coder: _Coder, meetings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for m in meetings:
        pairs, rule = meeting_directions(m)
        for actor1, actor2 in pairs:
            out.append(coder.row("meetings", m["meeting_id"], "meeting", m["start_date"], m["end_date"],
                                 m["date_precision"], actor1, actor2, m["cameo_code"], m["plover_event_type"],
                                 m.get("plover_mode"), rule, coder.delegates.get((m["meeting_id"], actor1)),
                                 coder.delegates.get((m["meeting_id"], actor2))))
    return out


def _agreement_rows(coder: _Coder, agreements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for a in agreements:
        signatories = a.get("signatories") or []
        for actor1, actor2 in ((IRAN, RUSSIA), (RUSSIA, IRAN)):
            out.append(coder.row("agreements", a["agreement_id"], "signing", a["signed_date"], a["signed_date"], "day",
                                 actor1, actor2, AGREEMENT_CAMEO, AGREEMENT_PLOVER, None, "agreement_signed_both_ways",
                                 coder.person_of(actor1, signatories), coder.person_of(actor2, signatories)))
        for column, stage, actor1 in RATIFICATIONS:
            if a.get(column):
                out.append(coder.row("agreements", a["agreement_id"], stage, a[column], a[column], "day",
                                     actor1, OTHER[actor1], AGREEMENT_CAMEO, AGREEMENT_PLOVER, None,
                                     "agreement_ratified_by_party"))
    return out


def statement_targets(statement: dict[str, Any], direction: str, accused: list[str],
                      accusations: list[tuple[Any, str]]) -> list[str]:
    """Actor-2 countries of a statement: the accused, or the accusers (those who had accused by its date)."""
    speaker = statement["speaker_country"]
    if direction == "accused":
        targets = accused
    else:
        targets = [c for date, c in accusations if date <= statement["statement_date"]] or [c for _, c in accusations]
    return sorted({c for c in targets if c != speaker})


def _statement_rows(coder: _Coder, allegations: list[dict[str, Any]],
                    statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    accused = {a["allegation_id"]: list(a["supplier_countries"]) + list(a["recipient_countries"]) for a in allegations}
    accusations: dict[str, list[tuple[Any, str]]] = {}
    for s in statements:
        if s["stance"] in ACCUSING_STANCES:
            accusations.setdefault(s["allegation_id"], []).append((s["statement_date"], s["speaker_country"]))
    out = []
    for s in statements:
        direction = coder.stances.attribute(s["stance"], "dyad_direction")
        rule = "statement_speaker_to_accused" if direction == "accused" else "statement_answer_to_accusers"
        for target in statement_targets(s, direction, accused.get(s["allegation_id"], []),
                                        accusations.get(s["allegation_id"], [])):
            out.append(coder.row("allegation_statements", s["statement_id"], "statement", s["statement_date"],
                                 s["statement_date"], s["date_precision"], s["speaker_country"], target,
                                 s["cameo_code"], s["plover_event_type"], s.get("plover_mode"), rule,
                                 s.get("speaker_person_id")))
    return out


def dyad_rows(schema: Schema, rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Every row of the dyads table, from the derived rows of meetings, agreements and statements."""
    coder = _Coder(schema, rows)
    return (_meeting_rows(coder, rows.get("meetings", []))
            + _agreement_rows(coder, rows.get("agreements", []))
            + _statement_rows(coder, rows.get("allegations", []), rows.get("allegation_statements", [])))
