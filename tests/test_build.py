"""`irde build`: explicit Arrow schema, derived values, determinism, atomic writes, and the drift test."""

from __future__ import annotations

import hashlib
import json

import pyarrow.parquet as pq
import pytest

from conftest import ROOT, tree_digest
from irde.schema.arrow import arrow_schema
from irde.tables.build import BuildError, build, build_tables, write_tables
from irde.cli import main
from irde.tables.drift import compare_tables
from irde.curation.sources import source_id_for


def digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.parquet"))}


def test_files_follow_the_schema_exactly(schema, valid_records, tmp_path):
    out = tmp_path / "parquet"
    build(schema, valid_records, out)
    assert {p.stem for p in out.glob("*.parquet")} == set(schema.tables)
    for name, table in schema.tables.items():
        written = pq.read_schema(out / f"{name}.parquet")
        assert written.equals(arrow_schema(schema, table), check_metadata=True)
        assert written.metadata[b"irde:version"] == schema.version.encode()
        for field in written:
            assert field.metadata[b"description"]


def test_building_twice_gives_identical_bytes(schema, valid_records, tmp_path):
    build(schema, valid_records, tmp_path / "a")
    build(schema, valid_records, tmp_path / "b")
    assert digests(tmp_path / "a") == digests(tmp_path / "b")


def test_rows_are_sorted_by_primary_key(schema, valid_records):
    tables = build_tables(schema, valid_records)
    for name, table in tables.items():
        keys = [tuple(row[k] for k in schema.table(name).primary_key) for row in table.to_pylist()]
        assert keys == sorted(keys), name


def test_derived_values_on_the_fixture(schema, valid_records):
    tables = {name: t.to_pylist() for name, t in build_tables(schema, valid_records).items()}
    meeting = next(m for m in tables["meetings"] if m["meeting_id"] == "2023-02-08-moscow-example")
    assert meeting["end_date"] == meeting["start_date"]
    assert meeting["highest_level"] == "security_council_secretary"
    assert (meeting["geonames_id"], meeting["location_precision"]) == (524901, "city")
    assert 55 < meeting["latitude"] < 56 and 37 < meeting["longitude"] < 38
    assert meeting["independent_source_count"] == 2
    assert tables["allegations"][0]["status"] == "denied"
    assert str(tables["allegations"][0]["first_claimed_date"]) == "2023-02-05"
    assert tables["agreements"][0]["agreement_status"] == "partially_ratified"
    # the unit of analysis: the sideline shares its summit's encounter; ranges; stages; attendance
    sideline = next(m for m in tables["meetings"] if m["meeting_id"] == "2023-02-08-moscow-example-sideline")
    assert (meeting["encounter_id"], meeting["is_sideline"]) == (meeting["meeting_id"], False)
    assert (sideline["encounter_id"], sideline["is_sideline"]) == (meeting["meeting_id"], True)
    assert meeting["forums"] == ["rsd_afghanistan"] and meeting["initiated_by"] is None
    assert (meeting["date_earliest"], meeting["date_latest"]) == (meeting["start_date"], meeting["end_date"])
    assert {p["attendance"] for p in tables["participants"]} == {"in_person"}
    allegation = tables["allegations"][0]
    assert (allegation["claim_count"], allegation["denial_count"], allegation["accused_ever_denied"]) == (1, 1, True)
    assert [(s["stage"], s["stage_status"]) for s in tables["agreement_stages"]] == [
        ("entry_into_force", "unknown"), ("ratification_iran", "done"), ("ratification_russia", "unknown"),
        ("signature", "done")]
    source_ids = {s["source_id"] for s in tables["sources"]}
    assert source_id_for("https://example.org/a", None) in source_ids
    assert len(source_ids) == len(tables["sources"]) == 3


def test_same_url_in_another_form_is_one_source():
    assert source_id_for("http://www.Example.org/a/#top", None) == source_id_for("https://example.org/a", None)
    assert source_id_for("https://example.org/a?id=1", None) != source_id_for("https://example.org/a?id=2", None)


def test_bad_records_write_nothing(schema, valid_records, tmp_path):
    out = tmp_path / "parquet"
    build(schema, valid_records, out)
    before = tree_digest(tmp_path / "parquet")
    meeting = next(valid_records.rglob("2023-02-08-moscow-example.yaml"))
    meeting.write_text(meeting.read_text().replace("mode: in_person", "mode: carrier_pigeon"))
    with pytest.raises(BuildError) as info:
        build(schema, valid_records, out)
    assert any(p.field == "mode" for p in info.value.problems)
    assert tree_digest(out) == before


def test_interrupted_write_keeps_previous_tables(schema, valid_records, tmp_path, monkeypatch):
    out = tmp_path / "parquet"
    build(schema, valid_records, out)
    before = tree_digest(out)
    tables = build_tables(schema, valid_records)
    calls = {"n": 0}
    real = pq.write_table

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(pq, "write_table", failing)
    with pytest.raises(KeyboardInterrupt):
        write_tables(tables, out)
    assert tree_digest(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["parquet", "records"] or sorted(
        p.name for p in tmp_path.iterdir()) == ["parquet", "records"]


def test_committed_tables_equal_a_fresh_build(schema):
    """Drift test. If it fails, run `irde build` (or `make build`) and commit dataset/parquet/."""
    tables = build_tables(schema, ROOT / "dataset" / "records")
    stale = compare_tables(tables, ROOT / "dataset" / "parquet")
    assert stale == [], "dataset/parquet/ is stale: run `irde build` and commit the result"


def test_build_check_verb_reports_drift(valid_records, tmp_path, monkeypatch, capsys):
    out = tmp_path / "parquet"
    assert main(["build", "--records", str(valid_records), "--out", str(out)]) == 0
    assert main(["build", "--records", str(valid_records), "--out", str(out), "--check"]) == 0
    (out / "persons.parquet").write_bytes(b"not parquet")
    capsys.readouterr()
    assert main(["build", "--records", str(valid_records), "--out", str(out), "--check"]) == 1
    captured = capsys.readouterr()
    assert f"differs: {out / 'persons.parquet'}" in captured.out
    assert "run `irde build`" in captured.err


def test_field_metadata_lists_vocabulary_codes(schema, valid_records, tmp_path):
    build(schema, valid_records, tmp_path / "p")
    field = pq.read_schema(tmp_path / "p" / "meetings.parquet").field("mode")
    assert json.loads(field.metadata[b"codes"]) == list(schema.vocabularies["meeting_mode"].code_values)
