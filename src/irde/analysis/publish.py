"""Files the analysis hands on: the dataset version stamp, output folders and derived tables.

Boundary: this is the only analysis-side module that touches the file system for data (figures are
saved by `irde.report.plotting`, notebooks and the report page by `irde.report.notebooks`). Derived tables are
labelled derived: Parquet with `irde:derived = true`, the source dataset version and a description
per column in the Arrow field metadata, plus a CSV copy for spreadsheet users.
Only pandas and pyarrow are imported here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from irde.paths import find_root, tables_dir
from irde.schema.arrow import VERSION_KEY
from irde.tables.loading import table_names


def dataset_version(path: str | Path | None = None) -> str:
    """The dataset version recorded in the tables' Parquet file metadata (`irde:version`)."""
    folder = tables_dir(path)
    for name in table_names(folder):
        metadata = pq.read_schema(folder / f"{name}.parquet").metadata or {}
        if VERSION_KEY.encode() in metadata:
            return metadata[VERSION_KEY.encode()].decode()
    raise ValueError(f"no table in {folder} carries the {VERSION_KEY} metadata key")


def default_output_dir() -> Path:
    """`build/` of the checkout, or of the working directory outside a checkout (e.g. an unpacked release)."""
    return (find_root() or Path.cwd()) / "build"


def derived_table(frame: pd.DataFrame, descriptions: dict[str, str], *, name: str, description: str,
                  version: str) -> pa.Table:
    """An Arrow table of `frame` labelled derived, with a description on every column.

    Timestamp columns become `date32`, like the dataset's own date columns.
    """
    missing = set(frame.columns) - set(descriptions)
    if missing:
        raise ValueError(f"derived table {name}: no description for column(s) {sorted(missing)}")
    table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = [pa.field(f.name, pa.date32() if pa.types.is_timestamp(f.type) else f.type, nullable=f.nullable,
                       metadata={b"description": descriptions[f.name].encode()}) for f in table.schema]
    metadata = {"irde:derived": "true", "irde:table": name, VERSION_KEY: version, "description": description}
    schema = pa.schema(fields, metadata={k.encode(): v.encode() for k, v in metadata.items()})
    return table.cast(schema)


def write_derived_table(frame: pd.DataFrame, descriptions: dict[str, str], *, name: str, description: str,
                        version: str, out_dir: str | Path) -> list[Path]:
    """Write `<out_dir>/derived/<name>.parquet` and `.csv`; return both paths."""
    folder = Path(out_dir) / "derived"
    folder.mkdir(parents=True, exist_ok=True)
    table = derived_table(frame, descriptions, name=name, description=description, version=version)
    parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
    pq.write_table(table, parquet, compression="zstd", coerce_timestamps="us", allow_truncated_timestamps=False)
    pa_csv.write_csv(table, csv)
    return [parquet, csv]
