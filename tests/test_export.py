"""`irde export`: the same bytes twice; a foreign folder refused; CSV, Stata and SQLite read back to the
same rows and values as the Parquet tables (lists rebuilt from their long form, codes from the
Stata value labels); Datasette serves the SQLite file with its metadata; R reads the CSV files."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from conftest import ROOT, tree_digest
from irde.cli import main
from irde.release.export_frames import POSITION, rebuild_lists, table_files

TABLES = ROOT / "dataset" / "parquet"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "export"
    assert main(["export", "--out", str(out)]) == 0
    return out


def parquet_rows(name: str) -> list[dict]:
    return pq.read_table(TABLES / f"{name}.parquet").to_pylist()


def read_back(schema, name: str, read_file) -> list[dict]:
    """Rows of table `name` from an export: its own file and its lists rebuilt from their long form."""
    table = schema.table(name)
    files = table_files(schema, table, [])
    base = read_file(files[0])
    bridges = {f.list_column: read_file(f) for f in files[1:]}
    return rebuild_lists(table, base, bridges)


def typed(f, rows: list[dict]) -> list[dict]:
    """Values of an export converted to the Parquet tables' Python types."""
    kinds = {c.name: c.type for c in f.columns}
    out = []
    for row in rows:
        converted = {}
        for name, value in row.items():
            if value is None or (isinstance(value, str) and value == "") or pd.isna(value):
                converted[name] = None
            elif kinds[name] == "date":
                converted[name] = value if type(value) is dt.date else pd.Timestamp(value).date()
            elif kinds[name] == "integer":
                converted[name] = int(value)
            elif kinds[name] == "number":
                converted[name] = float(value)
            elif kinds[name] == "boolean":
                converted[name] = value in ("true", 1, True)
            else:
                converted[name] = str(value)
        out.append(converted)
    return out


# -- determinism and the folder ------------------------------------------------------------------

def test_export_writes_every_format_and_the_same_bytes_twice(exported, tmp_path, schema):
    names = {p.relative_to(exported).as_posix() for p in exported.rglob("*") if p.is_file()}
    for table in schema.tables:
        assert f"csv/{table}.csv" in names and f"stata/{table}.dta" in names
    assert {"csv/codebook.csv", "csv/codes.csv", "csv/meetings_countries_present.csv", "irde.sqlite",
            "metadata.yml", "stata/meetings_countries_present.dta"} <= names
    assert main(["export", "--out", str(tmp_path / "again")]) == 0
    first, second = tree_digest(exported), tree_digest(tmp_path / "again")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert main(["export", "--out", str(tmp_path / "again")]) == 0  # its own folder is replaced
    assert tree_digest(tmp_path / "again") == second


def test_export_refuses_a_folder_it_did_not_write(tmp_path, capsys):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    assert main(["export", "--out", str(foreign)]) == 1
    assert "was not written by `irde export`" in capsys.readouterr().err
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left behind


def test_export_names_a_missing_table_and_writes_nothing(tmp_path, capsys):
    data = tmp_path / "parquet"
    shutil.copytree(TABLES, data)
    (data / "dyads.parquet").unlink()
    assert main(["export", "--data", str(data), "--out", str(tmp_path / "out")]) == 1
    assert "no table(s) dyads; run `irde build` first" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# -- round trips ---------------------------------------------------------------------------------

