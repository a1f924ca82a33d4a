"""No verb destroys data, hangs, or answers hostile input with a traceback (issue 13).

One test per class of bad input, fault and hostile file: the exact line (`irde VERB: what: why`, or
`path:line: field: message` for records), the documented exit code, and proof that nothing was
written or lost. Record-value cases (trailing newlines, non-ASCII digits, surrogates, whitespace-only
text, parent cycles, mixed-script publishers, stray files) are fixtures under tests/fixtures/invalid/.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import FIXTURE_TODAY, ROOT, VALID_RECORDS, tree_digest
from irde.cli import main
from irde.errors import EXIT_PIPE, EXIT_PROBLEMS, EXIT_SYSTEM, EXIT_USAGE, MissingTableError, TableError

TABLES = ROOT / "dataset" / "parquet"


@contextmanager
def deadline(seconds: int):
    """Fail instead of hanging (a FIFO read as a record would block forever)."""
    def expire(signum, frame):
        raise AssertionError(f"still running after {seconds} s: the verb hangs")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run(argv, capsys, cwd: Path | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if cwd is not None:
        monkeypatch.chdir(cwd)
    with deadline(60):
        code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def dataset(tmp_path) -> Path:
    """tmp/records and tmp/coverage: a writable copy of the valid fixture."""
    shutil.copytree(VALID_RECORDS, tmp_path / "records")
    shutil.copytree(VALID_RECORDS.parent / "coverage", tmp_path / "coverage")
    return tmp_path


# -- never destroy ---------------------------------------------------------------------------------

def test_build_refuses_a_folder_holding_a_file_it_did_not_write(dataset, capsys, monkeypatch):
    out = dataset / "out"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"years of work")
    code, _, err = run(["build", "--records", "records", "--out", "out"], capsys, dataset, monkeypatch)
    assert code == EXIT_USAGE
    assert err == ("irde build: out: holds files that `irde build` did not write (no .irde-build marker),"
                   " e.g. 'thesis.docx'; choose a new or empty folder\n")
    assert (out / "thesis.docx").read_bytes() == b"years of work" and len(list(out.iterdir())) == 1


def test_build_into_the_records_or_the_working_folder_deletes_nothing(dataset, capsys, monkeypatch):
    before = tree_digest(dataset)
    for target in ("records", "."):
        code, _, err = run(["build", "--records", "records", "--out", target], capsys, dataset, monkeypatch)
        assert code == EXIT_USAGE and "did not write" in err
    assert tree_digest(dataset) == before


def test_build_refuses_a_foreign_file_beside_its_own_tables(dataset, capsys, monkeypatch):
    assert run(["build", "--records", "records", "--out", "out"], capsys, dataset, monkeypatch)[0] == 0
    assert (dataset / "out" / ".irde-build").is_file()
    (dataset / "out" / "notes.txt").write_text("mine")
    code, _, err = run(["build", "--records", "records", "--out", "out"], capsys, dataset, monkeypatch)
    assert code == EXIT_USAGE
    assert err == "irde build: out: holds 'notes.txt', which `irde build` did not write; move it away or choose another folder\n"
    assert (dataset / "out" / "notes.txt").read_text() == "mine"


def test_a_misspelled_or_empty_records_folder_is_an_error(dataset, capsys, monkeypatch):
    code, out, err = run(["check", "--records", "recrods"], capsys, dataset, monkeypatch)
    assert (code, out, err) == (EXIT_USAGE, "", "irde check: recrods: no such folder of records\n")
    code, _, err = run(["build", "--records", "recrods", "--out", "out"], capsys, dataset, monkeypatch)
    assert (code, err) == (EXIT_USAGE, "irde build: recrods: no such folder of records\n")
    assert not (dataset / "out").exists()
    (dataset / "empty").mkdir()
    code, _, err = run(["check", "--records", "empty"], capsys, dataset, monkeypatch)
    assert code == EXIT_USAGE
    assert err == ("irde check: empty: no record files in this folder (expected meetings/YYYY/*.yaml, persons/*.yaml,"
                   " allegations/*.yaml, agreements/*.yaml)\n")


def test_overlapping_builds_do_not_interleave(dataset, capsys, monkeypatch):
    fd = os.open(dataset, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        code, _, err = run(["build", "--records", "records", "--out", "out"], capsys, dataset, monkeypatch)
    finally:
        os.close(fd)
    assert code == EXIT_USAGE
    assert err.startswith("irde build: ") and err.endswith(": another `irde build` is writing here; wait for it to finish\n")
    assert not (dataset / "out").exists()


def test_leftovers_of_killed_builds_are_cleared_and_old_tables_come_back(dataset, capsys, monkeypatch):
    assert run(["build", "--records", "records", "--out", "out"], capsys, dataset, monkeypatch)[0] == 0
    before = tree_digest(dataset / "out")
    (dataset / "out").rename(dataset / ".out-old-abc")  # killed between the two renames
    (dataset / ".out-new-def").mkdir()  # killed while writing
    from irde.tables.build import recover

    recover(dataset / "out")
    assert tree_digest(dataset / "out") == before
    assert sorted(p.name for p in dataset.iterdir()) == ["coverage", "out", "records"]


def test_format_keeps_comments_and_says_so(dataset, capsys, monkeypatch):
    person = dataset / "records" / "persons" / "person-a.yaml"
    text = person.read_text().replace("country: IRN", "country: IRN  # checked 2024\nsector:   security", 1)
    text = text.replace("sector: security\n", "", 1)
    person.write_text(text)
    before = tree_digest(dataset)
    code, out, err = run(["format", "--records", "records"], capsys, dataset, monkeypatch)
    assert code == EXIT_PROBLEMS and out == ""
    assert err == ("irde format: records/persons/person-a.yaml: line 5 holds a YAML comment, which formatting would"
                   " drop; move it into `note` or delete it\n")
    assert tree_digest(dataset) == before


def test_format_on_a_full_disk_leaves_the_record_whole(dataset, capsys, monkeypatch):
    person = dataset / "records" / "persons" / "person-a.yaml"
    person.write_text(person.read_text().replace("sector: security", "sector:     security"))
    before = tree_digest(dataset)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    code, _, err = run(["format", "--records", "records"], capsys, dataset, monkeypatch)
    assert code == EXIT_SYSTEM
    assert err == "irde format: records/persons/person-a.yaml: no space left on the device\n"
    assert tree_digest(dataset) == before


def test_a_read_only_output_folder_is_one_line(dataset, capsys, monkeypatch):
    import irde.paths as paths

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(dataset / "out"))
    monkeypatch.setattr(paths.tempfile, "mkdtemp", read_only)  # where every verb stages its output folder
    code, _, err = run(["build", "--records", "records", "--out", "out"], capsys, dataset, monkeypatch)
    assert (code, err) == (EXIT_SYSTEM, f"irde build: {dataset / 'out'}: the file system is read-only\n")


# -- special files ---------------------------------------------------------------------------------

def _check_lines(dataset, capsys, monkeypatch) -> tuple[int, list[str]]:
    code, out, _ = run(["check", "--records", "records"], capsys, dataset, monkeypatch)
    return code, out.splitlines()


def test_a_fifo_as_record_does_not_hang(dataset, capsys, monkeypatch):
    os.mkfifo(dataset / "records" / "persons" / "person-c.yaml")
    before = sorted(p.name for p in (dataset / "records" / "persons").iterdir())
    assert _check_lines(dataset, capsys, monkeypatch) == (1, [
        "records/persons/person-c.yaml:1: (file): is not a regular file (a FIFO, device or socket); records are plain files"])
    code, _, err = run(["format", "--records", "records"], capsys, dataset, monkeypatch)
    assert code == 1 and "person-c.yaml: is not a regular file" in err
    code, _, err = run(["build", "--records", "records", "--out", "out"], capsys, dataset, monkeypatch)
    assert code == 1 and not (dataset / "out").exists()
    assert sorted(p.name for p in (dataset / "records" / "persons").iterdir()) == before


def test_links_to_devices_outside_files_and_broken_links_are_not_read(dataset, capsys, monkeypatch):
    persons = dataset / "records" / "persons"
    (persons / "person-c.yaml").symlink_to("/dev/zero")
    outside = dataset.parent / "secret.yaml"
    outside.write_text("person_id: person-d\n")
    (persons / "person-d.yaml").symlink_to(outside)
    (persons / ".#person-a.yaml").symlink_to("root@host.1234:1700000000")  # an editor's lock file
    assert _check_lines(dataset, capsys, monkeypatch) == (1, [
        "records/persons/.#person-a.yaml:1: (file): is a broken symbolic link (an editor's lock file?); remove it",
        "records/persons/person-c.yaml:1: (file): is a symbolic link leading outside the dataset; records are plain files",
        "records/persons/person-d.yaml:1: (file): is a symbolic link leading outside the dataset; records are plain files",
    ])


def test_an_oversized_record_and_an_overlong_list_are_refused(dataset, capsys, monkeypatch):
    persons = dataset / "records" / "persons"
    (persons / "person-c.yaml").write_text("person_id: person-c\nnote: '" + "x" * (1024 * 1024) + "'\n")
    items = ", ".join(["IRN"] * 10_001)
    meeting = next((dataset / "records").rglob("2023-02-08-moscow-example-sideline.yaml"))
    meeting.write_text(meeting.read_text().replace("countries_present: [IRN, RUS]", f"countries_present: [{items}]"))
    code, lines = _check_lines(dataset, capsys, monkeypatch)
    assert code == 1
    size = (persons / "person-c.yaml").stat().st_size
    assert f"records/persons/person-c.yaml:1: (file): is {size} bytes long; a record file holds at most 1048576 bytes" in lines
    assert ("records/meetings/2023/2023-02-08-moscow-example-sideline.yaml:11: (file): 10001 items in one list or"
            " mapping; at most 10000 are allowed") in lines


# -- arguments, checkout, terminal, pipes ------------------------------------------------------------

def test_bad_arguments_are_one_line(dataset, capsys, monkeypatch):
    code, _, err = run(["check", "--records", "records", "--today", "2023-13-01"], capsys, dataset, monkeypatch)
    assert (code, err) == (EXIT_USAGE, "irde check: --today 2023-13-01: not a real date as YYYY-MM-DD\n")
    with pytest.raises(SystemExit) as info:
        main(["check", "--bogus"])
    assert info.value.code == EXIT_USAGE
    assert capsys.readouterr().err == "irde: unrecognized arguments: --bogus (see `irde --help`)\n"


def test_a_bad_irde_root_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("IRDE_ROOT", str(tmp_path / "nowhere"))
    code, _, err = run(["check"], capsys)
    assert code == EXIT_USAGE
    assert err == f"irde check: IRDE_ROOT={tmp_path / 'nowhere'}: not an IRDE checkout (it has no schema/ folder)\n"


def _cli(args, cwd, **env):
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "IRDE_ROOT": str(ROOT),
                   "IRDE_TODAY": FIXTURE_TODAY, **env}
    return subprocess.Popen([sys.executable, "-m", "irde.cli", *args], cwd=cwd, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_closed_pipe_ends_quietly(dataset):
    for case in ("vocabulary", "url_pattern", "unknown_person"):
        for file in (ROOT / "tests" / "fixtures" / "invalid" / case / "records").rglob("*.yaml"):
            target = dataset / "records" / file.relative_to(ROOT / "tests" / "fixtures" / "invalid" / case / "records")
            target.write_bytes(file.read_bytes())
    process = _cli(["check", "--records", "records"], dataset)
    process.stdout.close()  # like `| head -0`: the reader is gone before the first line
    _, err = process.communicate(timeout=60)
    assert process.returncode == EXIT_PIPE and b"Traceback" not in err and b"Exception ignored" not in err


def test_a_terminal_that_cannot_show_persian_gets_escapes(dataset):
    person = dataset / "records" / "persons" / "person-a.yaml"
    person.write_text(person.read_text().replace("country: IRN", "country: ایران"))
    process = _cli(["check", "--records", "records"], dataset, PYTHONIOENCODING="ascii", LC_ALL="C")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1 and b"Traceback" not in err
    assert b"country: '\\u0627\\u06cc\\u0631\\u0627\\u0646' is not an ISO 3166-1 alpha-3 country code" in out


def test_debug_shows_the_traceback(dataset, capsys, monkeypatch):
    monkeypatch.chdir(dataset)
    assert main(["--debug", "check", "--records", "recrods"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "Traceback" in err and err.endswith("irde check: recrods: no such folder of records\n")


# -- releases and tables ------------------------------------------------------------------------------

def make_release(folder: Path) -> Path:
    """A minimal release folder: the checkout's tables and schema, with SHA256SUMS."""
    from irde.release.checksums import SUMS_NAME, render_sums

    shutil.copytree(TABLES, folder / "parquet", ignore=shutil.ignore_patterns(".*"))
    shutil.copytree(ROOT / "schema", folder / "schema")
    (folder / SUMS_NAME).write_text(render_sums(folder), encoding="utf-8")
    return folder


