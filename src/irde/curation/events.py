"""Rules on what one event is (issue 15's unit of analysis), across the fields of a record:
sideline meetings and their parents, forums, per-participant attendance, the initiator of a call,
and agreement stages.

Runs from `irde.curation.across.check_across` on rows that have passed their value checks; reports
through `add_problem`. The build derives the encounter, the forums list and the date ranges that
these rules make safe to compute.
"""

from __future__ import annotations

from irde.curation.problems import Collection, add_problem

# A declared exception that does not name its reason in the note is not accepted.
REASONS_NEEDING_NOTE = {"parent_not_recorded", "parent_out_of_scope"}
STAGE_COLUMNS = (("ratification_iran_status", "ratified_iran_date"),
                 ("ratification_russia_status", "ratified_russia_date"),
                 ("entry_into_force_status", "in_force_date"))


def check_events(collection: Collection) -> None:
    _check_meetings(collection)
    _check_attendance(collection)
    _check_stages(collection)


def _check_meetings(collection: Collection) -> None:
    for row, origin in zip(collection.rows["meetings"], collection.origins["meetings"]):
        reason, forum, parent = row.get("no_parent_reason"), row.get("forum"), row.get("parent_meeting_id")
        if (row.get("format") == "bilateral" and forum and not parent and not reason
                and origin.usable("forum") and origin.usable("parent_meeting_id") and origin.usable("no_parent_reason")):
            add_problem(collection, origin, "parent_meeting_id",
                        f"a bilateral meeting in forum {forum!r} needs the multilateral meeting as parent_meeting_id,"
                        " or no_parent_reason (with a note) saying why there is none")
        if reason and (parent or row.get("format") != "bilateral" or not forum):
            add_problem(collection, origin, "no_parent_reason",
                        "only for a bilateral meeting with a forum and no parent_meeting_id")
        elif reason in REASONS_NEEDING_NOTE and not row.get("note"):
            add_problem(collection, origin, "no_parent_reason",
                        f"{reason} needs a note naming the multilateral meeting and why it has no record")
        extra = row.get("additional_forums") or []
        if extra and not forum and origin.usable("forum"):
            add_problem(collection, origin, "additional_forums", "needs forum (the first forum the sources name)")
        elif forum in extra or len(set(extra)) != len(extra):
            add_problem(collection, origin, "additional_forums", "repeats a forum")
        initiator = row.get("initiated_by")
        if initiator and row.get("format") == "multilateral":
            add_problem(collection, origin, "initiated_by",
                        "only for bilateral calls and visits; a multilateral meeting has no single initiator")


def _check_attendance(collection: Collection) -> None:
    modes = {r.get("meeting_id"): r.get("mode") for r in collection.rows["meetings"]}
    for row, origin in zip(collection.rows["participants"], collection.origins["participants"]):
        attendance, mode = row.get("attendance"), modes.get(row.get("meeting_id"))
        if attendance == "in_person" and mode in ("phone", "video"):
            add_problem(collection, origin, "attendance", f"in_person in a {mode} meeting")
        elif attendance == "video" and mode == "phone":
            add_problem(collection, origin, "attendance", "video in a phone meeting")


def _check_stages(collection: Collection) -> None:
    for row, origin in zip(collection.rows["agreements"], collection.origins["agreements"]):
        for status_column, date_column in STAGE_COLUMNS:
            status, day = row.get(status_column), row.get(date_column)
            if day and status not in (None, "done"):
                add_problem(collection, origin, status_column, f"{status}, but {date_column} is given (the stage is done)")
            elif status == "done" and not day and origin.usable(date_column):
                add_problem(collection, origin, status_column, f"done needs {date_column}")
