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
import os
import stat
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterator

from irde.errors import InputError, reading
from irde.release.checksums import SUMS_NAME, parse_sums, release_files, sha256_file
from irde.schema.guarded import UnsafeFile, read_regular
from irde.schema.model import Schema, load_schema

# Bounds checked on a zip's directory before a byte is written: a release is a few megabytes.
MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 1 << 30
MAX_RATIO = 200  # uncompressed / compressed size of one entry larger than a mebibyte
MAX_NAME_BYTES = 1024
MAX_ROWS = 10_000_000  # rows in one table of a release, checked from its footer before reading it


class ReleaseError(InputError):
    """A release cannot be built or read; the message says what to do."""


def _check_entries(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise ReleaseError(f"{path}: {len(infos)} entries; a release zip holds at most {MAX_ENTRIES}")
    total = 0
    for info in infos:
        name = info.filename
        if len(name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES or any(
                len(part.encode("utf-8", "surrogateescape")) > 255 for part in name.split("/")):
            raise ReleaseError(f"{path}: refusing the over-long entry name {name[:60]!r}…")
        if info.flag_bits & 0x1:
            raise ReleaseError(f"{path}: refusing the encrypted entry {name!r}")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ReleaseError(f"{path}: refusing {name!r}: compression method {info.compress_type} (a release"
                               " uses deflate)")
        total += info.file_size
        if info.file_size > (1 << 20) and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ReleaseError(f"{path}: refusing {name!r}: {info.file_size} bytes from {info.compress_size}"
                               f" compressed (more than {MAX_RATIO} times; a zip bomb?)")
        if total > MAX_TOTAL_BYTES:
            raise ReleaseError(f"{path}: refusing to unpack more than {MAX_TOTAL_BYTES} bytes")


@contextmanager
def unpacked(path: Path) -> Iterator[Path]:
    """The release folder: `path` itself, or the zip's single top folder extracted to a temporary place."""
    path = Path(path)
    if path.is_dir():
        yield path
        return
    if not path.exists():
        raise ReleaseError(f"{path}: no such file or folder")
    if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or device would hang the zip reader
        raise ReleaseError(f"{path}: neither a folder nor a zip file")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError) as exc:
        raise ReleaseError(f"{path}: neither a folder nor a readable zip file ({exc})") from None
    with archive, tempfile.TemporaryDirectory(prefix="irde-release-") as tmp:
        _check_entries(path, archive.infolist())
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
        with reading(f"{path}: corrupt zip"):
            try:
                archive.extractall(tmp)
            except (zipfile.BadZipFile, RuntimeError, zlib.error) as exc:
                raise ValueError(str(exc)) from None
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
    try:
        text = read_regular(sums_file).decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f"{SUMS_NAME}: not valid UTF-8 (at byte {exc.start}); cannot check the files"]
    except UnsafeFile as exc:
        return [f"{SUMS_NAME}: {str(exc).rpartition(': ')[2]}; cannot check the files"]
    listed, problems = parse_sums(text)
    links = _links(folder)
    problems += [f"link: {name} (a release holds plain files only; not read)" for name in links]
    present = set(release_files(folder)) - set(links)
    for name in sorted(listed):
        if name in links:
            continue
        if name not in present:
            problems.append(f"missing: {name}")
        elif sha256_file(folder / name) != listed[name]:
            problems.append(f"altered: {name} (its SHA-256 differs from {SUMS_NAME})")
    problems += [f"extra: {name} (not in {SUMS_NAME})" for name in sorted(present - set(listed))]
    return problems


def _links(folder: Path) -> list[str]:
    """Symbolic links and other non-regular entries below `folder`: never followed nor read."""
    found = []
    for parent, dirs, names in os.walk(folder):
        for name in dirs + names:
            entry = Path(parent) / name
            mode = entry.lstat().st_mode
            if stat.S_ISLNK(mode) or not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                found.append(entry.relative_to(folder).as_posix())
    return sorted(found)


