"""Validation suites: every expectation can fail, `irde validate` passes on the committed tables and
fails precisely on planted defects, the suites stay light to generate, and the report is offline.

The failing-case tests start from the valid fixture records, plant one defect, run the suite of the
expectation's table and require that exactly that expectation fails (plus the few listed in
`ALSO_FAILS`, where one defect necessarily breaks two rules). Defects are planted by check kind for
the expectations rendered from the schema and by expectation type for the rules; a rule of a new
type needs a case in `HAND_WRITTEN`, and `test_every_expectation_has_a_failing_case` enforces that.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import FIXTURE_TODAY, ROOT, VALID_RECORDS, modules_loaded_by
from irde.validation.suites import BBOX_FILE, SUITES_DIR, expectation_columns

SUITES = {s["name"]: s for s in (json.loads(p.read_text()) for p in sorted((ROOT / SUITES_DIR).glob("*.json")))}
EXPECTATIONS = {e["meta"]["id"]: (s, e) for s in SUITES.values() for e in s["expectations"]}
BBOXES = json.loads((ROOT / BBOX_FILE).read_text())["countries"]
BAD = "BAD VALUE"
LAST = -1
# Dates that other rules require to be the earliest of their row get a defect below their minimum;
# every other date gets one after the reference date.
EARLIEST_DATES = {"start_date", "signed_date", "alleged_period_start", "event_start_date", "date_earliest"}

ALSO_FAILS = {
    # Meetings made each other's parents no longer have the encounter their parent link implies.
    "meetings/rule/parent_links_do_not_loop": {"meetings/rule/encounter_is_parent_or_self"},
    # A coverage cell's added meetings are among its meetings, so a dangling one dangles in both lists.
    "coverage/foreign_key/meeting_ids_added[]": {"coverage/foreign_key/meeting_ids[]"},
    "coverage/pattern/meeting_ids_added[]": {"coverage/pattern/meeting_ids[]"},
    # A second row with an existing meeting_id has that meeting's participants, date and place.
    "meetings/unique/meeting_id": {"meetings/rule/no_likely_duplicates"},
    # The parent is a meeting of the same table, so its renamed ID breaks the meeting_id pattern too.
    "meetings/pattern/parent_meeting_id": {"meetings/pattern/meeting_id", "meetings/pattern/encounter_id"},
    # The parent is the sideline's encounter too.
    "meetings/foreign_key/parent_meeting_id": {"meetings/foreign_key/encounter_id"},
    # The fixture sideline's encounter is its parent: removing that meeting leaves both dangling.
    "meetings/foreign_key/encounter_id": {"meetings/foreign_key/parent_meeting_id"},
    # A missing or renamed encounter disagrees with the parent (or the meeting itself) it must equal;
    # a renamed encounter renames the meeting it names, which is a parent too.
    "meetings/not_null/encounter_id": {"meetings/rule/encounter_is_parent_or_self"},
    "meetings/pattern/encounter_id": {"meetings/pattern/meeting_id", "meetings/pattern/parent_meeting_id"},
    # A status that is missing or not a code disagrees with the stages; so does Iran's stage made unreadable.
    "agreements/not_null/agreement_status": {"agreements/rule/status_agrees_with_stages"},
    "agreements/in_set/agreement_status": {"agreements/rule/status_agrees_with_stages"},
    "agreements/in_set/ratification_iran_status": {"agreements/rule/status_agrees_with_stages"},
    # A termination date, planted or moved, makes the agreement terminated.
    "agreements/range/terminated_date": {"agreements/rule/status_agrees_with_stages"},
    "agreements/rule/terminated_after_signing": {"agreements/rule/status_agrees_with_stages"},
    # A latitude or longitude off the globe is outside every country's box.
    "meetings/range/latitude": {"meetings/rule/latitude_not_south_of_host_country"},
    "meetings/range/longitude": {"meetings/rule/longitude_not_west_of_host_country"},
    # An allegation without its ID has no statements.
    "allegations/not_null/allegation_id": {"allegations/rule/first_claimed_is_earliest_claim",
                                           "allegations/rule/status_agrees_with_statements",
                                           "allegations/rule/statement_count_agrees",
                                           "allegations/rule/first_denial_is_earliest_denial"},
    # A derived value that is missing, out of range or not a code also disagrees with the statements.
    "allegations/not_null/first_claimed_date": {"allegations/rule/first_claimed_is_earliest_claim"},
    "allegations/range/first_claimed_date": {"allegations/rule/first_claimed_is_earliest_claim"},
    "allegations/range/first_denial_date": {"allegations/rule/first_denial_is_earliest_denial"},
    "allegations/not_null/status": {"allegations/rule/status_agrees_with_statements"},
    "allegations/in_set/status": {"allegations/rule/status_agrees_with_statements"},
    "allegations/not_null/statement_count": {"allegations/rule/statement_count_agrees"},
    "allegations/range/statement_count": {"allegations/rule/statement_count_agrees"},
    # The fixture agreement was ratified by Iran after signing: in force before signing is before that too.
    "agreements/rule/in_force_after_signing": {"agreements/rule/in_force_after_iran_ratification"},
    # A meeting's two rows in the dyads table name the same delegates, once as actor 1 and once as actor 2.
    "dyads/foreign_key/actor1_person_id": {"dyads/foreign_key/actor2_person_id"},
    "dyads/foreign_key/actor2_person_id": {"dyads/foreign_key/actor1_person_id"},
    "dyads/pattern/actor1_person_id": {"dyads/pattern/actor2_person_id"},
    "dyads/pattern/actor2_person_id": {"dyads/pattern/actor1_person_id"},
}


# -- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def validation():
    """irde.validation.runner, imported once per session: importing Great Expectations takes seconds."""
    from irde.validation import runner as validation

    return validation


@pytest.fixture(scope="session")
def validator(validation):
    return validation.Validator()


@pytest.fixture(scope="session")
def fixture_frames(schema, validation):
    from irde.tables.build import build_tables
    from irde.curation.records import collect

    collection = collect(schema, VALID_RECORDS, today=dt.date.fromisoformat(FIXTURE_TODAY))
    return {name: validation.table_frame(t) for name, t in build_tables(schema, VALID_RECORDS, collection).items()}


@pytest.fixture
def frames(fixture_frames):
    return {name: frame.copy(deep=True) for name, frame in fixture_frames.items()}


def relaxed(suite: dict, keep: str | None = None) -> dict:
    """The suite with its row-count bounds lifted (the fixture is tiny), except for expectation `keep`."""
    suite = copy.deepcopy(suite)
    for e in suite["expectations"]:
        if e["type"] == "expect_table_row_count_to_be_between" and e["meta"]["id"] != keep:
            e["kwargs"] = {"min_value": 0, "max_value": None}
    return suite


def _inputs(validation, suite, frames) -> dict[str, tuple]:
    """Per expectation: the frame and parameters it runs on, and a signature of everything it reads."""
    out = {}
    for expectations, frame, parameters in validation.suite_inputs(suite, frames, BBOXES, FIXTURE_TODAY):
        for e in expectations:
            if e["type"].startswith("expect_table_"):
                read = (list(frame.columns), len(frame))
            else:
                read = [(c, str(frame[c].dtype), repr(validation._plain(list(frame[c])))) if c in frame else c
                        for c in expectation_columns(e)]
            used = sorted((k, repr(sorted(map(repr, parameters[v["$PARAMETER"]])))) for k, v in e["kwargs"].items()
                          if isinstance(v, dict) and isinstance(parameters.get(v["$PARAMETER"]), list))
            out[e["meta"]["id"]] = (e, frame, parameters, repr((e["kwargs"], read, used)))
    return out


@pytest.fixture(scope="session")
def fixture_inputs(validation, fixture_frames):
    return {name: _inputs(validation, relaxed(suite), fixture_frames) for name, suite in SUITES.items()}


def failed_ids(validation, validator, suite, frames, fixture_inputs=None) -> set[str]:
    """The expectations of `suite` that fail on `frames`.

    Given the inputs of the valid fixture, on which every expectation passes, only the expectations
    whose columns, rows or parameters the defect changed are run: the others would read exactly what
    they read on the fixture, and Great Expectations costs ~15 ms per expectation even on two rows.
    """
    failed = set()
    changed: dict[int, tuple] = {}
    for ident, (e, frame, parameters, signature) in _inputs(validation, suite, frames).items():
        if fixture_inputs is None or fixture_inputs[suite["name"]][ident][3] != signature:
            changed.setdefault(id(frame), (frame, parameters, []))[2].append(e)
    for frame, parameters, expectations in changed.values():
        outcomes = validator.run(expectations, frame, parameters, suite["meta"]["key"], details=False)
        failed |= {ident for ident, o in outcomes.items() if not o.success}
    return failed


# -- planting one defect -------------------------------------------------------------------------

def _non_null(frame: pd.DataFrame, column: str) -> list[int]:
    """Rows holding a value (for a list column: a list with at least one item)."""
    def filled(value) -> bool:
        return len(value) > 0 if isinstance(value, (list, np.ndarray)) else not pd.isna(value)
    return list(frame.index[frame[column].map(filled)])


def _references(schema, table: str, column: str) -> tuple[str, str]:
    """The (table, column) a column's values are identities of: its foreign-key target, or itself."""
    for fk in schema.table(table).foreign_keys:
        if fk.fields == (column,):
            return fk.resource, fk.reference_fields[0]
    return table, column


