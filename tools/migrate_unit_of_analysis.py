"""One-off migration for issue 15 (unit of analysis): move curators' interim note sentences into the
new fields, and declare why bilateral meetings in a forum have no parent meeting.

    PYTHONPATH=src python tools/migrate_unit_of_analysis.py [RECORDS_DIR]   # default dataset/records

What it changes, in meeting records only, and nothing else:
- `Initiator: IRN (according to Kremlin).` in `note` -> `initiated_by: IRN`; the sentence becomes
  `Initiator according to Kremlin.` so that the note keeps who said so.
- `Attendance: vladimir-putin by video (according to TASS).` -> `attendance: video` on that
  participant; the sentence becomes `Attendance of vladimir-putin according to TASS.`
- a bilateral meeting with a forum, no parent_meeting_id and no no_parent_reason gets
  `no_parent_reason: bilateral_mechanism` for the intergovernmental commission, otherwise
  `parent_not_recorded`, with a note sentence naming the missing record where the note does not
  already say it has none (a gap, not a new record).

- `initiated_by` where the record's own summary or note says who initiated: for a bilateral call
  or video call "at Iran's (the Iranian side's, Tehran's) initiative or request", "initiated by the
  Russian side", "at Zarif's request"; for a bilateral visit "at the invitation of X", "at X's
  invitation", "X, who had invited him", X being a participant (matched by family name) or a
  country or capital. Nothing is set where the text names both sides or no one it can place.
- two values read by hand from the records' own text (HAND_EDITS): the 2015 Ufa Putin–Rouhani
  meeting was held at the SCO and BRICS summits (additional_forums), and Putin joined the 2021
  Dushanbe SCO summit by video (attendance).

Idempotent: a second run changes nothing (the rewritten sentences no longer match, and declared
reasons are kept). A sentence that names a value the field already holds differently, or a person who
is not a participant, is reported and left in place for a curator. Files are rewritten in the
canonical form of `irde format`; run `irde check` afterwards.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from irde.curation.formatting import format_node
from irde.curation.yamlio import Node, parse_bytes
from irde.schema.model import load_schema

INITIATOR = re.compile(r"\s*Initiator:\s*(IRN|RUS|unknown)\s*\(according to ([^)]+)\)\.")
ATTENDANCE = re.compile(r"\s*Attendance:\s*([a-z0-9-]+)\s+(in person|by video|by phone)\s*\(according to ([^)]+)\)\.")
ATTENDANCE_CODES = {"in person": "in_person", "by video": "video", "by phone": "phone"}
# A note that already says the multilateral meeting has no record ("No SCO summit record for Ufa 2015
# was created", "which is not itself recorded") is not given a second sentence saying so.
SAYS_NOT_RECORDED = re.compile(r"\bno\b[^.]*\brecord|\bnot\b[^.]*\brecorded", re.IGNORECASE)
COUNTRY_WORDS = {"iran": "IRN", "iranian": "IRN", "tehran": "IRN", "russia": "RUS", "russian": "RUS",
                 "moscow": "RUS", "kremlin": "RUS"}
CALL_INITIATIVE = re.compile(
    r"\b(?:[Aa]t|[Oo]n) (?:the )?([A-Z][\w-]*(?:'s| side's)|Iranian side's|Russian side's)\s+(?:initiative|request)"
    r"|\binitiated by the (Iranian|Russian) side")
VISIT_INVITATION = re.compile(
    r"\b[Aa]t the invitation of ([^,.;()]+)|\b[Aa]t ([A-Z][\w-]*(?: [A-Z][\w-]*)*)'s invitation"
    r"|([A-Z][\w-]+), who had invited him")
# Values read by hand from the records' own text (summary or note); set only where the field is empty.
HAND_EDITS = {
    "2015-07-09-ufa-putin-rouhani": {"additional_forums": ["brics"]},   # summary: "the SCO and BRICS summits"
    "2021-09-17-dushanbe-sco-summit": {"attendance": {"vladimir-putin": "video"}},  # note: "by video link"
}
GAP_NOTE = ("No record of the {forum} meeting itself exists yet, so it has no parent_meeting_id"
            " (no_parent_reason: parent_not_recorded).")


def _scalar(value: str) -> Node:
    return Node(value, 0, "scalar")


def _text(node: Node | None) -> str | None:
    return node.value if node is not None and node.kind == "scalar" else None


def _participants(fields: dict) -> list[Node]:
    participants = fields.get("participants")
    return [p for p in (participants.value if participants and participants.kind == "seq" else []) if p.kind == "map"]


def _side_of(words: str, participants: list[Node]) -> set[str]:
    """The delegations a phrase names: by country word, or by a participant's family name."""
    found = {code for word, code in COUNTRY_WORDS.items() if re.search(rf"\b{word}\b", words, re.IGNORECASE)}
    for p in participants:
        person, delegation = _text(p.value.get("person_id")) or "", _text(p.value.get("delegation"))
        family = person.rsplit("-", 1)[-1]
        if len(family) > 2 and re.search(rf"\b{re.escape(family)}\b", words.replace("-", " "), re.IGNORECASE):
            found.add(delegation)
    return found & {"IRN", "RUS"}