def zip_folder(folder: Path, target: Path, tweak=None) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}")
                info.compress_type = zipfile.ZIP_DEFLATED
                if tweak:
                    tweak(info)
                archive.writestr(info, path.read_bytes())
    return target


def test_a_zip_bomb_is_refused_before_a_byte_is_written(tmp_path, capsys, monkeypatch):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("irde-0.1.0/parquet/meetings.parquet", b"\0" * (16 << 20))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    for verb in (["verify", str(bomb)], ["diff", str(bomb), str(bomb)]):
        code, _, err = run(verb, capsys)
        assert code == EXIT_PROBLEMS
        assert err.endswith(f"{bomb}: refusing 'irde-0.1.0/parquet/meetings.parquet': 16777216 bytes from"
                            f" {zipfile.ZipFile(bomb).infolist()[0].compress_size} compressed (more than 200 times;"
                            " a zip bomb?)\n")
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("damage, message", [
    ("crc", "corrupt zip: cannot be read: Bad CRC-32 for file 'irde-0.1.0/SHA256SUMS'"),
    ("encrypted", "refusing the encrypted entry 'irde-0.1.0/SHA256SUMS'"),
    ("long_name", "refusing the over-long entry name"),
    ("not_zip", "neither a folder nor a readable zip file"),
])
def test_corrupt_zips_are_one_line(tmp_path, capsys, damage, message):
    folder = make_release(tmp_path / "irde-0.1.0")
    for path in list(folder.rglob("*")):
        if path.is_file() and path.name != "SHA256SUMS":
            path.unlink()
    target = tmp_path / "r.zip"
    if damage == "crc":  # stored, so that one flipped byte of content passes inflation and fails the CRC
        zip_folder(folder, target, lambda info: setattr(info, "compress_type", zipfile.ZIP_STORED))
        data = bytearray(target.read_bytes())
        data[data.index((folder / "SHA256SUMS").read_bytes()[:16])] ^= 0x01
        target.write_bytes(bytes(data))
    elif damage == "encrypted":  # set bit 0 of the flags in the local header and the central directory
        zip_folder(folder, target)
        data = bytearray(target.read_bytes())
        data[data.index(b"PK\x03\x04") + 6] |= 0x1
        data[data.index(b"PK\x01\x02") + 8] |= 0x1
        target.write_bytes(bytes(data))
    elif damage == "long_name":
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("irde-0.1.0/" + "x" * 300, b"x")
    else:
        target.write_bytes(b"PK\x03\x04 not really a zip")
    code, _, err = run(["verify", str(target)], capsys)
    assert code == EXIT_PROBLEMS and err.startswith(f"irde verify: {target}") and message in err, err
    assert err.count("\n") == 1


