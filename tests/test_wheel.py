"""The wheel ships the tables: after installing it elsewhere, `irde.load('meetings')` works without a checkout."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_carries_the_tables_and_loads_outside_the_checkout(tmp_path):
    source = tmp_path / "source"  # a copy, so that setuptools' build/ folder never lands in the checkout
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv*", "build", ".git", "*.egg-info", "tests"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
                    "--quiet", "--wheel-dir", str(tmp_path / "dist")], check=True, capture_output=True,
                   cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("irde-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    committed = sorted(p.name for p in (ROOT / "dataset" / "parquet").glob("*.parquet"))
    assert sorted(n.rsplit("/", 1)[-1] for n in names if n.startswith("irde/data/parquet/")) == committed
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = "import irde; print(irde.load('meetings').shape[0], irde.__file__)"
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=elsewhere,
                         env=env, check=True)
    rows, location = out.stdout.split()
    assert int(rows) == len(__import__("irde").load("meetings"))
    assert location.startswith(str(site))
