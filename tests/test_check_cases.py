"""`irde check` on each bad-input fixture: exit 1, exactly the expected lines, nothing written.

Each folder under fixtures/invalid/ overlays files on a copy of the valid fixture dataset
(`records/…` and `coverage/…`, plus `remove.txt` listing files to delete and `retired_ids.yaml`
placed beside `records/`) and holds `expected.txt`, the exact lines `irde check` must print.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_TODAY, FIXTURES, VALID_RECORDS, tree_digest
from irde.cli import main

CASES = sorted(p.name for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


def apply_case(case: str, tmp_path: Path) -> Path:
    records = tmp_path / "records"
    shutil.copytree(VALID_RECORDS, records)
    shutil.copytree(VALID_RECORDS.parent / "coverage", tmp_path / "coverage")
    case_dir = FIXTURES / "invalid" / case
    if (case_dir / "retired_ids.yaml").exists():
        shutil.copy(case_dir / "retired_ids.yaml", tmp_path / "retired_ids.yaml")
    remove = case_dir / "remove.txt"
    if remove.exists():
        for rel in remove.read_text().split():
            (records / rel).unlink()
    for file in sorted(case_dir.rglob("*")):
        if file.is_file() and file.relative_to(case_dir).parts[0] in ("records", "coverage"):
            target = tmp_path / file.relative_to(case_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.read_bytes())
    return records


def run_check(records: Path, monkeypatch, capsys) -> tuple[int, list[str]]:
    monkeypatch.chdir(records.parent)
    code = main(["check", "--records", "records", "--today", FIXTURE_TODAY])
    return code, capsys.readouterr().out.splitlines()


def test_valid_fixture_passes(tmp_path, monkeypatch, capsys):
    records = tmp_path / "records"
    shutil.copytree(VALID_RECORDS, records)
    shutil.copytree(VALID_RECORDS.parent / "coverage", tmp_path / "coverage")
    assert run_check(records, monkeypatch, capsys) == (0, [])


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gives_exact_messages(case, tmp_path, monkeypatch, capsys):
    records = apply_case(case, tmp_path)
    before = tree_digest(tmp_path)
    code, lines = run_check(records, monkeypatch, capsys)
    expected = (FIXTURES / "invalid" / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert code == 1
    assert lines == expected
    assert tree_digest(tmp_path) == before, "irde check must not write anything"


def test_every_case_has_expected_output():
    for case in CASES:
        expected = FIXTURES / "invalid" / case / "expected.txt"
        assert expected.is_file() and expected.read_text().strip(), f"{case} has no expected.txt"
