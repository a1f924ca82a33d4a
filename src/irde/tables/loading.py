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

from irde.errors import MissingTableError, TableError
from irde.paths import tables_dir

_TYPES = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def _folder(path: str | Path | None) -> Path:
    folder = tables_dir(path)
    if not folder.is_dir():
        raise MissingTableError(str(folder), "no such folder of tables")
    return folder


def table_names(path: str | Path | None = None) -> list[str]:
    """Names of the tables found in `path` (default: the committed or packaged tables)."""
    # Regular files only: a FIFO or a link to a device named *.parquet would block or never end.
    return sorted(p.stem for p in _folder(path).glob("*.parquet") if p.is_file())


def _documented(arrow_type: pa.DataType) -> bool:
    """The column types the codebook documents: text, codes, dates, counts, numbers, flags, lists."""
    if pa.types.is_dictionary(arrow_type):
        return pa.types.is_string(arrow_type.value_type)
    if pa.types.is_list(arrow_type):
        return _documented(arrow_type.value_type) and not pa.types.is_list(arrow_type.value_type)
    return (pa.types.is_string(arrow_type) or pa.types.is_date32(arrow_type) or arrow_type == pa.int64()
            or arrow_type == pa.int32() or pa.types.is_float64(arrow_type) or pa.types.is_boolean(arrow_type))


def _with_full_vocabularies(table: pa.Table, name: str = "table") -> pa.Table:
    """Re-point each coded column at its whole vocabulary, so pandas builds the categories directly."""
    import pyarrow.compute as pc

    columns = []
    for index, arrow_field in enumerate(table.schema):
        column = table.column(index)
        meta = arrow_field.metadata or {}
        if not _documented(arrow_field.type):
            raise TableError(f"{name}.{arrow_field.name}", f"type {arrow_field.type} is not a documented column type")
        if pa.types.is_dictionary(arrow_field.type) and b"codes" in meta:
            try:
                codes = json.loads(meta[b"codes"])
                if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                    raise ValueError("not a list of codes")
            except ValueError as exc:
                raise TableError(f"{name}.{arrow_field.name}", f"unreadable vocabulary in the metadata ({exc})") from None
            vocabulary = pa.array(codes, type=pa.string())
            position = {code: i for i, code in enumerate(codes)}
            chunks = []
            for chunk in column.chunks:
                unknown = [c for c in chunk.dictionary.to_pylist() if c not in position]
                if unknown:
                    raise TableError(f"{name}.{arrow_field.name}",
                                     f"{unknown[0]!r} is not a code of its vocabulary")
                remap = pa.array([position[c] for c in chunk.dictionary.to_pylist()], type=pa.int32())
                chunks.append(pa.DictionaryArray.from_arrays(pc.take(remap, chunk.indices), vocabulary))
            column = pa.chunked_array(chunks, type=arrow_field.type)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=table.schema)


def load(table: str, path: str | Path | None = None) -> pd.DataFrame:
    """One table as a pandas DataFrame. `path` is a folder of tables, e.g. an unpacked release."""
    folder = _folder(path)
    file = folder / f"{table}.parquet"
    if not file.is_file():
        known = ", ".join(table_names(folder)) or "none"
        raise MissingTableError(f"no table {table!r} in {folder}", f"tables: {known}")
    try:
        arrow_table = pq.read_table(file)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise TableError(f"{table} ({file})", f"not a readable Parquet table: {' '.join(str(exc).split())[:200]}") from None
    arrow_table = _with_full_vocabularies(arrow_table, table)
    try:
        return arrow_table.to_pandas(date_as_object=False, types_mapper=_TYPES.get)
    except (pa.ArrowException, ValueError, OverflowError) as exc:
        raise TableError(table, f"cannot convert to pandas: {' '.join(str(exc).split())[:200]}") from None


def load_all(path: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table, by name; a folder without tables is an error, never an empty result."""
    if not table_names(path):
        raise MissingTableError(str(tables_dir(path)), "no tables (*.parquet) in this folder")
    return {name: load(name, path) for name in table_names(path)}
