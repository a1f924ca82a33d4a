"""Loading the built tables into pandas: the researcher-facing half of the package.

`load("meetings")` reads one Parquet table; `load_all()` reads them all. Dtypes: dates are
`datetime64[ms]` (midnight, no time zone), coded columns are `category` with every code of their
vocabulary as categories (in vocabulary order, so unused codes still show up in counts), counts
are nullable `Int64`, flags nullable `boolean`, lists are arrays of strings, text is `str`.
Only pandas and pyarrow are imported here: never Great Expectations, matplotlib or Jupyter.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from irde.paths import tables_dir

_TYPES = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def table_names(path: str | Path | None = None) -> list[str]:
    """Names of the tables found in `path` (default: the committed or packaged tables)."""
    return sorted(p.stem for p in tables_dir(path).glob("*.parquet"))


def _with_full_vocabularies(table: pa.Table) -> pa.Table:
    """Re-point each coded column at its whole vocabulary, so pandas builds the categories directly."""
    import pyarrow.compute as pc

    columns = []
    for index, arrow_field in enumerate(table.schema):
        column = table.column(index)
        meta = arrow_field.metadata or {}
        if pa.types.is_dictionary(arrow_field.type) and b"codes" in meta:
            codes = json.loads(meta[b"codes"])
            vocabulary = pa.array(codes, type=pa.string())
            position = {code: i for i, code in enumerate(codes)}
            chunks = []
            for chunk in column.chunks:
                remap = pa.array([position[c] for c in chunk.dictionary.to_pylist()], type=pa.int32())
                chunks.append(pa.DictionaryArray.from_arrays(pc.take(remap, chunk.indices), vocabulary))
            column = pa.chunked_array(chunks, type=arrow_field.type)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=table.schema)


def load(table: str, path: str | Path | None = None) -> pd.DataFrame:
    """One table as a pandas DataFrame. `path` is a folder of tables, e.g. an unpacked release."""
    folder = tables_dir(path)
    file = folder / f"{table}.parquet"
    if not file.is_file():
        known = ", ".join(table_names(folder)) or "none"
        raise FileNotFoundError(f"no table {table!r} in {folder} (tables: {known})")
    arrow_table = _with_full_vocabularies(pq.read_table(file))
    return arrow_table.to_pandas(date_as_object=False, types_mapper=_TYPES.get)


def load_all(path: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table, by name."""
    return {name: load(name, path) for name in table_names(path)}
