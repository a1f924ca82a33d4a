"""`irde release`: the citable bundle `build/release/irde-<version>/` and its deterministic zip.

The bundle holds the Parquet tables, `datapackage.json` and `croissant.json` (rendered from the
schema), the codebook, the schema itself (so that `irde verify` works without a checkout), the
retired-ID list, `CITATION.cff`, `LICENSE-DATA`, this version's changelog entry, and what the other
verbs leave under `build/` (validation report, executed notebooks, derived monthly signals, the
CSV, Stata and SQLite exports), all
listed with their SHA-256 in `SHA256SUMS`. The zip has sorted entries, fixed timestamps (the
release date) and fixed permissions, so the same inputs give the same bytes. A bundle is verified
(`irde.release.verify`) before the zip is written. This module assembles; it checks nothing external
(`irde.release.check`) and renders no descriptor itself (`irde.release.datapackage`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from irde.release.changelog import entry_for, parse_changelog
from irde.release.checksums import SUMS_NAME, release_files, render_sums
from irde.release.datapackage import croissant, datapackage, table_path
from irde.curation.retired import RETIRED_PATH
from irde.schema.model import Schema
from irde.release.verify import ReleaseError, verify_folder


@dataclass(frozen=True)
class Component:
    """Output of another verb, copied from `build/` to the same relative path in the bundle."""

    what: str
    patterns: tuple[str, ...]  # globs under build/; each must match at least one file
    command: str


COMPONENTS = (
    Component("validation report", ("validation/report.html", "validation/result.json"), "irde validate"),
    Component("executed notebooks", ("notebooks/*.html",), "irde report"),
    Component("derived monthly signal table", ("derived/monthly_signals.parquet",), "irde report"),
    Component("exports (CSV, Stata, SQLite, Datasette metadata)",
              ("export/csv/*.csv", "export/stata/*.dta", "export/irde.sqlite", "export/metadata.yml"), "irde export"),
)
_SCHEMA_FILES = ("dataset.yaml", "fields.yaml", "records.yaml", "tables/*.yaml", "vocabularies/*.yaml")
_CHECKOUT_FILES = {"CITATION.cff": "CITATION.cff", "LICENSE-DATA": "LICENSE-DATA",
                   "codebook.md": "schema/codebook.md", "retired_ids.yaml": RETIRED_PATH.as_posix()}


def release_name(schema: Schema) -> str:
    return f"{schema.dataset['name']}-{schema.version}"


def component_files(build_dir: Path) -> tuple[dict[str, list[Path]], list[Component]]:
    """The files found under `build_dir` for each component present (by its `what`), and the components missing."""
    found: dict[str, list[Path]] = {}
    missing = []
    for component in COMPONENTS:
        matches = [sorted(build_dir.glob(pattern)) for pattern in component.patterns]
        if all(matches):
            found[component.what] = [p for group in matches for p in group]
        else:
            missing.append(component)
    return found, missing


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def assemble(schema: Schema, root: Path, folder: Path, build_dir: Path, allow_missing: bool = False) -> list[str]:
    """Write the bundle into `folder` (replacing it); return the missing components it was allowed to skip."""
    entries, _ = parse_changelog(root / "CHANGELOG.md")  # its shape is release-check's concern
    entry = entry_for(entries, schema.version)
    if entry is None:
        raise ReleaseError(f"CHANGELOG.md has no entry '## {schema.version} — YYYY-MM-DD' for the version in "
                           "schema/dataset.yaml; add it (with Schema and Records sections) first")
    found, missing = component_files(build_dir)
    if missing and not allow_missing:
        lines = [f"{c.what} ({', '.join(os.path.relpath(build_dir / p) for p in c.patterns)}): run `{c.command}`"
                 for c in missing]
        raise ReleaseError("missing release components; produce them first, or pass --allow-missing:\n  "
                           + "\n  ".join(lines))
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    tables = root / "dataset" / "parquet"
    for name in schema.tables:
        _copy(tables / f"{name}.parquet", folder / table_path(name))
    for target, source in _CHECKOUT_FILES.items():
        _copy(root / source, folder / target)
    for pattern in _SCHEMA_FILES:
        for path in sorted(schema.root.glob(pattern)):
            _copy(path, folder / "schema" / path.relative_to(schema.root))
    for files in found.values():
        for path in files:
            _copy(path, folder / path.relative_to(build_dir))
    (folder / "CHANGELOG.md").write_text(entry.text, encoding="utf-8")
    _write_json(folder / "datapackage.json", datapackage(schema, folder))
    _write_json(folder / "croissant.json", croissant(schema, folder))
    (folder / SUMS_NAME).write_text(render_sums(folder), encoding="utf-8")
    return [c.what for c in missing]


def write_zip(folder: Path, target: Path, date: dt.date) -> None:
    """Zip `folder` as `<folder name>/...`: sorted entries, one fixed timestamp, fixed permissions."""
    stamp = (date.year, date.month, date.day, 0, 0, 0)
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name in sorted([*release_files(folder), SUMS_NAME]):
            info = zipfile.ZipInfo(f"{folder.name}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the building machine, so that the permissions below apply
            info.external_attr = 0o644 << 16
            archive.writestr(info, (folder / name).read_bytes(), compresslevel=9)
    partial.replace(target)


def build_release(schema: Schema, root: Path, out_dir: Path, allow_missing: bool = False) -> tuple[Path, Path, list[str]]:
    """Assemble, verify and zip the release; return its folder, its zip and the components skipped."""
    folder = out_dir / release_name(schema)
    skipped = assemble(schema, root, folder, root / "build", allow_missing)
    problems = verify_folder(folder, schema)
    if problems:
        raise ReleaseError("the assembled release does not verify:\n  " + "\n  ".join(problems))
    archive = out_dir / f"{folder.name}.zip"
    write_zip(folder, archive, dt.date.fromisoformat(str(schema.dataset["date_released"])))
    return folder, archive, skipped
