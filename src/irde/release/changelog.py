"""CHANGELOG.md as data: one entry per release, newest first, each with a "Schema" and a "Records" section.

An entry is `## X.Y.Z — YYYY-MM-DD` followed by exactly `### Schema` and `### Records`, in that
order (a section with nothing to say says so). Above the newest release, an entry headed
`## Unreleased` (same sections) collects changes merged since; it is not a release entry, and
releasing means renaming it to the new version. `irde release` copies the entry of the version it
releases into the bundle; `irde release-check` compares the top entry with the dataset metadata.
This module parses and reports shape problems; it knows nothing about the schema or releases.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
SECTIONS = ("Schema", "Records")
_ENTRY = re.compile(r"^## (?P<version>\S+) — (?P<date>\S+)$")
UNRELEASED = "## Unreleased"


@dataclass(frozen=True)
class Entry:
    version: str
    date: str
    line: int
    sections: tuple[str, ...]
    text: str  # the whole entry, heading included


def semver_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def parse_changelog(path: Path) -> tuple[list[Entry], list[str]]:
    """The entries of the changelog, and one `path:line: message` per shape problem."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("## ")]
    entries, problems = [], []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        where = f"{path}:{start + 1}"
        sections = tuple(line[4:].strip() for line in lines[start:end] if line.startswith("### "))
        if lines[start] == UNRELEASED:
            if n:
                problems.append(f"{where}: '{UNRELEASED}' goes above every release entry")
            elif sections != SECTIONS:
                problems.append(f"{where}: Unreleased has sections {list(sections)}; expected {list(SECTIONS)}")
            continue
        match = _ENTRY.match(lines[start])
        if not match:
            problems.append(f"{where}: a release heading is '## X.Y.Z — YYYY-MM-DD', not {lines[start]!r}")
            continue
        version, date = match["version"], match["date"]
        if not SEMVER.match(version):
            problems.append(f"{where}: version {version!r} is not MAJOR.MINOR.PATCH")
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            problems.append(f"{where}: date {date!r} is not YYYY-MM-DD")
        if sections != SECTIONS:
            problems.append(f"{where}: {version} has sections {list(sections)}; expected {list(SECTIONS)}")
        entries.append(Entry(version, date, start + 1, sections, "\n".join(lines[start:end]).rstrip() + "\n"))
    if not entries and not problems:
        problems.append(f"{path}: no release entries ('## X.Y.Z — YYYY-MM-DD')")
    versions = [e.version for e in entries if SEMVER.match(e.version)]
    for newer, older in zip(versions, versions[1:]):
        if semver_key(newer) <= semver_key(older):
            problems.append(f"{path}: entries must go from newest to oldest: {newer} is listed above {older}")
    return entries, problems


def entry_for(entries: list[Entry], version: str) -> Entry | None:
    return next((e for e in entries if e.version == version), None)