def _rename_everywhere(schema, frames, target: tuple[str, str], old, new) -> None:
    """Replace one identity value in its own column and in every column referring to it."""
    places = [target] + [(t.name, fk.fields[0]) for t in schema.tables.values() for fk in t.foreign_keys
                         if (fk.resource, fk.reference_fields[0]) == target]
    for table, column in places:
        frame = frames[table]
        frame[column] = [[new if x == old else x for x in v] if isinstance(v, (list, np.ndarray))
                         else (new if v == old else v) for v in frame[column]]


def _set(frame: pd.DataFrame, column: str, value, row=None) -> None:
    """Put a defect into a row, by default the last (in the fixture the first meeting is the parent of the second)."""
    frame[column] = frame[column].astype(object)
    frame.at[frame.index[LAST] if row is None else row, column] = value


def _late(value):
    return value + (dt.timedelta(days=1) if isinstance(value, dt.date) else 1)


def _early(value):
    return value - (dt.timedelta(days=1) if isinstance(value, dt.date) else 1)


def plant_columns(schema, frames, table, e):
    names = list(frames[table].columns)
    frames[table] = frames[table][names[:-2] + [names[-1], names[-2]]]


def plant_row_count(schema, frames, table, e):
    frames[table] = frames[table].iloc[:0]


