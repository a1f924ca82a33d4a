"""`irde generate`: every committed file (or README block) rendered from the schema and the tables,
with a `--check` mode.

Each generated file is listed once in `generated_files`; `--check` compares without writing and
names the command that regenerates whatever differs (the drift test calls the same function).
README blocks sit between `<!-- BEGIN generated:NAME -->` and `<!-- END generated:NAME -->`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Callable

from irde.schema.model import Schema

REGENERATE = "irde generate"


def generated_files(schema: Schema, root: Path) -> dict[Path, Callable[[], str]]:
    """Path -> function rendering its content."""
    from irde.schema.codebook import render_codebook
    from irde.validation.suites import suite_files

    files: dict[Path, Callable[[], str]] = {root / "schema" / "codebook.md": lambda: render_codebook(schema)}
    files.update(suite_files(schema, root))
    readme = root / "README.md"
    if readme.exists():
        files[readme] = lambda: render_readme(schema, root, readme.read_text(encoding="utf-8"))
    cff = root / "CITATION.cff"
    if cff.exists():
        files[cff] = lambda: render_citation_cff(schema, cff.read_text(encoding="utf-8"))
    return files


def render_citation_cff(schema: Schema, text: str) -> str:
    """CITATION.cff with `version` and `date-released` taken from schema/dataset.yaml; the rest is kept."""
    text = re.sub(r"(?m)^version: .*$", lambda _: f"version: {schema.version}", text)
    return re.sub(r"(?m)^date-released: .*$", lambda _: f'date-released: "{schema.dataset["date_released"]}"', text)


def citation_text(schema: Schema) -> str:
    """The recommended citation, from schema/dataset.yaml (also shown in the README)."""
    year = dt.date.today().year if "date_released" not in schema.dataset else schema.dataset["date_released"].year
    template = " ".join(str(schema.dataset["citation"]).split())
    return template.format(version=schema.version, year=year)


def _blocks(schema: Schema, root: Path) -> dict[str, str]:
    from irde.tables.coverage import coverage_markdown

    return {
        "coverage": coverage_markdown(root / "dataset" / "parquet"),
        "citation": "> " + citation_text(schema),
    }


def render_readme(schema: Schema, root: Path, text: str) -> str:
    for name, content in _blocks(schema, root).items():
        pattern = re.compile(rf"(<!-- BEGIN generated:{name} -->\n).*?(<!-- END generated:{name} -->)", re.S)
        text = pattern.sub(lambda m: m.group(1) + content.rstrip() + "\n" + m.group(2), text)
    return text


def generate(schema: Schema, root: Path, check_only: bool = False) -> list[Path]:
    """Write (or with check_only, only compare) every generated file; return those that differed."""
    stale = []
    for path, render in generated_files(schema, root).items():
        content = render()
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != content:
            stale.append(path)
            if not check_only:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")
    return stale
