"""Every committed table reads the same in DuckDB (through `irde.connect`) and Polars as in pyarrow:
same rows, same values, and the column types the Arrow schema promises. Spark: tests/test_spark.py."""

from __future__ import annotations

import re
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import irde
from conftest import ROOT

TABLES = sorted((ROOT / "dataset" / "parquet").glob("*.parquet"))

# Arrow type (as the schema renders it) -> the type each reader reports.
DUCKDB_TYPES = {"string": "VARCHAR", "dictionary<values=string, indices=int32, ordered=0>": "VARCHAR",
                "date32[day]": "DATE", "int64": "BIGINT", "double": "DOUBLE", "bool": "BOOLEAN",
                "list<element: string>": "VARCHAR[]", "list<element: int64>": "BIGINT[]"}
POLARS_TYPES = {"string": "String", "dictionary<values=string, indices=int32, ordered=0>": "Categorical",
                "date32[day]": "Date", "int64": "Int64", "double": "Float64", "bool": "Boolean",
                "list<element: string>": "List(String)", "list<element: int64>": "List(Int64)"}


def arrow_rows(path):
    table = pq.read_table(path)
    return table, [tuple(row.values()) for row in table.to_pylist()]


def expected_types(table: pa.Table, mapping: dict[str, str]) -> dict[str, str]:
    return {f.name: mapping[str(f.type)] for f in table.schema}


@pytest.fixture(scope="module")
def connection():
    return irde.connect()


@pytest.mark.parametrize("path", TABLES, ids=[p.stem for p in TABLES])
def test_duckdb_reads_every_table_like_pyarrow(connection, path):
    table, rows = arrow_rows(path)
    relation = connection.sql(f'SELECT * FROM "{path.stem}"')
    assert dict(zip(relation.columns, map(str, relation.types))) == expected_types(table, DUCKDB_TYPES)
    assert relation.fetchall() == rows


@pytest.mark.parametrize("path", TABLES, ids=[p.stem for p in TABLES])
def test_polars_reads_every_table_like_pyarrow(path):
    import polars as pl

    table, rows = arrow_rows(path)
    frame = pl.read_parquet(path)
    assert {name: str(dtype) for name, dtype in frame.schema.items()} == expected_types(table, POLARS_TYPES)
    assert frame.rows() == rows


def test_connect_has_one_view_per_table(connection, tmp_path):
    views = {name for (name,) in connection.sql("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert views == {p.stem for p in TABLES}
    with pytest.raises(FileNotFoundError, match="no tables"):
        irde.connect(tmp_path)


def test_import_irde_stays_light():
    code = ("import sys, irde; "
            "print([m for m in ('duckdb', 'polars', 'pyspark', 'pandas') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("lock, pins", [("requirements-spark.lock", {"pyspark", "pytest", "pyarrow"}),
                                        ("requirements-tools.lock", {"cffconvert"})])
def test_side_environments_install_from_hashed_locks(lock, pins):
    """.venv-spark and .venv-tools (Makefile) install with --require-hashes: every pin carries hashes."""
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text())
    pinned = {re.match(r"([A-Za-z0-9_.-]+)==", b).group(1): b for b in blocks if re.match(r"[A-Za-z0-9_.-]+==", b)}
    assert pins <= set(pinned)
    assert all("--hash=sha256:" in block for block in pinned.values())
    assert "great-expectations" not in pinned and "jupyterlab" not in pinned
