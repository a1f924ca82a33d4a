"""Shared test set-up: offline sockets, the repository paths, the reference dates."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
VALID_RECORDS = FIXTURES / "valid" / "records"
FIXTURE_TODAY = "2026-12-31"  # the fixed reference date of the fixtures, whose expected messages name it
# The committed records are checked against the real date (never earlier than the fixtures'), since a
# curator's sweep day (`swept_on`) moves with every session.
CHECKOUT_TODAY = max(FIXTURE_TODAY, dt.date.today().isoformat())

_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and (host in ("localhost", "::1") or host.startswith("127.") or host.startswith("/")):
        return _real_connect(self, address)
    raise RuntimeError(f"tests run offline: blocked a connection to {address!r}")


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """Tests are offline: any connection other than loopback (notebook kernels) fails."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
    monkeypatch.setenv("IRDE_TODAY", CHECKOUT_TODAY)
    monkeypatch.setenv("IRDE_ROOT", str(ROOT))


@pytest.fixture(scope="session")
def schema():
    from irde.schema.model import load_schema

    return load_schema(ROOT / "schema")


@pytest.fixture
def valid_records(tmp_path) -> Path:
    """A writable copy of the small valid fixture dataset."""
    target = tmp_path / "records"
    shutil.copytree(VALID_RECORDS, target)
    return target


def tree_digest(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def modules_loaded_by(code: str, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` a fresh interpreter has imported after running `code` in the checkout."""
    import ast
    import subprocess
    import sys

    probe = f"{code}\nimport sys; print([m for m in {modules!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    return ast.literal_eval(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, schema) -> Path:
    """The web edition built once from the committed tables (no executed notebooks), for the site tests."""
    from irde.site.build import build_site

    out = tmp_path_factory.mktemp("site") / "site"
    build_site(schema, ROOT, ROOT / "dataset" / "parquet", out, tmp_path_factory.mktemp("empty-build"))
    return out
