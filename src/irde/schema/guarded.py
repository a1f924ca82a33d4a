"""Reading YAML and files that may be hostile: the bounds every reader shares.

A schema, a retired-ID list or a release's own `schema/` may come from anyone (an unpacked
release). They are read here with limits: only regular files (no FIFO, device or socket, which
would hang or never end), at most `MAX_FILE_BYTES`, and YAML without anchors or aliases (an
"alias bomb" expands a few hundred bytes into gigabytes) and nested at most `MAX_DEPTH` deep.
Curated records have their own, line-aware reader (`irde.curation.yamlio`), with the same limits.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

from irde.errors import InputError

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64


class UnsafeFile(InputError, ValueError):
    """The file is not a regular file, is too large, or holds YAML the readers refuse."""


def read_regular(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; never blocks on a FIFO or device."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(f"{path}: not a regular file")
        if info.st_size > limit:
            raise UnsafeFile(f"{path}: {info.st_size} bytes; at most {limit} are read")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise UnsafeFile(f"{path}: more than {limit} bytes; at most {limit} are read")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def check_events(text: str, where: str) -> None:
    """Refuse anchors, aliases and nesting deeper than MAX_DEPTH before anything is constructed."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 1
            raise UnsafeFile(f"{where}:{line}: anchors and aliases (&name, *name) are not allowed")
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise UnsafeFile(f"{where}:{event.start_mark.line + 1}: nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def load_yaml(path: Path) -> Any:
    """`yaml.safe_load` of a file, with the bounds above; raises UnsafeFile, OSError or yaml.YAMLError."""
    data = read_regular(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsafeFile(f"{path}: not valid UTF-8 (at byte {exc.start})") from None
    check_events(text, str(path))
    return yaml.safe_load(text)