def _inside(name: object) -> str:
    if not isinstance(name, str) or PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
        raise ValueError(f"path {name!r} is not inside the release")
    return name


def _descriptor_claims(folder: Path) -> Iterator[tuple[str, str, str, int]]:
    """(descriptor, file, sha256, bytes) for each table file a descriptor describes."""
    package = folder / "datapackage.json"
    if package.is_file() and not package.is_symlink():
        for r in json.loads(read_regular(package).decode("utf-8")).get("resources", []):
            yield package.name, _inside(r["path"]), str(r["hash"]).removeprefix("sha256:"), int(r["bytes"])
    croissant = folder / "croissant.json"
    if croissant.is_file() and not croissant.is_symlink():
        for f in json.loads(read_regular(croissant).decode("utf-8")).get("distribution", []):
            yield croissant.name, _inside(f["contentUrl"]), f["sha256"], int(str(f["contentSize"]).split()[0])


def _descriptor_problems(folder: Path) -> list[str]:
    problems = []
    try:
        claims = list(_descriptor_claims(folder))
    except (ValueError, KeyError, AttributeError, TypeError, IndexError, UnsafeFile) as exc:
        return [f"unreadable descriptor: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"]
    for descriptor, name, digest, size in claims:
        path = folder / name
        if path.is_file() and not path.is_symlink() and (path.stat().st_size != size or sha256_file(path) != digest):
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
        if path.is_symlink():
            continue  # reported as a link
        if not path.is_file():
            problems.append(f"missing table: {shown} (the schema defines {name})")
            continue
        try:
            actual = pq.read_schema(path)
        except Exception as exc:  # any Arrow error means the file is not a readable Parquet table
            problems.append(f"unreadable table: {shown}: {' '.join(str(exc).split())[:200]}")
            continue
        differences = schema_differences(actual, arrow_schema(schema, table))
        problems += [f"schema: {shown}: {line}" for line in differences]
        if not differences:
            problems += _code_problems(path, shown, schema, table)
    for path in sorted(tables.glob("*.parquet")):
        if path.stem not in schema.tables:
            problems.append(f"extra table: {path.relative_to(folder).as_posix()} (not in the schema)")
    return problems


def _code_problems(path: Path, shown: str, schema: Schema, table) -> list[str]:
    """Every coded value belongs to its vocabulary (a release re-hashed after tampering would pass the sums)."""
    import pyarrow.parquet as pq

    coded = {c.name: c.definition.vocabulary or c.definition.item_vocabulary for c in table.columns
             if c.definition.vocabulary or c.definition.item_vocabulary}
    if not coded:
        return []
    try:
        meta = pq.read_metadata(path)
        if meta.num_rows > MAX_ROWS:
            return [f"unreadable table: {shown}: {meta.num_rows} rows; at most {MAX_ROWS} are read"]
        data = pq.read_table(path, columns=sorted(coded))
    except Exception as exc:  # any Arrow error means the file is not a readable Parquet table
        return [f"unreadable table: {shown}: {' '.join(str(exc).split())[:200]}"]
    problems = []
    for column, vocabulary in sorted(coded.items()):
        allowed = set(schema.vocabularies[vocabulary].code_values)
        values = data.column(column).to_pylist()
        flat = [v for value in values for v in (value if isinstance(value, list) else [value]) if v is not None]
        unknown = sorted(set(flat) - allowed)
        if unknown:
            problems.append(f"codes: {shown}: column {column}: {unknown[0]!r} is not a code of the {vocabulary}"
                            f" vocabulary" + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""))
    return problems


def verify_folder(folder: Path, schema: Schema) -> list[str]:
    return _checksum_problems(folder) + _descriptor_problems(folder) + _schema_problems(folder, schema)


def verify(path: Path, schema_dir: Path | None = None) -> tuple[list[str], Schema]:
    """Every problem of the release at `path` (folder or zip), and the schema it was checked against."""
    with unpacked(path) as folder:
        schema = release_schema(folder, schema_dir)
        return verify_folder(folder, schema), schema
