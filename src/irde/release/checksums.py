"""SHA-256 digests of release files and the `SHA256SUMS` file that lists them.

The format is the one `sha256sum` writes and `sha256sum -c` reads (`<hex>  <relative path>`, one
line per file, sorted by path), so a release can be checked without IRDE installed. This module
only hashes, writes and parses; deciding what is missing, extra or altered is `irde.release.verify`'s job.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SUMS_NAME = "SHA256SUMS"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def release_files(folder: Path) -> list[str]:
    """Every file below `folder` except SHA256SUMS itself, as sorted POSIX paths relative to it."""
    folder = Path(folder)
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p.relative_to(folder).as_posix() != SUMS_NAME)


def render_sums(folder: Path) -> str:
    return "".join(f"{sha256_file(Path(folder) / name)}  {name}\n" for name in release_files(folder))


def parse_sums(text: str) -> tuple[dict[str, str], list[str]]:
    """Path -> digest, and one message per line that is not `<64 hex>  <path>`."""
    sums: dict[str, str] = {}
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        digest, sep, name = line.partition("  ")
        name = name.removeprefix("*")  # sha256sum's binary-mode marker
        if not sep or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest) or not name:
            problems.append(f"{SUMS_NAME}:{number}: not '<sha256>  <path>': {line!r}")
        else:
            sums[name] = digest
    return sums, problems
