"""`irde diff`: one record added, one removed and one changed are reported exactly, field by field,
and an ID that disappears without being retired fails the command."""

from __future__ import annotations

import shutil

import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from irde.schema.arrow import to_arrow
from irde.tables.build import WRITE_OPTIONS
from irde.cli import main

TABLES = ROOT / "dataset" / "parquet"


@pytest.fixture
def edited(tmp_path, schema):
    """A copy of the committed tables with one person added, one removed and one changed in two fields."""
    new = tmp_path / "new"
    shutil.copytree(TABLES, new)
    rows = pq.read_table(new / "persons.parquet").to_pylist()
    removed, changed = rows[0], rows[1]
    before = dict(changed)
    changed["name_en"] = changed["name_en"] + " Jr."
    changed["aliases"] = [*changed["aliases"], "Alias Added"]
    added = dict(rows[2], person_id="zz-added-person", name_en="Added Person")
    table = to_arrow(schema, schema.table("persons"), [*rows[1:], added])
    pq.write_table(table, new / "persons.parquet", **WRITE_OPTIONS)
    return new, removed["person_id"], before, changed


def test_diff_reports_added_removed_and_changed_field_by_field(edited, tmp_path, capsys):
    new, removed, before, after = edited
    empty = tmp_path / "retired_ids.yaml"
    empty.write_text("[]\n")
    assert main(["diff", str(TABLES), str(new), "--retired", str(empty)]) == 1
    captured = capsys.readouterr()
    aliases_before = ", ".join(f'"{a}"' for a in before["aliases"])
    assert captured.out == (
        f"Records, {TABLES} → {new} (`irde diff`):\n"
        "\n"
        "- `persons`: 1 added, 1 removed, 1 changed\n"
        "  - added `zz-added-person`\n"
        f"  - removed `{removed}` — **not listed in retired_ids.yaml**\n"
        f"  - changed `{before['person_id']}`:\n"
        f"    - `name_en`: `\"{before['name_en']}\"` → `\"{after['name_en']}\"`\n"
        f"    - `aliases`: `[{aliases_before}]` → `[{', '.join(filter(None, [aliases_before, chr(34) + 'Alias Added' + chr(34)]))}]`\n"
    )
    assert captured.err == f"irde diff: persons: {removed} disappeared but is not listed in retired_ids.yaml\n"


def test_a_retired_id_may_disappear_but_not_come_back(edited, tmp_path, capsys):
    new, removed, _, _ = edited
    retired = tmp_path / "retired_ids.yaml"
    retired.write_text(f"- table: persons\n  id: {removed}\n  date: 2026-12-01\n  reason: duplicate\n"
                       f"  merged_into: zz-added-person\n")
    assert main(["diff", str(TABLES), str(new), "--retired", str(retired)]) == 0
    out = capsys.readouterr().out
    assert f"  - removed `{removed}` — retired 2026-12-01: duplicate; merged into `zz-added-person`\n" in out
    assert main(["diff", str(new), str(TABLES), "--retired", str(retired)]) == 1
    assert f"persons: {removed} was retired on 2026-12-01 and must not be reused" in capsys.readouterr().err


def test_diff_of_a_release_zip_with_itself_is_empty(tmp_path, monkeypatch, capsys):
    from test_release import make_checkout

    root = make_checkout(tmp_path / "checkout")
    monkeypatch.setenv("IRDE_ROOT", str(root))
    assert main(["release", "--out", str(tmp_path / "out")]) == 0
    archive = next((tmp_path / "out").glob("*.zip"))
    capsys.readouterr()
    assert main(["diff", str(archive), str(archive)]) == 0
    assert capsys.readouterr().out.endswith("- no record was added, removed or changed\n")