def plant_unique(schema, frames, table, e):
    frames[table] = pd.concat([frames[table], frames[table].iloc[[LAST]]], ignore_index=True)


def plant_not_null(schema, frames, table, e):
    _set(frames[table], e["kwargs"]["column"], None)


def plant_in_set(schema, frames, table, e):
    column = e["kwargs"]["column"]
    frame = frames[table]
    if column.endswith("[]"):
        rows = _non_null(frame, column[:-2])  # a list column empty in every fixture row gets one item
        row = rows[LAST] if rows else frame.index[LAST]
        _set(frame, column[:-2], list(frame.at[row, column[:-2]]) + ["not-a-code"], row)
    else:
        _set(frame, column, "not-a-code")


def plant_pattern(schema, frames, table, e):
    column = e["kwargs"]["column"].removesuffix("[]")
    frame = frames[table]
    rows = _non_null(frame, column)
    if not rows:  # nothing refers to a value that is not there yet
        frame.at[0, column] = BAD
        return
    value = frame.at[rows[LAST], column]
    value = list(value)[0] if e["kwargs"]["column"].endswith("[]") else value
    _rename_everywhere(schema, frames, _references(schema, table, column), value, BAD)


def plant_range(schema, frames, table, e):
    column, low, high = e["kwargs"]["column"], e["kwargs"]["min_value"], e["kwargs"]["max_value"]
    if isinstance(high, dict):  # a date: the upper bound is the reference date
        today = dt.date.fromisoformat(FIXTURE_TODAY)
        value = _early(dt.date.fromisoformat(low)) if column in EARLIEST_DATES else _late(today)
    else:
        value = _early(low) if low is not None else _late(high)
    if column.endswith("[]"):  # the items of a list column: one item out of range
        _set(frames[table], column[:-2], [value])
        return
    _set(frames[table], column, value)


def plant_length(schema, frames, table, e):
    _set(frames[table], e["kwargs"]["column"], "x" * (e["kwargs"]["max_value"] + 1))


def plant_foreign_key(schema, frames, table, e):
    column = e["kwargs"]["column"].removesuffix("[]")
    value = frames[table].at[_non_null(frames[table], column)[0], column]
    value = list(value)[0] if e["kwargs"]["column"].endswith("[]") else value
    resource, ref = _references(schema, table, column)
    frames[resource] = frames[resource][frames[resource][ref] != value].reset_index(drop=True)


