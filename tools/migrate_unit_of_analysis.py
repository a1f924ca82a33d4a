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
GAP_NOTE = ("No record of the {forum} meeting itself exists yet, so it has no parent_meeting_id"
            " (no_parent_reason: parent_not_recorded).")


def _scalar(value: str) -> Node:
    return Node(value, 0, "scalar")


def _text(node: Node | None) -> str | None:
    return node.value if node is not None and node.kind == "scalar" else None


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
