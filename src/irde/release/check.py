"""`irde release-check`: is the release of the current version consistent and valid for its consumers?

Checks, each reported as ok or with its problems:
- metadata: the version is MAJOR.MINOR.PATCH and agrees, with the release date, across
  schema/dataset.yaml, CITATION.cff (`version`, `date-released`) and the top CHANGELOG.md entry;
  every changelog entry has its Schema and Records sections; retired_ids.yaml entries are valid;
- the bundle build/release/<name>-<version>/ exists and passes `irde verify`;
- external validators on that bundle: `cffconvert --validate` (an isolated install, passed as
  --cffconvert, because cffconvert pins jsonschema<4 and cannot share an environment with
  Jupyter), `frictionless validate datapackage.json` and `mlcroissant validate`.
Boundary: this module checks and reports; it builds nothing (`irde release` does).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from irde.release.changelog import SEMVER, parse_changelog
from irde.schema.model import Schema

# Frictionless 5.21 reads Parquet through pandas: it never counts a Parquet file's bytes
# (byte-count: "actual is None") and hands list columns over as numpy arrays that its `array` type
# rejects (type-error). Column types are checked exactly by `irde verify` (Arrow schema equality),
# so frictionless is left the rest: descriptor, required, unique, patterns, codes, ranges and keys.
FRICTIONLESS_SKIP = "byte-count,type-error"


@dataclass
class Check:
    name: str
    problems: list[str]


def metadata_problems(schema: Schema, root: Path) -> list[str]:
    from irde.curation.retired import RETIRED_PATH, load_retired

    version, date = schema.version, str(schema.dataset.get("date_released"))
    problems = [] if SEMVER.match(version) else [f"schema/dataset.yaml: version {version!r} is not MAJOR.MINOR.PATCH"]
    citation = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    for key, expected in (("version", version), ("date-released", date)):
        if str(citation.get(key)) != expected:
            problems.append(f"CITATION.cff: {key} is {citation.get(key)!r}; schema/dataset.yaml says {expected!r} "
                            "(run `irde generate`)")
    entries, changelog_problems = parse_changelog(root / "CHANGELOG.md")
    problems += changelog_problems
    if entries and (entries[0].version, entries[0].date) != (version, date):
        problems.append(f"CHANGELOG.md:{entries[0].line}: the top entry is {entries[0].version} — {entries[0].date}; "
                        f"schema/dataset.yaml says {version} — {date}")
    problems += load_retired(schema, root / RETIRED_PATH)[1]
    return problems


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).with_name(name)  # the project environment's console script
    return str(beside) if beside.exists() else shutil.which(name)


def _run(argv: list[str], cwd: Path) -> list[str]:
    """Nothing when the command succeeds, else its exit status and the tail of its output."""
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    if done.returncode == 0:
        return []
    tail = (done.stdout + done.stderr).strip().splitlines()[-25:]
    return [f"`{' '.join(argv)}` exited with {done.returncode}:", *tail]


def external_commands(folder: Path, cffconvert: str | None) -> dict[str, list[str] | str]:
    """Check name -> command line, or -> the reason it cannot run."""
    commands: dict[str, list[str] | str] = {}
    for name, tool, args in (
        ("cffconvert --validate CITATION.cff", cffconvert, ["--validate", "--infile", "CITATION.cff"]),
        ("frictionless validate datapackage.json", _tool("frictionless"),
         ["validate", "--skip-errors", FRICTIONLESS_SKIP, "datapackage.json"]),
        ("mlcroissant validate croissant.json", _tool("mlcroissant"), ["validate", "--jsonld", "croissant.json"]),
    ):
        if tool and (Path(tool).exists() or shutil.which(tool)):
            # absolute, because the commands run inside the release folder
            commands[name] = [str(Path(tool).absolute()) if Path(tool).exists() else tool, *args]
        else:
            commands[name] = (f"{name.split()[0]} not found ({tool or 'not on PATH'}); `make release-check` "
                              "installs the validators")
    return commands


def release_checks(schema: Schema, root: Path, folder: Path, cffconvert: str | None) -> list[Check]:
    from irde.release.verify import verify_folder

    checks = [Check(f"metadata agrees on {schema.version} — {schema.dataset.get('date_released')}",
                    metadata_problems(schema, root))]
    if not (folder / "SHA256SUMS").is_file():
        return checks + [Check(f"release {folder}", [f"no release at {folder}: run `irde release` first"])]
    checks.append(Check(f"irde verify {folder}", verify_folder(folder, schema)))
    for name, command in external_commands(folder, cffconvert).items():
        checks.append(Check(name, [command] if isinstance(command, str) else _run(command, folder)))
    return checks