def test_csv_round_trip_gives_the_parquet_rows(exported, schema):
    def read(f):
        with (exported / "csv" / f"{f.name}.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert list(rows[0]) == f.column_names if rows else True
        return typed(f, rows)

    for name in schema.tables:
        assert read_back(schema, name, read) == parquet_rows(name), name


def test_csv_files_are_rfc4180_with_no_stringified_lists(exported):
    meetings = (exported / "csv" / "meetings.csv").read_bytes()
    assert meetings.startswith(b"meeting_id,title,start_date,") and b"\r\n" in meetings
    assert b"countries_present" not in meetings.split(b"\r\n")[0] and b"['" not in meetings
    dyads = (exported / "csv" / "dyads.csv").read_text(encoding="utf-8")
    assert ",042," in dyads  # CAMEO codes keep their leading zero
    with (exported / "csv" / "codes.csv").open(encoding="utf-8", newline="") as fh:
        codes = list(csv.DictReader(fh))
    assert {"vocabulary": "cameo_code", "code": "057", "label": "Sign formal agreement",
            "definition": "Signing of a formal agreement."} in codes
    with (exported / "csv" / "codebook.csv").open(encoding="utf-8", newline="") as fh:
        codebook = {(r["file"], r["field"]): r for r in csv.DictReader(fh)}
    assert codebook[("meetings_countries_present.csv", POSITION)]["type"] == "integer"
    assert codebook[("meetings.csv", "mode")]["vocabulary"] == "meeting_mode"
    assert codebook[("meetings.csv", "host_country")]["vocabulary"] == "country"


def test_stata_round_trip_gives_the_parquet_rows_with_labels(exported, schema):
    def read(f):
        path = exported / "stata" / f"{f.name}.dta"
        frame = pd.read_stata(path, convert_categoricals=True)
        assert list(frame.columns) == f.column_names
        for c in f.columns:
            if c.vocabulary:
                codes = {code.label: code.code for code in schema.vocabularies[c.vocabulary].codes}
                frame[c.name] = frame[c.name].astype(object).map(lambda v: None if pd.isna(v) else codes[v])
        return typed(f, frame.astype(object).to_dict("records"))

    for name in schema.tables:
        assert read_back(schema, name, read) == parquet_rows(name), name


def test_stata_files_carry_variable_and_value_labels(exported, schema):
    with pd.io.stata.StataReader(exported / "stata" / "meetings.dta") as reader:
        variable_labels = reader.variable_labels()
        value_labels = reader.value_labels()
        assert reader.data_label == "Meetings"
    assert variable_labels["mode"] == schema.fields["mode"].description[:80]
    assert len(variable_labels["summary"]) <= 80
    mode_labels = next(labels for labels in value_labels.values() if "In person" in labels.values())
    assert mode_labels == {i: c.label for i, c in enumerate(schema.vocabularies["meeting_mode"].codes, start=1)}


def test_sqlite_round_trip_keys_and_full_text_search(exported, schema):
    connection = sqlite3.connect(exported / "irde.sqlite")
    connection.row_factory = sqlite3.Row

    def read(f):
        rows = [dict(r) for r in connection.execute(f'SELECT * FROM "{f.name}" ORDER BY rowid')]
        return typed(f, rows)

    try:
        for name in schema.tables:
            assert read_back(schema, name, read) == parquet_rows(name), name
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        keys = {(r["table"], r["from"]) for r in connection.execute(
            "SELECT m.name AS src, p.* FROM sqlite_master m, pragma_foreign_key_list(m.name) p") for r in [
                {"table": r["src"], "from": r["from"]}]}
        assert {("participants", "person_id"), ("agreements_signatories", "signatories"),
                ("meetings_countries_present", "meeting_id"), ("dyads", "actor1_person_id")} <= keys
        hits = connection.execute("SELECT m.meeting_id FROM meetings_fts JOIN meetings m ON m.rowid = meetings_fts.rowid "
                                  "WHERE meetings_fts MATCH 'Caspian'").fetchall()
        assert hits
        pk = [r["name"] for r in connection.execute("PRAGMA table_info(participants)") if r["pk"]]
        assert pk == ["meeting_id", "person_id"]
    finally:
        connection.close()


# -- Datasette -----------------------------------------------------------------------------------

def test_datasette_serves_the_file_with_its_metadata(exported):
    datasette_app = pytest.importorskip("datasette.app")
    metadata = yaml.safe_load((exported / "metadata.yml").read_text(encoding="utf-8"))

    async def fetch():
        ds = datasette_app.Datasette([str(exported / "irde.sqlite")], metadata=metadata)
        page = await ds.client.get("/irde/meetings")
        facets = await ds.client.get("/irde/meetings.json?_facet=mode")
        query = await ds.client.get("/irde/calls_per_year.json?_shape=array")
        consult = await ds.client.get("/irde/iran_to_russia_consult_per_month.json?_shape=array")
        search = await ds.client.get("/irde/meetings.json?_search=Caspian&_shape=array")
        return page, facets, query, consult, search

    page, facets, query, consult, search = asyncio.run(fetch())
    assert page.status_code == 200 and "One row per contact between Iranian and Russian officials" in page.text
    mode = facets.json()["facet_results"]["mode"]["results"]
    meetings = pd.read_parquet(TABLES / "meetings.parquet")
    assert {r["value"]: r["count"] for r in mode} == meetings["mode"].astype(str).value_counts().to_dict()
    calls = query.json()
    assert sum(r["calls"] for r in calls) == int(meetings["mode"].isin(["phone", "video"]).sum())
    assert consult.status_code == 200 and sum(r["consult_events"] for r in consult.json()) > 100
    assert search.status_code == 200 and search.json()


# -- R -------------------------------------------------------------------------------------------

def test_r_reads_the_csv_export_with_row_counts_and_factor_levels(exported, schema):
    """Runs scripts/read_csv_export.R (CI installs Debian's r-base-core in .ci/run; elsewhere it is optional)."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("Rscript not installed (apt-get install r-base-core); run scripts/read_csv_export.R by hand")
    result = subprocess.run([rscript, str(ROOT / "scripts" / "read_csv_export.R"), str(exported / "csv")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    rows = {parts[1]: int(parts[2]) for parts in lines if parts[0] == "rows"}
    levels = {(parts[1], parts[2]): parts[3].split(",") for parts in lines if parts[0] == "levels"}
    for name in schema.tables:
        assert rows[f"{name}.csv"] == pq.read_metadata(TABLES / f"{name}.parquet").num_rows, name
    assert rows["meetings_countries_present.csv"] == sum(len(r["countries_present"]) for r in parquet_rows("meetings"))
    assert levels[("meetings.csv", "mode")] == list(schema.vocabularies["meeting_mode"].code_values)
    assert levels[("dyads.csv", "cameo_code")] == list(schema.vocabularies["cameo_code"].code_values)


# -- the README ----------------------------------------------------------------------------------

def test_readme_quick_start_runs_on_the_committed_tables(monkeypatch, capsys):
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"\*\*Quick start\*\*.*?```python\n(.*?)```", text, re.S).group(1)
    assert len(block.strip().splitlines()) <= 3
    monkeypatch.chdir(ROOT)
    exec(compile(block, "README quick start", "exec"), {})
    out = capsys.readouterr().out
    assert "meetings" in out and "2015" in out
