"""Generated files equal a fresh rendering of the schema (drift test)."""

from __future__ import annotations

from conftest import ROOT
from irde.cli import main
from irde.release.generate import generate


def test_generated_files_are_up_to_date(schema):
    """If this fails, run `irde generate` and commit the result."""
    stale = generate(schema, ROOT, check_only=True)
    assert stale == [], f"stale generated files {stale}: run `irde generate`"


def test_codebook_documents_every_field_and_code(schema):
    text = (ROOT / "schema" / "codebook.md").read_text()
    for table in schema.tables.values():
        assert f"### Table `{table.name}`" in text
        for column in table.columns:
            assert f"| `{column.name}` |" in text
    for vocabulary in schema.vocabularies.values():
        section = text.split(f"### Vocabulary `{vocabulary.name}`")[1].split("### ")[0]
        header = [line for line in section.splitlines() if line.startswith("| code |")]
        assert header == ["| code | label | definition |" + "".join(f" {a} |" for a in vocabulary.attributes)]
        for code in vocabulary.codes:
            assert f"| `{code.code}` | {code.label} | {code.definition} |" in section.replace("\\|", "|")


def test_check_mode_names_the_command(tmp_path, monkeypatch, capsys):
    import shutil

    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "schema", copy / "schema")
    (copy / "dataset").mkdir()
    shutil.copytree(ROOT / "dataset" / "parquet", copy / "dataset" / "parquet")
    shutil.copy(ROOT / "README.md", copy / "README.md")
    monkeypatch.setenv("IRDE_ROOT", str(copy))
    (copy / "schema" / "codebook.md").write_text("edited by hand\n")
    assert main(["generate", "--check"]) == 1
    assert "run `irde generate`" in capsys.readouterr().err
    assert main(["generate"]) == 0
    assert main(["generate", "--check"]) == 0
