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


def test_temporal_coverage_is_computed_from_the_tables(tmp_path):
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    from irde.tables.coverage import event_spans, period_markdown

    d = dt.date
    pq.write_table(pa.table({"start_date": [d(2015, 4, 13), d(2020, 1, 2)], "end_date": [d(2015, 4, 14), d(2020, 1, 3)]}),
                   tmp_path / "meetings.parquet")
    pq.write_table(pa.table({"signed_date": pa.array([d(2016, 8, 8), None], pa.date32())}), tmp_path / "agreements.parquet")
    pq.write_table(pa.table({"statement_date": [d(2021, 3, 13)]}), tmp_path / "allegation_statements.parquet")
    spans = event_spans(tmp_path)
    assert spans["meetings"] == (d(2015, 4, 13), d(2020, 1, 3))
    assert spans["all"] == (d(2015, 4, 13), d(2021, 3, 13))
    assert period_markdown(tmp_path, "Iran and Russia.", d(2026, 11, 29)) == (
        "The tables cover events from 13 April 2015 to 13 March 2021: meetings from 13 April 2015 to 3 January 2020, "
        "agreement signings on 8 August 2016 and statements about allegations on 13 March 2021. Places: Iran and Russia. This release is dated 29 November 2026.")


def test_readme_states_the_coverage_of_the_committed_tables(schema):
    from irde.tables.coverage import event_spans, long_date

    readme = (ROOT / "README.md").read_text()
    period = readme.split("<!-- BEGIN generated:period -->")[1].split("<!-- END generated:period -->")[0]
    first, last = event_spans(ROOT / "dataset" / "parquet")["meetings"]
    assert f"meetings from {long_date(first)} to {long_date(last)}" in period
    assert "from January 2015" not in readme  # the typed claim this block replaced


def test_readme_links_the_corrections_route():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Report an error")[1].split("\n## ")[0]
    assert "[CONTRIBUTING.md](CONTRIBUTING.md)" in section
    guide = (ROOT / "CONTRIBUTING.md").read_text()
    for needle in ("record ID", "source URL", "irde check", "CHANGELOG.md", "irde diff", "retired_ids.yaml"):
        assert needle in guide, needle
