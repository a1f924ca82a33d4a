"""environment.yml (for conda users) stays in step with pyproject.toml and requirements.lock."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_environment_matches_pyproject_and_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    minimum = re.match(r">=(\d+\.\d+)", project["requires-python"]).group(1)
    assert sorted(conda) == sorted([f"python={minimum}", "pip"])
    assert "-r requirements.lock" in pip_section and "-e ." in pip_section
    locked = {_name(line) for line in (ROOT / "requirements.lock").read_text().splitlines()
              if re.match(r"^[A-Za-z0-9]", line)}
    wanted = set(project["dependencies"])
    for extra, requirements in project["optional-dependencies"].items():
        if extra != "interop":
            wanted |= set(requirements)
    missing = {_name(r) for r in wanted} - locked
    assert missing == set(), f"not pinned in requirements.lock: {missing} (run `make lock`)"