def plant_missing_support(schema, frames, table, e):
    """For "every row has a match in T.c (where …)": remove the rows of T that match the first row."""
    spec = SUITES[table]["meta"]["value_sets"][e["kwargs"]["value_set"]["$PARAMETER"]]["missing_from"]
    value = frames[table].at[0, e["kwargs"]["column"]]
    other = frames[spec["table"]]
    matching = other[spec["column"]] == value
    for column, wanted in (spec.get("where") or {}).items():
        matching &= other[column] == wanted
    frames[spec["table"]] = other[~matching].reset_index(drop=True)


def _current(frames, table, row, column):
    """A cell's value, computing a derived bounding-box edge the way the suite declares it."""
    spec = SUITES[table]["meta"]["derived"].get(column)
    if spec is None:
        return frames[table].at[row, column]
    assert spec["kind"] == "bbox", column
    return BBOXES[frames[table].at[row, spec["column"]]][spec["edge"]]


def plant_order(schema, frames, table, e):
    """For `A >= B`: make A one step smaller than B (giving B a late date first where it is empty)."""
    a, b = e["kwargs"]["column_A"], e["kwargs"]["column_B"]
    frame = frames[table]
    row = 0
    for column in (a, b):
        if not column.startswith("_"):
            frame[column] = frame[column].astype(object)
    if a.startswith("_"):  # A is derived: move B past it
        frame.at[row, b] = _late(_current(frames, table, row, a))
        return
    if not b.startswith("_") and frame.at[row, b] is None:
        frame.at[row, b] = max(v for v in frame.iloc[row] if isinstance(v, dt.date)) + dt.timedelta(days=10)
    frame.at[row, a] = _early(_current(frames, table, row, b))


def plant_disagreement(schema, frames, table, e):
    """For `A == B` with B derived: give A another valid value."""
    column = e["kwargs"]["column_A"]
    frame = frames[table]
    value = frame.at[0, column]
    if isinstance(value, str):
        codes = next(x["kwargs"]["value_set"] for x in SUITES[table]["expectations"]
                     if x["meta"]["id"] == f"{table}/in_set/{column}")
        other = next(c for c in codes if c != value)
    else:
        other = _late(value)
    frame[column] = frame[column].astype(object)
    frame.at[0, column] = other


def plant_duplicate_meeting(schema, frames, table, e):
    """The second fixture meeting recorded again under another ID, with its participants and sources."""
    source = frames["meetings"].iloc[[1]].copy()
    old = source.iloc[0]["meeting_id"]
    new = old + "-again"
    frames["meetings"] = pd.concat([frames["meetings"], source.assign(meeting_id=new)], ignore_index=True)
    for child in ("participants", "meeting_sources"):
        rows = frames[child][frames[child]["meeting_id"] == old].assign(meeting_id=new)
        frames[child] = pd.concat([frames[child], rows], ignore_index=True)


def _sideline_row(frames) -> int:
    meetings = frames["meetings"]
    return int(meetings.index[meetings["parent_meeting_id"].notna()][0])


def plant_encounter_of_its_own(schema, frames, table, e):
    """The fixture sideline made an encounter of its own, although it has a parent."""
    row = _sideline_row(frames)
    _set(frames["meetings"], "encounter_id", frames["meetings"].at[row, "meeting_id"], row)


def plant_missing_parent(schema, frames, table, e):
    """The fixture sideline without its parent and without a declared reason (its encounter its own)."""
    row = _sideline_row(frames)
    _set(frames["meetings"], "parent_meeting_id", None, row)
    _set(frames["meetings"], "encounter_id", frames["meetings"].at[row, "meeting_id"], row)


BY_CHECK = {"columns": plant_columns, "row_count": plant_row_count, "unique": plant_unique,
            "not_null": plant_not_null, "in_set": plant_in_set, "pattern": plant_pattern, "range": plant_range,
            "length": plant_length, "foreign_key": plant_foreign_key}
BY_RULE_TYPE = {"expect_column_values_to_not_be_in_set": plant_missing_support,
                "expect_column_pair_values_a_to_be_greater_than_b": plant_order,
                "expect_column_pair_values_to_be_equal": plant_disagreement}
def plant_parent_cycle(schema, frames, table, e):
    """Two meetings, each the other's parent."""
    meetings = frames["meetings"]
    meetings["parent_meeting_id"] = meetings["parent_meeting_id"].astype(object)
    meetings.at[0, "parent_meeting_id"] = meetings.at[1, "meeting_id"]
    meetings.at[1, "parent_meeting_id"] = meetings.at[0, "meeting_id"]


