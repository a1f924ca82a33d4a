"""The notebooks and `irde report`: clean commits, and every notebook executed headless once per session.

The session run goes through the `irde report` verb on a copy of the committed tables in another
folder, with its output in a temporary build folder: it proves that the notebooks run top to bottom
on any copy of the tables, that the executed HTML is offline, and that the report page links
everything it should. The default parameters (the committed tables) are checked separately, cheaply.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from irde.cli import main
from irde.tables.loading import table_names
from irde.analysis.publish import dataset_version
from irde.report.notebooks import INJECTED_TAG, PARAMETERS_TAG, notebook_paths, remote_resources

NOTEBOOKS = notebook_paths(ROOT / "notebooks")
IDS = [p.stem for p in NOTEBOOKS]
FIGURES = ["meetings-per-year", "sources-per-year", "independent-sources", "meetings-per-quarter",
           "head-of-state-contacts", "meetings-by-mode", "network-before-after", "countries-by-forum",
           "allegation-swimlanes", "allegation-status", "allegation-claimants", "cooperation-index",
           "index-sensitivity", "index-before-after"]


def _parameters_cell(nb):
    return next(c for c in nb.cells if PARAMETERS_TAG in c.metadata.get("tags", []))


@pytest.fixture(scope="session")
def report_run(tmp_path_factory):
    """`irde report --data <copy> --out <tmp>`: every notebook executed once, on tables in another folder."""
    base = tmp_path_factory.mktemp("report")
    data = base / "unpacked-release" / "parquet"
    shutil.copytree(ROOT / "dataset" / "parquet", data)
    out = base / "build"
    assert main(["report", "--data", str(data), "--out", str(out)]) == 0
    return data, out


def test_there_are_notebooks():
    assert len(NOTEBOOKS) == 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: run `Clear all outputs`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_states_question_inputs_method_and_ends_with_checks(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    for part in ("**Question:**", "**Inputs:**", "**Method:**"):
        assert part in first.source, f"{path.name}: first cell lacks {part}"
    assert re.search(r"^DATA_DIR = ", _parameters_cell(nb).source, re.MULTILINE)
    assert re.search(r"^OUTPUT_DIR = ", _parameters_cell(nb).source, re.MULTILINE)
    last = nb.cells[-1]
    assert last.cell_type == "code" and last.source.count("assert ") >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_parameters_default_to_the_committed_tables(path, monkeypatch):
    """As in JupyterLab: the kernel starts in notebooks/ with no IRDE_ROOT set."""
    monkeypatch.delenv("IRDE_ROOT", raising=False)
    monkeypatch.chdir(path.parent)
    namespace: dict = {}
    exec(_parameters_cell(nbformat.read(path, as_version=4)).source, namespace)
    assert Path(namespace["DATA_DIR"]) == ROOT / "dataset" / "parquet"
    assert Path(namespace["OUTPUT_DIR"]) == ROOT / "build"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_executes_on_a_copy_of_the_tables(report_run, path):
    data, out = report_run
    executed = nbformat.read(out / "notebooks" / path.name, as_version=4)
    injected = next(c for c in executed.cells if INJECTED_TAG in c.metadata.get("tags", []))
    assert str(data) in injected.source
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert all(c.execution_count for c in executed.cells if c.cell_type == "code")
    page = (out / "notebooks" / f"{path.stem}.html").read_text(encoding="utf-8")
    assert remote_resources(page) == [] and "<script src" not in page
    assert "data:image/png;base64" in page  # the charts are embedded


def test_every_figure_is_written_as_png_and_svg(report_run):
    data, out = report_run
    version = dataset_version(data)
    for name in FIGURES:
        assert (out / "figures" / f"{name}.png").stat().st_size > 5000, name
        svg = (out / "figures" / f"{name}.svg").read_text(encoding="utf-8")
        assert f"version {version}" in svg, name
    assert (out / "figures" / "cooperation-index-small.png").is_file()


def test_derived_monthly_signals_table(report_run):
    _, out = report_run
    table = pq.read_table(out / "derived" / "monthly_signals.parquet")
    assert table.schema.metadata[b"irde:derived"] == b"true"
    assert all(f.metadata[b"description"] for f in table.schema)
    assert str(table.schema.field("month").type) == "date32[day]"
    csv = (out / "derived" / "monthly_signals.csv").read_text().splitlines()
    assert len(csv) == table.num_rows + 1


def test_report_page_is_self_contained_and_links_everything(report_run):
    data, out = report_run
    index = out / "report" / "index.html"
    page = index.read_text(encoding="utf-8")
    assert remote_resources(page) == [] and "<script" not in page and "<link" not in page
    assert f"version <strong>{dataset_version(data)}</strong>" in page
    for name in table_names(data):
        rows = pq.read_metadata(data / f"{name}.parquet").num_rows
        assert f"<code>{name}</code></td><td class=n>{rows}</td>" in page
    links = re.findall(r'href="([^"]+)"', page)
    for path in NOTEBOOKS:
        assert f"../notebooks/{path.stem}.html" in links and f"../notebooks/{path.name}" in links
    assert "codebook.html" in links and (out / "report" / "codebook.html").is_file()
    assert "../figures/cooperation-index.svg" in links
    for link in links:
        assert (index.parent / link).resolve().is_file(), link
    assert "Validation report: not generated yet" in page  # no `irde validate` output in this build folder


def test_the_readme_chart_is_left_alone_for_another_copy(report_run):
    assert not (report_run[1] / "docs").exists()
