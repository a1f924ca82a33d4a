"""Property: random bytes, random YAML and random zips given to every verb never give a traceback,
never hang, end in a documented exit code, and leave the input as it was (issue 13).

Each verb gets the input it reads: a record file (check, format, build), a folder of would-be tables
(info, validate, report, export), a release zip or folder (verify, diff), a checkout whose schema is the
random file (generate, release, release-check). The verbs run in process, with the checkout's schema
loaded once, so that `CASES` examples per verb (2,000 in CI; set IRDE_HOSTILE_CASES to change it)
stay within a minute or two. Examples are derandomised: CI sees the same cases on every run.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT, tree_digest
from test_property import mutations
from irde import cli
from irde.curation.yamlio import parse_bytes
from irde.errors import EXIT_PROBLEMS, EXIT_SYSTEM, EXIT_USAGE

CASES = int(os.environ.get("IRDE_HOSTILE_CASES", "2000"))
DOCUMENTED = {0, EXIT_PROBLEMS, EXIT_USAGE, EXIT_SYSTEM}
SETTINGS = settings(max_examples=CASES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))

NAMES = st.sampled_from(["person_id", "meeting_id", "title", "sources", "url", "participants", "mode", "country",
                         "start_date", "patterns", "fields", "name", "type", "records", "codes", "<<", "resources",
                         "path", "bytes", "hash"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=20), st.sampled_from(["2023-02-30", "IRN", "https://x.org:99999/", "Q42\n",
                                                           "\u202e", "$x$", "in_person", "string"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(NAMES, inner, max_size=5)), max_leaves=12)
YAML_DOCS = VALUES.map(lambda v: yaml.safe_dump(v, allow_unicode=True).encode("utf-8"))
CONTENT = st.one_of(st.binary(max_size=200), YAML_DOCS, mutations().map(lambda m: m[1]))
RECORD_PLACES = st.sampled_from(["persons/person-a.yaml", "meetings/2023/2023-02-08-x.yaml", "loose.yaml",
                                 "agreements/a.yml", "Meetings/2023/x.yaml", "allegations/a/b.yaml"])
RELEASE_NAMES = st.sampled_from(["irde-0.1.0/SHA256SUMS", "irde-0.1.0/parquet/meetings.parquet",
                                 "irde-0.1.0/datapackage.json", "irde-0.1.0/croissant.json", "irde-0.1.0/README.md",
                                 "irde-0.1.0/retired_ids.yaml", "irde-0.1.0/schema/fields.yaml", "other/x", "../x",
                                 "/abs", "irde-0.1.0/parquet/persons.parquet"])
TABLE_NAMES = st.sampled_from(["meetings", "persons", "sources", "coverage", "extra"])
PARQUET = open(ROOT / "dataset" / "parquet" / "persons.parquet", "rb").read()
TABLE_BYTES = st.one_of(st.binary(max_size=200),
                        st.integers(0, len(PARQUET)).map(lambda n: PARQUET[:n]),
                        st.tuples(st.integers(0, len(PARQUET) - 1), st.integers(1, 255)).map(
                            lambda t: PARQUET[:t[0]] + bytes([PARQUET[t[0]] ^ t[1]]) + PARQUET[t[0] + 1:]))


@st.composite
def zips(draw) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in draw(st.lists(st.tuples(RELEASE_NAMES, st.one_of(CONTENT, TABLE_BYTES)), max_size=4)):
            archive.writestr(name, data)
    data = buffer.getvalue()
    if data and draw(st.booleans()):
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    return data


@pytest.fixture(scope="module")
def cached_schema():
    from irde.schema.model import load_schema

    return load_schema(ROOT / "schema")


@pytest.fixture
def fast(monkeypatch, cached_schema):
    """The checkout's schema loaded once, not once per example."""
    import irde.release.verify as verify

    real = verify.load_schema
    monkeypatch.setattr(cli, "_schema", lambda: cached_schema)
    monkeypatch.setattr(verify, "load_schema", lambda d=None: cached_schema if d is None else real(d))