HAND_WRITTEN = {"meetings/rule/no_likely_duplicates": plant_duplicate_meeting,
                "meetings/rule/encounter_is_parent_or_self": plant_encounter_of_its_own,
                "meetings/rule/bilateral_in_forum_has_parent_or_reason": plant_missing_parent,
                "meetings/rule/parent_links_do_not_loop": plant_parent_cycle}


def case_for(ident: str):
    suite, e = EXPECTATIONS[ident]
    check = ident.split("/")[1]
    if check != "rule":
        return BY_CHECK.get(check)
    return HAND_WRITTEN.get(ident) or BY_RULE_TYPE.get(e["type"])


# -- every expectation can fail ------------------------------------------------------------------

def test_every_expectation_has_a_failing_case():
    missing = sorted(i for i in EXPECTATIONS if case_for(i) is None)
    assert not missing, f"expectations without a failing-case test (add a case in tests/test_validation.py): {missing}"
    stale = sorted(set(HAND_WRITTEN) - set(EXPECTATIONS)) + sorted(set(ALSO_FAILS) - set(EXPECTATIONS))
    assert not stale, f"cases for expectations that no suite has: {stale}"
    for ident, others in ALSO_FAILS.items():
        assert others <= set(EXPECTATIONS), ident


def test_the_fixture_passes_every_suite(validation, validator, frames):
    for suite in SUITES.values():
        assert failed_ids(validation, validator, relaxed(suite), frames) == set(), suite["name"]


@pytest.mark.parametrize("ident", sorted(EXPECTATIONS))
def test_expectation_fails_on_its_defect(ident, validation, validator, frames, fixture_inputs, schema):
    suite, e = EXPECTATIONS[ident]
    case_for(ident)(schema, frames, suite["name"], e)
    failed = failed_ids(validation, validator, relaxed(suite, keep=ident), frames, fixture_inputs)
    assert failed == {ident} | ALSO_FAILS.get(ident, set())


def test_a_missing_table_fails_its_suite(validator, frames):
    del frames["persons"]
    report = validator.validate(frames, [relaxed(s) for s in SUITES.values()], BBOXES, FIXTURE_TODAY,
                                missing={"persons": "no file persons.parquet"})
    assert not report.success
    assert [s.missing for s in report.suites if s.name == "persons"] == ["no file persons.parquet"]


@pytest.mark.parametrize("table", sorted(SUITES))
def test_row_count_ceiling_catches_duplication(table, validation, validator, frames):
    """The floor is covered above (an empty table); a table past its ceiling fails too."""
    suite = copy.deepcopy(SUITES[table])
    suite["expectations"] = [e for e in suite["expectations"] if e["meta"]["id"] == f"{table}/row_count"]
    ceiling = suite["expectations"][0]["kwargs"]["max_value"]
    frame = frames[table]
    frames[table] = frame.iloc[[i % len(frame) for i in range(ceiling + 1)]].reset_index(drop=True)
    assert failed_ids(validation, validator, suite, frames) == {f"{table}/row_count"}


# -- the verb on the committed tables -----------------------------------------------------------

