"""`irde release` and `irde verify`: the bundle, its deterministic zip, tampering named file by file,
the descriptors accepted by frictionless and mlcroissant, and the release metadata checks."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from irde.release.changelog import parse_changelog
from irde.release.checksums import render_sums
from irde.cli import main
from irde.release.bundle import COMPONENTS
from irde.release.check import metadata_problems
from irde.release.export import export
from irde.curation.retired import load_retired
from irde.schema.model import load_schema

STAND_INS = {"validation/report.html": "<html>validation report stand-in</html>\n",
             "validation/result.json": '{"success": true}\n',
             "notebooks/overview.html": "<html>notebook stand-in</html>\n"}


def make_checkout(target: Path) -> Path:
    """The parts of a checkout a release reads, with small stand-ins for the other verbs' outputs."""
    shutil.copytree(ROOT / "schema", target / "schema")
    shutil.copytree(ROOT / "dataset" / "parquet", target / "dataset" / "parquet")
    shutil.copy(ROOT / "dataset" / "retired_ids.yaml", target / "dataset" / "retired_ids.yaml")
    for name in ("CITATION.cff", ".zenodo.json", "LICENSE-DATA", "CHANGELOG.md"):
        shutil.copy(ROOT / name, target / name)
    for name, text in STAND_INS.items():
        (target / "build" / name).parent.mkdir(parents=True, exist_ok=True)
        (target / "build" / name).write_text(text)
    (target / "build" / "derived").mkdir()
    pq.write_table(pa.table({"month": ["2024-01"], "meetings": [3]}), target / "build" / "derived" / "monthly_signals.parquet")
    export(load_schema(target / "schema"), target / "dataset" / "parquet", target / "build" / "export")
    return target


@pytest.fixture
def checkout(tmp_path, monkeypatch) -> Path:
    root = make_checkout(tmp_path / "checkout")
    monkeypatch.setenv("IRDE_ROOT", str(root))
    return root


@pytest.fixture
def release(checkout, schema) -> Path:
    assert main(["release", "--out", str(checkout / "out")]) == 0
    return checkout / "out" / f"irde-{schema.version}"


def test_release_bundle_verifies_and_zip_is_deterministic(checkout, release, schema, capsys):
    names = (release / "SHA256SUMS").read_text().splitlines()
    listed = [line.split("  ", 1)[1] for line in names]
    assert listed == sorted(listed)
    for expected in ("CHANGELOG.md", "CITATION.cff", "LICENSE-DATA", "codebook.md", "croissant.json",
                     "datapackage.json", "retired_ids.yaml", "schema/dataset.yaml", "schema/tables/meetings.yaml",
                     "derived/monthly_signals.parquet", "notebooks/overview.html", "validation/report.html",
                     "export/irde.sqlite", "export/metadata.yml", "export/csv/codebook.csv", "export/csv/codes.csv",
                     "export/csv/meetings_countries_present.csv", *(f"parquet/{t}.parquet" for t in schema.tables),
                     *(f"export/csv/{t}.csv" for t in schema.tables), *(f"export/stata/{t}.dta" for t in schema.tables)):
        assert expected in listed, expected
    assert (release / "CHANGELOG.md").read_text().startswith(f"## {schema.version} — ")
    assert "### Schema" in (release / "CHANGELOG.md").read_text()
    archive = release.parent / f"{release.name}.zip"
    assert main(["verify", str(release)]) == 0
    assert main(["verify", str(archive)]) == 0
    assert main(["release", "--out", str(checkout / "again")]) == 0
    assert (checkout / "again" / archive.name).read_bytes() == archive.read_bytes()
    with zipfile.ZipFile(archive) as z:
        assert z.namelist() == sorted(z.namelist())
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 29, 0, 0, 0)}
        assert all(n.startswith(f"irde-{schema.version}/") for n in z.namelist())