def test_an_alias_bomb_in_a_release_schema_is_refused(tmp_path, capsys):
    folder = make_release(tmp_path / "irde-0.1.0")
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
              for i in range(1, 12)]
    (folder / "schema" / "dataset.yaml").write_text("\n".join(lines) + "\n")
    code, _, err = run(["verify", str(folder)], capsys)
    assert code == EXIT_PROBLEMS  # a schema problem, reported as every schema problem is (issue 12)
    assert err == "irde: schema/dataset.yaml:1: (file): anchors and aliases (&name, *name) are not allowed\n"


def test_unreadable_sums_and_descriptors_are_problems_not_tracebacks(tmp_path, capsys):
    folder = make_release(tmp_path / "irde-0.1.0")
    (folder / "SHA256SUMS").write_bytes(b"\xff\xfe not utf-8\n")
    (folder / "datapackage.json").write_text(json.dumps({"resources": [{"path": "../../etc/passwd", "hash": "x",
                                                                        "bytes": 1}]}))
    code, out, _ = run(["verify", str(folder)], capsys)
    assert code == EXIT_PROBLEMS
    assert out.splitlines() == [
        "SHA256SUMS: not valid UTF-8 (at byte 0); cannot check the files",
        "unreadable descriptor: ValueError: path '../../etc/passwd' is not inside the release",
    ]