def test_committed_tables_pass(capsys, tmp_path):
    """If this fails on a data problem, fix the records (the message names each file and line)."""
    from irde.cli import main

    code = main(["validate", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert [line.split(":")[0] for line in out.splitlines()] == sorted(SUITES)
    assert json.loads((tmp_path / "result.json").read_text())["success"] is True


def _rewrite(folder, table, change):
    path = folder / f"{table}.parquet"
    arrow_table = pq.read_table(path)
    rows = arrow_table.to_pylist()
    change(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_table.schema), path)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """A copy of the committed tables with planted defects, validated once by the verb."""
    from irde.cli import main

    copy_dir = tmp_path_factory.mktemp("release") / "parquet"
    shutil.copytree(ROOT / "dataset" / "parquet", copy_dir)
    meetings = pq.read_table(copy_dir / "meetings.parquet").to_pylist()
    facts = {"first": meetings[0], "in_person": next(m for m in meetings[1:] if m["latitude"] is not None),
             "person": pq.read_table(copy_dir / "participants.parquet").to_pylist()[0]}

    def end_before_start_and_swapped_coordinates(rows):
        rows[0]["end_date"] = rows[0]["start_date"] - dt.timedelta(days=3)
        row = next(r for r in rows if r["meeting_id"] == facts["in_person"]["meeting_id"])
        row["latitude"], row["longitude"] = row["longitude"], row["latitude"]

    _rewrite(copy_dir, "meetings", end_before_start_and_swapped_coordinates)
    _rewrite(copy_dir, "participants", lambda rows: rows[0].update(person_id="nobody-at-all"))
    out_dir = copy_dir.parent / "report"
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp, redirect_stdout(stdout), redirect_stderr(stderr):
        mp.setenv("IRDE_TODAY", FIXTURE_TODAY)
        mp.setenv("IRDE_ROOT", str(ROOT))
        code = main(["validate", str(copy_dir), "--out", str(out_dir)])
    return code, stdout.getvalue(), stderr.getvalue(), out_dir, facts


def test_planted_defects_fail_with_precise_messages(planted):
    code, out, err, _, facts = planted
    assert code == 1, out + err
    first, in_person, person = facts["first"], facts["in_person"], facts["person"]
    year = first["meeting_id"][:4]
    assert "meetings: " in out and " expectations FAILED" in out
    assert "  meetings/rule/end_not_before_start: A meeting ends on or after the day it starts." in out
    end = (first["start_date"] - dt.timedelta(days=3)).isoformat()
    assert (f"    - end_date='{end}', start_date='{first['start_date'].isoformat()}' in meetings "
            f"{first['meeting_id']} (dataset/records/meetings/{year}/{first['meeting_id']}.yaml:") in out
    assert f"in meetings {in_person['meeting_id']} (dataset/records/meetings/" in out
    assert "participants/foreign_key/person_id: person_id refers to an existing persons.person_id" in out
    assert f"    - person_id='nobody-at-all' in participants {person['meeting_id']} / nobody-at-all" in out
    assert "participants: 1 of " in out
    assert "persons: all " in out and "expectations passed" in out
    assert "expectations failed" in err


def test_result_json_lists_each_failure(planted):
    *_, out_dir, facts = planted
    data = json.loads((out_dir / "result.json").read_text())
    assert data["success"] is False
    failed = {e["id"]: e for s in data["suites"] for e in s["expectations"] if not e["success"]}
    assert "participants/foreign_key/person_id" in failed
    failure = failed["participants/foreign_key/person_id"]["failures"][0]
    assert failure["values"] == {"person_id": "nobody-at-all"}
    assert failure["record"] == {"meeting_id": facts["person"]["meeting_id"], "person_id": "nobody-at-all"}


class _Scanner(HTMLParser):
    FETCHING_TAGS = {"script", "link", "img", "iframe", "frame", "object", "embed", "audio", "video", "source",
                     "track", "picture", "base", "form", "input", "svg", "image", "use", "portal"}

    def __init__(self):
        super().__init__()
        self.problems, self.styles, self.in_style, self.csp = [], [], False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.FETCHING_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs.items():
            if name in ("src", "srcset", "data", "poster", "action", "formaction", "background", "ping", "style"):
                self.problems.append(f"{tag} {name}={value!r}")
            if name == "href" and not (value or "").startswith("#"):
                self.problems.append(f"{tag} href={value!r}")
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = attrs.get("content")
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            self.problems.append("meta refresh")
        self.in_style = tag == "style"

    def handle_data(self, data):
        if self.in_style:
            self.styles.append(data)

    def handle_endtag(self, tag):
        self.in_style = False


def test_html_report_is_self_contained(planted):
    *_, out_dir, facts = planted
    text = (out_dir / "report.html").read_text()
    scanner = _Scanner()
    scanner.feed(text)
    assert scanner.problems == []
    css = "".join(scanner.styles).lower()
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert scanner.csp and "default-src 'none'" in scanner.csp
    assert "participants/foreign_key/person_id" in text and "nobody-at-all" in text


def test_generating_suites_does_not_import_great_expectations():
    code = ("from pathlib import Path; from irde.schema.model import load_schema; from irde.release.generate import generated_files\n"
            "root = Path.cwd()\n"
            "for render in generated_files(load_schema(root / 'schema'), root).values(): render()")
    assert modules_loaded_by(code, ("great_expectations",)) == []


def test_suites_are_registered_as_generated_files(schema):
    from irde.release.generate import generated_files

    files = generated_files(schema, ROOT)
    assert {ROOT / SUITES_DIR / f"{name}.json" for name in schema.tables} <= set(files)
    assert ROOT / BBOX_FILE in files


def test_suite_columns_exist(schema):
    """Every column an expectation reads is a column of the table, a list's items, or a derived column."""
    for name, suite in SUITES.items():
        table = schema.table(name)
        known = set(table.column_names) | set(suite["meta"]["derived"]) | {f"{c}[]" for c in table.column_names}
        for e in suite["expectations"]:
            assert set(expectation_columns(e)) <= known, e["meta"]["id"]
