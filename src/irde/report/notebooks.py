"""`irde report`: run every notebook, export it to offline HTML, and write one report page.

Boundary: orchestration only — the analysis lives in `irde.analysis.index`, the charts in
`irde.report.plotting`, and the notebooks in `notebooks/` call them. Here the notebooks are executed with
nbclient (kernel `python3`, default TCP transport, working directory `notebooks/` as in
JupyterLab) after the data and output folders are injected below the cell tagged `parameters`;
each executed notebook is saved as `.ipynb` and as HTML exported by nbconvert with a template that
drops the CDN scripts (require.js, MathJax, mermaid, widgets), so the HTML works offline; and
`report/index.html` is written as one self-contained page (inline CSS, no script, no web font)
linking the notebooks, the figures, the derived tables, the validation report when `irde validate`
has written one, and the codebook, with the dataset version and row counts.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
KERNEL = "python3"
HEADLINE_FIGURE = "cooperation-index"
# nbconvert's lab template without the blocks that load scripts from CDNs.
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""
# A resource fetched from elsewhere: script/link/img/iframe/source addresses, CSS url() and @import.
_REMOTE = re.compile(
    r"""<(?:script|link|img|iframe|source|embed)\b[^>]*\b(?:src|href)\s*=\s*["']?(?!data:|#)(?:[a-z]+:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|@import\s+(?:url\()?\s*["']?(?:https?:)?//""", re.IGNORECASE)
PAGE_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.5; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5rem 0; } td, th { padding: 0.2rem 0.7rem; border-bottom: 1px solid #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } th { text-align: left; }
img.headline { max-width: 100%; border: 1px solid #eee; } .muted { color: #666; } code { font-size: 0.9em; }
"""


@dataclass(frozen=True)
class ExecutedNotebook:
    name: str
    title: str
    question: str
    seconds: float
    ipynb: Path
    html: Path


def notebook_paths(folder: Path) -> list[Path]:
    """The notebooks of `folder`, in name order (their names start with a number)."""
    return sorted(p for p in Path(folder).glob("*.ipynb") if not p.name.startswith("."))


def inject_parameters(nb: nbformat.NotebookNode, parameters: dict[str, str]) -> nbformat.NotebookNode:
    """Insert a cell assigning `parameters` right after the cell tagged `parameters` (as papermill does)."""
    index = next((i for i, cell in enumerate(nb.cells) if PARAMETERS_TAG in cell.metadata.get("tags", [])), None)
    if index is None:
        raise ValueError("notebook has no cell tagged 'parameters'")
    source = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    cell = nbformat.v4.new_code_cell(f"# Parameters injected by `irde report`\n{source}")
    cell.metadata["tags"] = [INJECTED_TAG]
    nb.cells.insert(index + 1, cell)
    return nb


def execute_notebook(path: Path, parameters: dict[str, str], timeout: int = 600) -> tuple[nbformat.NotebookNode, float]:
    """Run a notebook top to bottom in a fresh `python3` kernel; raise `CellExecutionError` on any error."""
    from nbclient import NotebookClient

    nb = inject_parameters(nbformat.read(path, as_version=4), parameters)
    started = time.perf_counter()
    from nbclient.exceptions import CellExecutionError

    try:
        NotebookClient(nb, kernel_name=KERNEL, timeout=timeout,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    except CellExecutionError as exc:
        from irde.errors import InputError

        import re

        plain = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # the kernel's traceback is coloured
        last = [line for line in plain.splitlines() if line.strip()][-1:] or ["a cell failed"]
        raise InputError(f"notebooks/{path.name}", f"failed on these tables: {' '.join(last[0].split())[:200]}") from exc
    return nb, time.perf_counter() - started


def export_html(nb: nbformat.NotebookNode) -> str:
    """The notebook as one offline HTML page (inline CSS and images, no remote scripts)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", template_file="irde_offline.html.j2",
                            extra_loaders=[DictLoader({"irde_offline.html.j2": OFFLINE_TEMPLATE})], embed_images=True)
    body, _ = exporter.from_notebook_node(nb)
    remote = remote_resources(body)
    if remote:
        raise RuntimeError(f"notebook HTML would load remote resources: {remote[:3]}")
    return body


def remote_resources(page: str) -> list[str]:
    """Every place where an HTML page would fetch a script, style, font or image from another host."""
    return [m.group(0) for m in _REMOTE.finditer(page)]


def _first_markdown(nb: nbformat.NotebookNode) -> tuple[str, str]:
    """(title, question) from the notebook's first markdown cell: its heading and its 'Question' line."""
    text = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
    title = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), "")
    question = next((re.sub(r"^\W*question\W*", "", line, flags=re.IGNORECASE).strip()
                     for line in text.splitlines() if "question" in line.lower()), "")
    return title, question