def run_verb(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()

    def expire(signum, frame):
        raise AssertionError(f"irde {' '.join(argv)} hangs")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(argv)
            except SystemExit as exc:  # argparse
                code = exc.code
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    text = out.getvalue() + err.getvalue()
    assert "Traceback" not in text and "unexpected error" not in text, text
    assert code in DOCUMENTED, (code, text)
    return code, out.getvalue(), err.getvalue()


def _meaning(value):
    """A record's values as `irde format` keeps them: empty fields left out, text in NFC."""
    if isinstance(value, dict):
        return {k: _meaning(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_meaning(v) for v in value]
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _parsed(data: bytes):
    root, issues = parse_bytes(data)
    return None if root is None else (_meaning(root.to_python()), [i.message for i in issues])


@pytest.mark.parametrize("verb", ["check", "format", "build"])
def test_random_records(verb, fast):
    @SETTINGS
    @given(place=RECORD_PLACES, data=CONTENT)
    def case(place, data):
        with tempfile.TemporaryDirectory() as tmp:
            records = Path(tmp) / "records"
            (records / place).parent.mkdir(parents=True)
            (records / place).write_bytes(data)
            extra = ["--out", str(Path(tmp) / "out")] if verb == "build" else []
            run_verb([verb, "--records", str(records), *extra])
            after = (records / place).read_bytes()
            if verb == "format" and after != data:  # formatting may rewrite, never change a value
                assert _parsed(after) == _parsed(data)
            else:
                assert after == data
            assert sorted(p.name for p in Path(tmp).iterdir()) in (["records"], ["out", "records"])
    case()


@pytest.mark.parametrize("verb", ["info", "validate", "report", "export"])
def test_random_tables(verb, fast, monkeypatch):
    # What these verbs read is checked before their heavy stage (Great Expectations, notebook kernels);
    # that stage is stubbed here so that 2,000 examples stay fast. The tables that pass are real tables.
    if verb == "validate":  # a stand-in module: importing Great Expectations alone takes seconds
        import sys
        import types
        stub = types.ModuleType("irde.validation.runner")
        stub.main = lambda tables, root, out: 0
        monkeypatch.setitem(sys.modules, "irde.validation.runner", stub)
    if verb == "report":
        import irde.report.notebooks as notebooks
        monkeypatch.setattr(notebooks, "build_report", lambda *args, **kwargs: ([], None))
    @SETTINGS
    @given(files=st.dictionaries(TABLE_NAMES, TABLE_BYTES, max_size=3))
    def case(files):
        with tempfile.TemporaryDirectory() as tmp:
            tables = Path(tmp) / "tables"
            tables.mkdir()
            for name, data in files.items():
                (tables / f"{name}.parquet").write_bytes(data)
            before = tree_digest(tables)
            argv = {"info": ["info", str(tables)], "validate": ["validate", str(tables), "--out", f"{tmp}/v"],
                    "report": ["report", "--data", str(tables), "--out", f"{tmp}/r"],
                    "export": ["export", "--data", str(tables), "--out", f"{tmp}/e"]}[verb]
            run_verb(argv)
            assert tree_digest(tables) == before
    case()


@pytest.mark.parametrize("verb", ["verify", "diff"])
def test_random_releases(verb, fast):
    @SETTINGS
    @given(data=zips(), other=st.one_of(st.none(), zips()))
    def case(data, other):
        with tempfile.TemporaryDirectory() as tmp:
            first = Path(tmp) / "a.zip"
            first.write_bytes(data)
            second = Path(tmp) / "b.zip"
            second.write_bytes(other if other is not None else data)
            argv = ["verify", str(first)] if verb == "verify" else ["diff", str(first), str(second)]
            code, _, _ = run_verb(argv)
            assert code != 0 or verb == "diff"
            assert first.read_bytes() == data
            assert sorted(p.name for p in Path(tmp).iterdir()) == ["a.zip", "b.zip"]
    case()


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    # fields.yaml (made random) and dataset.yaml (which marks a checkout) only: the loader reports every
    # file's problems, and reading the whole schema again in each of 2,000 examples would take minutes.
    root = tmp_path_factory.mktemp("checkout")
    (root / "schema").mkdir()
    for name in ("dataset.yaml", "fields.yaml"):
        shutil.copy(ROOT / "schema" / name, root / "schema" / name)
    (root / "dataset").mkdir()
    return root


@pytest.mark.parametrize("verb", ["generate", "release", "release-check"])
def test_random_schema_in_a_checkout(verb, checkout, monkeypatch):
    monkeypatch.setenv("IRDE_ROOT", str(checkout))
    fields = checkout / "schema" / "fields.yaml"

    @SETTINGS
    @given(data=CONTENT)
    def case(data):
        fields.write_bytes(data)
        argv = {"generate": ["generate", "--check"], "release": ["release", "--out", str(checkout / "rel")],
                "release-check": ["release-check", "--release", str(checkout / "none")]}[verb]
        code, _, _ = run_verb(argv)
        assert code != 0
        assert fields.read_bytes() == data
        assert sorted(p.name for p in checkout.iterdir()) in (["dataset", "schema"], ["dataset", "rel", "schema"])
    case()
