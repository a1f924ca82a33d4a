"""Comparing a fresh build with committed tables, byte for byte (the `--check` of `irde build`)."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def parquet_bytes(table: pa.Table) -> bytes:
    from irde.tables.build import WRITE_OPTIONS

    sink = io.BytesIO()
    pq.write_table(table, sink, **WRITE_OPTIONS)
    return sink.getvalue()


def compare_tables(tables: dict[str, pa.Table], folder: Path) -> list[str]:
    """One line per table file that is missing, extra or different in `folder`."""
    lines = []
    for name, table in tables.items():
        path = folder / f"{name}.parquet"
        if not path.is_file():
            lines.append(f"missing: {path}")
        elif path.read_bytes() != parquet_bytes(table):
            lines.append(f"differs: {path}")
    for path in sorted(folder.glob("*.parquet")):
        if path.stem not in tables:
            lines.append(f"extra: {path}")
    return lines
