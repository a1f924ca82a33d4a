"""`irde verify PATH`: is a release (its folder or its zip) intact and true to its schema?

Every problem names the file concerned:
- against `SHA256SUMS`: each listed file is present (`missing`) with its digest (`altered`), and no
  unlisted file is present (`extra`);
- the sizes and digests that datapackage.json and croissant.json give for the tables match the files;
- each table's Arrow schema equals the rendering of the schema (`irde.schema.arrow.arrow_schema`), by
  default the `schema/` shipped inside the release, so that a release verifies without a checkout.
Reading a release — unpacking a zip, finding its tables and its schema — lives here too, for
`irde diff`. Building releases is `irde.release.bundle`; this module only reads.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterator

from irde.release.checksums import SUMS_NAME, parse_sums, release_files, sha256_file
from irde.schema.model import Schema, load_schema


class ReleaseError(Exception):
    """A release cannot be built or read; the message says what to do."""


@contextmanager
def unpacked(path: Path) -> Iterator[Path]:
    """The release folder: `path` itself, or the zip's single top folder extracted to a temporary place."""
    path = Path(path)
    if path.is_dir():
        yield path
        return
    if not zipfile.is_zipfile(path):
        raise ReleaseError(f"{path}: neither a folder nor a zip file")
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory(prefix="irde-release-") as tmp:
        names = archive.namelist()
        for name in names:
            if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
                raise ReleaseError(f"{path}: refusing the unsafe entry {name!r}")
        if not names:
            raise ReleaseError(f"{path}: the zip is empty")
        top = PurePosixPath(names[0]).parts[0]
        outside = [n for n in names if not n.startswith(f"{top}/")]
        if outside:
            raise ReleaseError(f"{path}: a release zip holds exactly one folder; extra: {', '.join(outside)}")
        archive.extractall(tmp)
        yield Path(tmp) / top


def tables_dir(folder: Path) -> Path:
    """The tables of a release (its `parquet/`), or `folder` itself when it is a plain folder of tables."""
    return folder / "parquet" if (folder / "parquet").is_dir() else folder


def release_schema(folder: Path, schema_dir: Path | None = None) -> Schema:
    """`schema_dir` if given, else the schema shipped in the release, else the checkout's."""
    if schema_dir is None and (folder / "schema" / "dataset.yaml").is_file():
        schema_dir = folder / "schema"
    return load_schema(schema_dir)


def _checksum_problems(folder: Path) -> list[str]:
    sums_file = folder / SUMS_NAME
    if not sums_file.is_file():
        return [f"missing: {SUMS_NAME} (cannot check the files)"]
    listed, problems = parse_sums(sums_file.read_text(encoding="utf-8"))
    present = set(release_files(folder))
    for name in sorted(listed):
        if name not in present:
            problems.append(f"missing: {name}")
        elif sha256_file(folder / name) != listed[name]:
            problems.append(f"altered: {name} (its SHA-256 differs from {SUMS_NAME})")
    problems += [f"extra: {name} (not in {SUMS_NAME})" for name in sorted(present - set(listed))]
    return problems


def _descriptor_claims(folder: Path) -> Iterator[tuple[str, str, str, int]]:
    """(descriptor, file, sha256, bytes) for each table file a descriptor describes."""
    package = folder / "datapackage.json"
    if package.is_file():
        for r in json.loads(package.read_text(encoding="utf-8")).get("resources", []):
            yield package.name, r["path"], r["hash"].removeprefix("sha256:"), r["bytes"]
    croissant = folder / "croissant.json"
    if croissant.is_file():
        for f in json.loads(croissant.read_text(encoding="utf-8")).get("distribution", []):
            yield croissant.name, f["contentUrl"], f["sha256"], int(f["contentSize"].split()[0])


def _descriptor_problems(folder: Path) -> list[str]:
    problems = []
    try:
        claims = list(_descriptor_claims(folder))
    except (ValueError, KeyError, AttributeError) as exc:
        return [f"unreadable descriptor: {exc!r}"]
    for descriptor, name, digest, size in claims:
        path = folder / name
        if path.is_file() and (path.stat().st_size != size or sha256_file(path) != digest):
            problems.append(f"{descriptor}: the size or SHA-256 it gives for {name} differs from the file")
    return problems


def _short(value: object, limit: int = 80) -> str:
    text = repr(value.decode() if isinstance(value, bytes) else value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def schema_differences(actual, expected) -> list[str]:
    """What differs between two Arrow schemas, one line per difference."""
    lines = []
    actual_meta, expected_meta = actual.metadata or {}, expected.metadata or {}
    for key in sorted(set(actual_meta) | set(expected_meta)):
        if actual_meta.get(key) != expected_meta.get(key):
            lines.append(f"metadata {key.decode()}: {_short(actual_meta.get(key))}, expected "
                         f"{_short(expected_meta.get(key))}")
    if actual.names != expected.names:
        return lines + [f"columns {actual.names}, expected {expected.names}"]
    for a, e in zip(actual, expected):
        if a.type != e.type:
            lines.append(f"column {a.name}: type {a.type}, expected {e.type}")
        if a.nullable != e.nullable:
            lines.append(f"column {a.name}: nullable {a.nullable}, expected {e.nullable}")
        if (a.metadata or {}) != (e.metadata or {}):
            lines.append(f"column {a.name}: field metadata differs from the schema")
    return lines


def _schema_problems(folder: Path, schema: Schema) -> list[str]:
    import pyarrow.parquet as pq

    from irde.schema.arrow import arrow_schema

    tables = tables_dir(folder)
    problems = []
    for name, table in schema.tables.items():
        path = tables / f"{name}.parquet"
        shown = path.relative_to(folder).as_posix()
        if not path.is_file():
            problems.append(f"missing table: {shown} (the schema defines {name})")
            continue
        try:
            actual = pq.read_schema(path)
        except Exception as exc:  # any Arrow error means the file is not a readable Parquet table
            problems.append(f"unreadable table: {shown}: {exc}")
            continue
        problems += [f"schema: {shown}: {line}" for line in schema_differences(actual, arrow_schema(schema, table))]
    for path in sorted(tables.glob("*.parquet")):
        if path.stem not in schema.tables:
            problems.append(f"extra table: {path.relative_to(folder).as_posix()} (not in the schema)")
    return problems


def verify_folder(folder: Path, schema: Schema) -> list[str]:
    return _checksum_problems(folder) + _descriptor_problems(folder) + _schema_problems(folder, schema)


def verify(path: Path, schema_dir: Path | None = None) -> tuple[list[str], Schema]:
    """Every problem of the release at `path` (folder or zip), and the schema it was checked against."""
    with unpacked(path) as folder:
        schema = release_schema(folder, schema_dir)
        return verify_folder(folder, schema), schema
