"""Strict schema loading: each bad-input case under fixtures/schema_invalid/ gives exactly its lines.

A case copies `schema/` and either overlays files (a `vocabularies/…`, `tables/…` or other path
inside the case folder) or applies `edits.yaml` (a list of `{file, old, new}` text replacements,
each `old` found exactly once). `expected.txt` holds the exact lines of the `SchemaError`, each
`schema/FILE:LINE: KEY: message`. `irde check` stops at the same lines, on stderr, exit 1.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT
from irde.cli import main
from irde.schema.model import SchemaError, load_schema

CASES_DIR = FIXTURES / "schema_invalid"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())


def apply_schema_case(case: str, target: Path) -> Path:
    schema = target / "schema"
    shutil.copytree(ROOT / "schema", schema)
    case_dir = CASES_DIR / case
    for file in sorted(case_dir.rglob("*")):
        if file.is_file() and file.name not in ("edits.yaml", "expected.txt"):
            (schema / file.relative_to(case_dir)).write_bytes(file.read_bytes())
    edits = case_dir / "edits.yaml"
    for edit in yaml.safe_load(edits.read_text()) if edits.exists() else []:
        path = schema / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert text.count(edit["old"]) == 1, f"{case}: {edit['old']!r} must occur once in {edit['file']}"
        path.write_text(text.replace(edit["old"], edit["new"]), encoding="utf-8")
    return schema


def expected_lines(case: str) -> list[str]:
    return (CASES_DIR / case / "expected.txt").read_text(encoding="utf-8").splitlines()


def test_the_schema_loads_strictly():
    load_schema(ROOT / "schema")


@pytest.mark.parametrize("case", CASES)
def test_bad_schema_gives_exact_messages(case, tmp_path):
    schema = apply_schema_case(case, tmp_path)
    with pytest.raises(SchemaError) as info:
        load_schema(schema)
    assert str(info.value).splitlines() == expected_lines(case)


def test_irde_check_reports_a_bad_schema_in_one_line_per_problem(tmp_path, monkeypatch, capsys):
    apply_schema_case("flow_mapping_unquoted_comma", tmp_path)
    monkeypatch.setenv("IRDE_ROOT", str(tmp_path))
    assert main(["check"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [f"irde: {line}" for line in expected_lines("flow_mapping_unquoted_comma")]
    assert "Traceback" not in captured.err and captured.out == ""