def _tamper_mode(path: Path, code: str) -> None:
    table = pq.read_table(path)
    index = table.schema.get_field_index("mode")
    field = table.schema.field(index)
    values = table.column(index).to_pylist()
    values[0] = code
    column = pa.array(values, type=pa.string()).dictionary_encode().cast(field.type)
    pq.write_table(table.set_column(index, field, column), path)


def test_an_out_of_vocabulary_code_rehashed_does_not_verify_and_load_names_the_column(tmp_path, capsys):
    from irde.release.checksums import SUMS_NAME, render_sums
    import irde

    folder = make_release(tmp_path / "irde-0.1.0")
    _tamper_mode(folder / "parquet" / "meetings.parquet", "carrier_pigeon")
    (folder / SUMS_NAME).write_text(render_sums(folder), encoding="utf-8")
    code, out, _ = run(["verify", str(folder)], capsys)
    assert code == EXIT_PROBLEMS
    assert out == "codes: parquet/meetings.parquet: column mode: 'carrier_pigeon' is not a code of the meeting_mode vocabulary\n"
    with pytest.raises(TableError) as info:
        irde.load("meetings", folder / "parquet")
    assert str(info.value) == "meetings.mode: 'carrier_pigeon' is not a code of its vocabulary"
    for verb in (["info", str(folder / "parquet")], ["validate", str(folder / "parquet"), "--out", str(tmp_path / "v")],
                 ["report", "--data", str(folder / "parquet"), "--out", str(tmp_path / "r")]):
        code, _, err = run(verb, capsys)
        assert (code, err) in [
            (EXIT_PROBLEMS, f"irde {verb[0]}: meetings.mode: 'carrier_pigeon' is not a code of its vocabulary\n"),
            (0, "")], (verb, err)
    assert not (tmp_path / "v").exists() and not (tmp_path / "r").exists()