def test_release_names_each_missing_component_and_its_command(checkout, schema, capsys):
    shutil.rmtree(checkout / "build" / "notebooks")
    (checkout / "build" / "derived" / "monthly_signals.parquet").unlink()
    assert main(["release", "--out", str(checkout / "out")]) == 1
    err = capsys.readouterr().err
    assert "executed notebooks" in err and "derived monthly signal table" in err and "run `irde report`" in err
    assert "validation report" not in err
    assert not (checkout / "out").exists()
    assert main(["release", "--out", str(checkout / "out"), "--allow-missing"]) == 0
    assert "left out (--allow-missing): executed notebooks" in capsys.readouterr().err
    folder = checkout / "out" / f"irde-{schema.version}"
    assert not (folder / "notebooks").exists() and (folder / "validation" / "report.html").is_file()
    assert {c.command for c in COMPONENTS} == {"irde validate", "irde report", "irde export"}


def test_verify_names_every_missing_extra_and_altered_file(release, capsys):
    tampered = release.parent / "tampered"
    shutil.copytree(release, tampered)
    with (tampered / "parquet" / "persons.parquet").open("r+b") as fh:
        fh.seek(100)
        fh.write(b"\x00\x01")
    (tampered / "notes.txt").write_text("added after the release\n")
    (tampered / "LICENSE-DATA").unlink()
    capsys.readouterr()
    assert main(["verify", str(tampered)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "missing: LICENSE-DATA" in out
    assert "altered: parquet/persons.parquet (its SHA-256 differs from SHA256SUMS)" in out
    assert "extra: notes.txt (not in SHA256SUMS)" in out
    assert all("persons.parquet" in line or "LICENSE-DATA" in line or "notes.txt" in line for line in out)


def test_verify_names_an_altered_file_inside_the_zip(release, capsys):
    archive = release.parent / f"{release.name}.zip"
    altered = release.parent / "altered.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(altered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data.replace(b"IRDE curators", b"someone else") if info.filename.endswith(".cff") else data)
    capsys.readouterr()
    assert main(["verify", str(altered)]) == 1
    assert capsys.readouterr().out.splitlines() == ["altered: CITATION.cff (its SHA-256 differs from SHA256SUMS)"]
    with zipfile.ZipFile(altered, "a") as target:
        target.writestr("stray.txt", "beside the release folder\n")
    assert main(["verify", str(altered)]) == 1
    assert capsys.readouterr().err.endswith("a release zip holds exactly one folder; extra: stray.txt\n")


def test_verify_checks_each_table_against_the_schema(release, capsys):
    swapped = release.parent / "swapped"
    shutil.copytree(release, swapped)
    shutil.copy(swapped / "parquet" / "meetings.parquet", swapped / "parquet" / "persons.parquet")
    (swapped / "SHA256SUMS").write_text(render_sums(swapped))  # a consistent-looking forgery
    capsys.readouterr()
    assert main(["verify", str(swapped)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "schema: parquet/persons.parquet: metadata irde:table: 'meetings', expected 'persons'" in out
    assert any(line.startswith("schema: parquet/persons.parquet: columns ['meeting_id'") for line in out)
    assert "datapackage.json: the size or SHA-256 it gives for parquet/persons.parquet differs from the file" in out


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_descriptors_are_accepted_by_frictionless_and_mlcroissant(release, schema):
    from frictionless import Package
    import mlcroissant as mlc

    package = json.loads((release / "datapackage.json").read_text())
    assert Package.validate_descriptor(package).valid
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == set(schema.tables)
    meetings = resources["meetings"]
    assert meetings["bytes"] == (release / "parquet" / "meetings.parquet").stat().st_size
    assert meetings["hash"].startswith("sha256:") and len(meetings["hash"]) == 7 + 64
    assert [f["name"] for f in meetings["schema"]["fields"]] == list(schema.table("meetings").column_names)
    signatories = [fk["fields"] for fk in resources["agreements"]["schema"]["foreignKeys"]]
    assert signatories == [["meeting_id"]]  # the array-valued signatories → persons key has no Frictionless form
    dataset = mlc.Dataset(jsonld=release / "croissant.json")
    assert dataset.metadata.version == schema.version
    assert not dataset.metadata.ctx.issues.errors and not dataset.metadata.ctx.issues.warnings
    vocabularies = sorted({c.definition.vocabulary or c.definition.item_vocabulary for t in schema.tables.values()
                           for c in t.columns} - {None})
    assert sorted(r.name for r in dataset.metadata.record_sets) == sorted(
        [*schema.tables, *(f"vocabulary_{v}" for v in vocabularies)])


def test_descriptors_carry_labels_definitions_and_coverage(release, schema):
    package = json.loads((release / "datapackage.json").read_text())
    fields = {f["name"]: f for f in next(r for r in package["resources"] if r["name"] == "allegations")["schema"]["fields"]}
    status = schema.vocabularies["allegation_status"]
    assert fields["status"]["categories"] == [{"value": c.code, "label": c.label} for c in status.codes]
    assert fields["status"]["x-vocabulary"] == "allegation_status"
    topics = next(r for r in package["resources"] if r["name"] == "meetings")["schema"]["fields"]
    assert {"value": "trade_economy", "label": "Trade and economy"} in \
        next(f for f in topics if f["name"] == "topics")["arrayItem"]["categories"]
    from irde.tables.coverage import event_spans

    first, last = (d.isoformat() for d in event_spans(release / "parquet")["all"])
    assert package["temporalCoverage"] == {"start": first, "end": last}
    assert package["created"] == "2026-11-29T00:00:00Z" and "homepage" not in package and "id" not in package
    croissant = json.loads((release / "croissant.json").read_text())
    enumeration = next(r for r in croissant["recordSet"] if r["@id"] == "vocabulary_allegation_status")
    assert enumeration["dataType"] == "sc:Enumeration"
    alleged = next(d for d in enumeration["data"] if d["vocabulary_allegation_status/code"] == "alleged")
    assert alleged["vocabulary_allegation_status/definition"] == "Claimed, with no denial, admission or corroboration recorded."
    status_field = next(f for r in croissant["recordSet"] if r["@id"] == "allegations" for f in r["field"]
                        if f["name"] == "status")
    assert status_field["references"] == {"field": {"@id": "vocabulary_allegation_status/code"}}
    assert croissant["temporalCoverage"] == f"{first}/{last}" and "url" not in croissant
    assert croissant["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert croissant["spatialCoverage"].startswith("Iran and Russia")
    meta = pq.read_schema(release / "parquet" / "allegations.parquet").field("status").metadata
    assert meta[b"vocabulary"] == b"allegation_status"


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_frictionless_and_mlcroissant_commands_accept_the_release(release):
    from irde.release.check import _run, external_commands

    commands = external_commands(release, None)
    for name in ("frictionless validate datapackage.json", "mlcroissant validate croissant.json"):
        assert isinstance(commands[name], list), commands[name]
        assert _run(commands[name], release) == [], name


def test_release_metadata_agrees_in_the_checkout(schema):
    assert metadata_problems(schema, ROOT) == []
    entries, problems = parse_changelog(ROOT / "CHANGELOG.md")
    assert problems == [] and entries[0].version == schema.version
    assert load_retired(schema, ROOT / "dataset" / "retired_ids.yaml") == ([], [])


def test_release_metadata_disagreement_is_named(checkout):
    schema = load_schema(checkout / "schema")
    cff = checkout / "CITATION.cff"
    cff.write_text(cff.read_text().replace(f"version: {schema.version}", "version: 9.9.9"))
    changelog = checkout / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("### Records", "### Data"))
    problems = metadata_problems(schema, checkout)
    assert problems[0].startswith("CITATION.cff: version is '9.9.9'; schema/dataset.yaml says '0.1.0'")
    assert problems[1].endswith(": 0.1.0 has sections ['Schema', 'Data']; expected ['Schema', 'Records']")


def test_changelog_shape_problems(tmp_path):
    path = tmp_path / "CHANGELOG.md"
    path.write_text("# Changelog\n\n## 0.1.0 — 2026-11-29\n\n### Schema\n\n### Records\n\n"
                    "## 0.2.0 — 2026-12-01\n\n### Records\n\n### Schema\n\n## v3 - soon\n")
    _, problems = parse_changelog(path)
    assert problems == [
        f"{path}:9: 0.2.0 has sections ['Records', 'Schema']; expected ['Schema', 'Records']",
        f"{path}:15: a release heading is '## X.Y.Z — YYYY-MM-DD', not '## v3 - soon'",
        f"{path}: entries must go from newest to oldest: 0.1.0 is listed above 0.2.0",
    ]


def test_retired_entries_are_checked_with_their_lines(tmp_path, schema):
    path = tmp_path / "retired_ids.yaml"
    path.write_text("- table: meetings\n  id: 2019-06-13-bishkek-putin-rouhani\n  date: 2026-12-01\n"
                    "  reason: duplicate\n  merged_into: 2019-06-14-bishkek-putin-rouhani\n"
                    "- table: meeting\n  id: x\n  date: 2026-13-01\n  colour: red\n"
                    "- table: persons\n  id: Bad Id\n  date: 2026-12-01\n  reason: r\n"
                    "- table: meetings\n  id: 2019-06-13-bishkek-putin-rouhani\n  date: 2026-12-01\n  reason: again\n")
    entries, problems = load_retired(schema, path)
    assert [(e.table, e.id, e.merged_into) for e in entries] == [
        ("meetings", "2019-06-13-bishkek-putin-rouhani", "2019-06-14-bishkek-putin-rouhani")]
    assert problems == [
        f"{path}:6: reason: required",
        f"{path}:6: table: 'meeting' is not one of ['agreements', 'allegation_statements', 'allegations', 'meetings', 'persons']",
        f"{path}:8: date: '2026-13-01' is not YYYY-MM-DD",
        f"{path}:9: colour: unknown key",
        f"{path}:11: id: 'Bad Id' is not a person_id (^[a-z][a-z0-9]*(-[a-z0-9]+)*$)",
        f"{path}:14: id: '2019-06-13-bishkek-putin-rouhani' is already retired at line 1",
    ]


def test_citation_files_come_from_the_dataset_metadata(checkout):
    """The repository URL and the DOI are left out while empty, and flow everywhere once set."""
    import yaml

    from irde.release.citation import bibtex, citation_text, how_to_cite_markdown, render_citation_cff, render_zenodo

    schema = load_schema(checkout / "schema")
    cff = yaml.safe_load(render_citation_cff(schema))
    assert (cff["version"], cff["date-released"], cff["license"]) == (schema.version, "2026-11-29", "CC-BY-4.0")
    assert "doi" not in cff and "repository-code" not in cff and "url" not in cff
    assert bibtex(schema).startswith("@misc{irde_0_1_0,") and "YourReferenceHere" not in bibtex(schema)
    zenodo = json.loads(render_zenodo(schema, checkout / "dataset" / "parquet"))
    assert zenodo["version"] == schema.version and zenodo["license"] == "cc-by-4.0"
    from irde.tables.coverage import event_spans

    first, last = (d.isoformat() for d in event_spans(checkout / "dataset" / "parquet")["all"])
    assert f"{first} to {last}" in zenodo["notes"] and "related_identifiers" not in zenodo
    dataset = checkout / "schema" / "dataset.yaml"
    dataset.write_text(dataset.read_text().replace('doi: ""', "doi: 10.5281/zenodo.123")
                       .replace('repository: ""', "repository: https://example.org/irde"))
    schema = load_schema(checkout / "schema")
    cff = yaml.safe_load(render_citation_cff(schema))
    assert cff["doi"] == "10.5281/zenodo.123" and cff["repository-code"] == "https://example.org/irde"
    assert citation_text(schema).endswith(" https://doi.org/10.5281/zenodo.123")
    assert "doi = {10.5281/zenodo.123}" in bibtex(schema) and "10.5281/zenodo.123" in how_to_cite_markdown(schema)
    assert json.loads(render_zenodo(schema, checkout / "dataset" / "parquet"))["related_identifiers"] == [
        {"identifier": "https://example.org/irde", "relation": "isSupplementedBy", "scheme": "url"}]


def test_release_refuses_stale_tables(checkout, capsys):
    shutil.copytree(ROOT / "dataset" / "records", checkout / "dataset" / "records")
    (checkout / "dataset" / "parquet" / "persons.parquet").unlink()
    assert main(["release", "--out", str(checkout / "out")]) == 1
    captured = capsys.readouterr()
    assert f"missing: {checkout / 'dataset' / 'parquet' / 'persons.parquet'}" in captured.out
    assert "run `irde build` and `irde generate` first" in captured.err
    assert not (checkout / "out").exists()
