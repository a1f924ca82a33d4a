"""`irde generate`: every committed file (or README block) rendered from the schema and the tables,
with a `--check` mode.

Each generated file is listed once in `generated_files`; `--check` compares without writing and
names the command that regenerates whatever differs (the drift test calls the same function).
`CITATION.cff` and `.zenodo.json` come from `irde.release.citation`. README blocks sit between `<!-- BEGIN generated:NAME -->` and `<!-- END generated:NAME -->`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from irde.schema.model import Schema

REGENERATE = "irde generate"


def generated_files(schema: Schema, root: Path) -> dict[Path, Callable[[], str]]:
    """Path -> function rendering its content."""
    from irde.release.citation import render_citation_cff, render_zenodo
    from irde.schema.codebook import render_codebook
    from irde.validation.suites import suite_files

    tables = root / "dataset" / "parquet"
    files: dict[Path, Callable[[], str]] = {root / "schema" / "codebook.md": lambda: render_codebook(schema)}
    files.update(suite_files(schema, root))
    readme = root / "README.md"
    if readme.exists():
        files[readme] = lambda: render_readme(schema, root, readme.read_text(encoding="utf-8"))
    files[root / "CITATION.cff"] = lambda: render_citation_cff(schema)
    if tables.is_dir():
        files[root / ".zenodo.json"] = lambda: render_zenodo(schema, tables)
    return files


def _blocks(schema: Schema, root: Path) -> dict[str, str]:
    from irde.release.citation import how_to_cite_markdown
    from irde.tables.coverage import coverage_markdown, period_markdown

    tables = root / "dataset" / "parquet"
    return {
        "coverage": coverage_markdown(tables),
        "period": period_markdown(tables, schema.dataset["spatial_coverage"], schema.dataset["date_released"]),
        "citation": how_to_cite_markdown(schema),
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