def test_corrupt_tables_are_named_by_every_reader(tmp_path, capsys):
    import irde

    tables = tmp_path / "tables"
    shutil.copytree(TABLES, tables)
    (tables / "meetings.parquet").write_bytes(b"PAR1 this is not parquet PAR1")
    with pytest.raises(TableError, match=r"^meetings \(.*meetings.parquet\): not a readable Parquet table"):
        irde.load("meetings", tables)
    for verb in (["info", str(tables)], ["validate", str(tables), "--out", str(tmp_path / "v")],
                 ["diff", str(TABLES), str(tables)], ["report", "--data", str(tables), "--out", str(tmp_path / "r")]):
        code, _, err = run(verb, capsys)
        assert code == EXIT_PROBLEMS, (verb, err)
        assert err.startswith(f"irde {verb[0]}: ") and "meetings" in err and err.count("\n") == 1, err
    assert not (tmp_path / "v").exists() and not (tmp_path / "r").exists()


def test_the_loader_never_returns_nothing_silently(tmp_path):
    import irde

    with pytest.raises(MissingTableError, match="no such folder of tables"):
        irde.load_all(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(MissingTableError, match="no tables"):
        irde.load_all(tmp_path / "empty")


def test_output_folders_of_validate_report_and_release_are_claimed(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "keep.txt").write_text("keep")
    for verb in (["validate", "--out", str(out)], ["report", "--out", str(out)], ["release", "--out", str(out)]):
        code, _, err = run(verb, capsys)
        assert code == EXIT_USAGE
        assert err == f"irde {verb[0]}: {out}: holds 'keep.txt', which `irde {verb[0]}` did not write; choose a new or empty folder\n"
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_dollar_signs_in_chart_text_are_not_mathtext(tmp_path):
    from irde.report import plotting

    fig = plotting.empty_chart("Talks on $5bn $ loans", "0.1.0", "no $data$ in $x")
    assert plotting.save(fig, "dollars", tmp_path)


def test_a_fifo_among_the_tables_does_not_hang(tmp_path, capsys):
    import irde

    tables = tmp_path / "tables"
    shutil.copytree(TABLES, tables)
    (tables / "meetings.parquet").unlink()
    os.mkfifo(tables / "meetings.parquet")
    with pytest.raises(MissingTableError, match="no table 'meetings'"):
        irde.load("meetings", tables)
    code, out, err = run(["info", str(tables)], capsys)
    assert code == EXIT_USAGE and err.startswith(f"irde info: no table 'meetings' in {tables}: tables: agreement_sources,")
    code, _, err = run(["report", "--data", str(tables), "--out", str(tmp_path / "r")], capsys)
    assert (code, err) == (EXIT_PROBLEMS, f"irde report: {tables}: lacks the table(s) meetings; the report needs every table\n")
