"""`irde generate`: every committed file that is rendered from the schema, with a `--check` mode.

Each generated file is listed once in `generated_files`; `--check` compares without writing and
names the command that regenerates whatever differs (the drift test calls the same function).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from irde.schema import Schema

REGENERATE = "irde generate"


def generated_files(schema: Schema, root: Path) -> dict[Path, Callable[[], str]]:
    """Path -> function rendering its content."""
    from irde.codebook import render_codebook

    files: dict[Path, Callable[[], str]] = {root / "schema" / "codebook.md": lambda: render_codebook(schema)}
    return files


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
