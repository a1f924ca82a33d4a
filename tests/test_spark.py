"""Spark (pyspark, local mode) reads every committed table with the row count and column types the
Arrow schema promises. Runs in its own environment: `make test-spark` (.venv-spark); skipped elsewhere."""

from __future__ import annotations

import os

import pyarrow.parquet as pq
import pytest

from conftest import ROOT

pytest.importorskip("pyspark", reason="pyspark lives in .venv-spark: run `make test-spark`")
# pyspark 4.3 warns about pandas 3 at session start; reading Parquet does not go through pandas.
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")

TABLES = sorted((ROOT / "dataset" / "parquet").glob("*.parquet"))
SPARK_TYPES = {"string": "string", "dictionary<values=string, indices=int32, ordered=0>": "string",
               "date32[day]": "date", "int64": "bigint", "double": "double", "bool": "boolean",
               "list<element: string>": "array<string>", "list<element: int64>": "array<bigint>"}


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("irde-interop")
               .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.mark.parametrize("path", TABLES, ids=[p.stem for p in TABLES])
def test_spark_reads_every_table(spark, path):
    arrow = pq.read_table(path)
    frame = spark.read.parquet(str(path))
    assert frame.count() == arrow.num_rows
    assert dict(frame.dtypes) == {f.name: SPARK_TYPES[str(f.type)] for f in arrow.schema}
    key = arrow.column_names[0]
    assert sorted(r[0] for r in frame.select(key).collect()) == sorted(arrow.column(key).to_pylist())