def run_notebooks(notebooks: list[Path], data_dir: Path, out_dir: Path) -> list[ExecutedNotebook]:
    """Execute each notebook on `data_dir`, writing `out_dir/notebooks/<name>.ipynb` and `.html`."""
    folder = out_dir / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    parameters = {"DATA_DIR": str(Path(data_dir).resolve()), "OUTPUT_DIR": str(Path(out_dir).resolve())}
    done = []
    for path in notebooks:
        nb, seconds = execute_notebook(path, parameters)
        ipynb, page = folder / path.name, folder / f"{path.stem}.html"
        nbformat.write(nb, ipynb)
        page.write_text(export_html(nb), encoding="utf-8")
        done.append(ExecutedNotebook(path.stem, *_first_markdown(nb), seconds, ipynb, page))
    return done


def _figure_title(svg: Path) -> str:
    match = re.search(r"<dc:title>(.*?)</dc:title>", svg.read_text(encoding="utf-8"), re.DOTALL)
    return html.unescape(match.group(1)).strip() if match else svg.stem


def render_codebook(codebook_md: Path, target: Path) -> Path:
    """The Markdown codebook as a self-contained HTML page beside the report."""
    import mistune

    body = mistune.create_markdown(plugins=["table"])(codebook_md.read_text(encoding="utf-8"))
    target.write_text(f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Codebook</title>"
                      f"<style>{PAGE_CSS}</style></head><body>{body}</body></html>\n", encoding="utf-8")
    return target


def write_index(out_dir: Path, data_dir: Path, executed: list[ExecutedNotebook], codebook_md: Path | None) -> Path:
    """Write `out_dir/report/index.html` and return its path."""
    from irde.tables.loading import table_names
    from irde.analysis.publish import dataset_version

    import pyarrow.parquet as pq

    report = out_dir / "report"
    report.mkdir(parents=True, exist_ok=True)
    version = dataset_version(data_dir)
    esc = html.escape

    def link(path: Path, text: str) -> str:
        return f'<a href="{esc(Path("..", path.relative_to(out_dir)).as_posix())}">{esc(text)}</a>'

    rows = "".join(f"<tr><td><code>{esc(n)}</code></td><td class=n>{pq.read_metadata(data_dir / f'{n}.parquet').num_rows}"
                   f"</td></tr>" for n in table_names(data_dir))
    notebooks = "".join(
        f"<tr><td>{esc(nb.title or nb.name)}<br><span class=muted>{esc(nb.question)}</span></td>"
        f"<td>{link(nb.html, 'HTML')} · {link(nb.ipynb, 'notebook')}</td><td class=n>{nb.seconds:.1f} s</td></tr>"
        for nb in executed)
    figures_dir = out_dir / "figures"
    figures = "".join(
        f"<li>{esc(_figure_title(svg))} — {link(svg.with_suffix('.png'), 'PNG')} · {link(svg, 'SVG')}</li>"
        for svg in sorted(figures_dir.glob("*.svg")))
    derived = "".join(f"<li>{link(p, p.name)}</li>" for p in sorted((out_dir / "derived").glob("*.*")))
    headline = figures_dir / f"{HEADLINE_FIGURE}-small.png"
    headline_img = (f'<img class=headline alt="{esc(_figure_title(headline.with_name(HEADLINE_FIGURE + ".svg")))}" '
                    f'src="data:image/png;base64,{base64.b64encode(headline.read_bytes()).decode()}">'
                    if headline.is_file() else "")
    validation = out_dir / "validation" / "report.html"
    validation_item = (link(validation, "Validation report") if validation.is_file()
                       else "Validation report: not generated yet (run <code>irde validate</code>).")
    codebook_item = ""
    if codebook_md is not None and codebook_md.is_file():
        rendered = render_codebook(codebook_md, report / "codebook.html")
        codebook_item = f'<a href="{rendered.name}">Codebook</a> (every table, column and code)'
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>IRDE {esc(version)} — analysis report</title><style>{PAGE_CSS}</style></head>
<body>
<h1>IRDE — Iran–Russia Diplomatic Events: analysis report</h1>
<p>Dataset version <strong>{esc(version)}</strong>. Tables read from <code>{esc(str(data_dir))}</code>.
Every chart and number below is computed by the notebooks from these tables.</p>
{headline_img}
<h2>Notebooks</h2>
<table><tr><th>notebook and its question</th><th>executed</th><th class=n>run time</th></tr>{notebooks}</table>
<h2>Figures</h2><ul>{figures}</ul>
<h2>Derived tables</h2><p>Labelled derived; column descriptions are in the Parquet metadata.</p><ul>{derived}</ul>
<h2>Tables</h2><table><tr><th>table</th><th class=n>rows</th></tr>{rows}</table>
<h2>Quality and documentation</h2><ul><li>{validation_item}</li><li>{codebook_item}</li></ul>
</body></html>
"""
    index = report / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def build_report(root: Path, data_dir: Path, out_dir: Path, notebooks_only: bool = False,
                 readme_chart: Path | None = None) -> tuple[list[ExecutedNotebook], Path | None]:
    """Execute the notebooks and (unless `notebooks_only`) write the report page; copy the headline chart."""
    executed = run_notebooks(notebook_paths(root / "notebooks"), data_dir, out_dir)
    if readme_chart is not None:
        readme_chart.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out_dir / "figures" / f"{HEADLINE_FIGURE}-small.png", readme_chart)
    if notebooks_only:
        return executed, None
    return executed, write_index(out_dir, data_dir, executed, root / "schema" / "codebook.md")