def initiator_from_text(fields: dict) -> str | None:
    """IRN or RUS where the record's summary or note says unambiguously who initiated, else None."""
    if _text(fields.get("format")) != "bilateral":
        return None
    text = " ".join(t for t in (_text(fields.get("summary")), _text(fields.get("note"))) if t)
    pattern = VISIT_INVITATION if _text(fields.get("mode")) == "in_person" else CALL_INITIATIVE
    sides: set[str] = set()
    for match in pattern.finditer(text):
        sides |= _side_of(" ".join(g for g in match.groups() if g), _participants(fields))
    return sides.pop() if len(sides) == 1 else None


def apply_hand_edits(fields: dict) -> bool:
    edits = HAND_EDITS.get(_text(fields.get("meeting_id")) or "", {})
    changed = False
    if "additional_forums" in edits and not (fields.get("additional_forums") and fields["additional_forums"].value):
        fields["additional_forums"] = Node([_scalar(f) for f in edits["additional_forums"]], 0, "seq")
        changed = True
    for person, how in edits.get("attendance", {}).items():
        for p in _participants(fields):
            if _text(p.value.get("person_id")) == person and not _text(p.value.get("attendance")):
                p.value["attendance"] = _scalar(how)
                changed = True
    return changed


def migrate(root: Node, forum_labels: dict[str, str]) -> tuple[bool, list[str]]:
    """Apply the migration to one meeting record in place; return (changed, warnings)."""
    fields, warnings, changed = root.value, [], False
    note = _text(fields.get("note")) or ""

    def initiator(match: re.Match) -> str:
        nonlocal changed
        code, who = match.group(1), match.group(2)
        current = _text(fields.get("initiated_by"))
        if current not in (None, code):
            warnings.append(f"note says initiator {code} but initiated_by is {current}; left in place")
            return match.group(0)
        fields["initiated_by"] = _scalar(code)
        changed = True
        return f" Initiator according to {who}."

    def attendance(match: re.Match) -> str:
        nonlocal changed
        person, how, who = match.group(1), ATTENDANCE_CODES[match.group(2)], match.group(3)
        participants = fields.get("participants")
        rows = [p for p in (participants.value if participants and participants.kind == "seq" else [])
                if p.kind == "map" and _text(p.value.get("person_id")) == person]
        if not rows:
            warnings.append(f"note gives attendance for {person}, who is not a participant; left in place")
            return match.group(0)
        current = _text(rows[0].value.get("attendance"))
        if current not in (None, how):
            warnings.append(f"note says {person} attended {how} but attendance is {current}; left in place")
            return match.group(0)
        rows[0].value["attendance"] = _scalar(how)
        changed = True
        return f" Attendance of {person} according to {who}."

    new_note = ATTENDANCE.sub(attendance, INITIATOR.sub(initiator, note)).strip()
    if new_note != note.strip():
        fields["note"] = _scalar(new_note)

    if not _text(fields.get("initiated_by")):
        found = initiator_from_text(fields)
        if found:
            fields["initiated_by"] = _scalar(found)
            changed = True
    changed |= apply_hand_edits(fields)

    forum = _text(fields.get("forum"))
    if (_text(fields.get("format")) == "bilateral" and forum and not _text(fields.get("parent_meeting_id"))
            and not _text(fields.get("no_parent_reason"))):
        if forum == "intergovernmental_commission":
            fields["no_parent_reason"] = _scalar("bilateral_mechanism")
        else:
            fields["no_parent_reason"] = _scalar("parent_not_recorded")
            note = _text(fields.get("note")) or ""
            if not SAYS_NOT_RECORDED.search(note):
                gap = GAP_NOTE.format(forum=forum_labels.get(forum, forum))
                fields["note"] = _scalar(f"{note} {gap}" if note else gap)
        changed = True
    return changed, warnings


def main(argv: list[str]) -> int:
    records = Path(argv[0]) if argv else Path("dataset/records")
    schema = load_schema()
    record_type = schema.record_type("meeting")
    labels = {c.code: c.label for c in schema.vocabularies["forum"].codes}
    changed_files = 0
    for path in sorted((records / "meetings").glob("*/*.yaml")):
        root, issues = parse_bytes(path.read_bytes())
        if root is None or issues or root.kind != "map":
            print(f"{path}: does not parse; skipped", file=sys.stderr)
            continue
        changed, warnings = migrate(root, labels)
        for warning in warnings:
            print(f"{path}: {warning}", file=sys.stderr)
        if changed:
            path.write_text(format_node(root, record_type, schema), encoding="utf-8")
            changed_files += 1
    print(f"migrate_unit_of_analysis: {changed_files} meeting record(s) changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
