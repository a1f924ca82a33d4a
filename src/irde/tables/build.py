"""`irde build`: curated records -> Arrow tables -> `dataset/parquet/*.parquet`.

The build refuses to write anything while `irde check` finds a problem. Tables are written with
fixed writer options into a fresh folder beside the target, which then replaces the old folder,
so a failed or interrupted build leaves the previous tables untouched; the same records and the
same pinned libraries give byte-identical files.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from irde.schema.arrow import to_arrow
from irde.tables.derive import deduplicate_sources, fill_derived
from irde.tables.dyads import dyad_rows
from irde.curation.problems import Collection, Problem
from irde.curation.records import collect
from irde.schema.model import Schema

WRITE_OPTIONS = dict(
    compression="zstd",
    compression_level=9,
    version="2.6",
    data_page_version="1.0",
    use_dictionary=True,
    write_statistics=True,
    coerce_timestamps="us",
    allow_truncated_timestamps=False,
    row_group_size=1_000_000,
)


class BuildError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the records; nothing was written")
        self.problems = problems


def build_tables(schema: Schema, records_dir: Path, collection: Collection | None = None) -> dict[str, pa.Table]:
    """Check the records and return every table in memory; raise BuildError on any problem."""
    collection = collection or collect(schema, records_dir)
    if collection.problems:
        raise BuildError(collection.problems)
    rows = {name: [dict(r) for r in table_rows] for name, table_rows in collection.rows.items()}
    deduplicate_sources(rows)
    for bridge, key in schema.bridges.items():
        rows[bridge] = [dict(t) for t in {(r[key], r["source_id"]): r for r in rows[bridge]}.values()]
    fill_derived(schema, rows)
    if "dyads" in schema.tables:
        rows["dyads"] = dyad_rows(schema, rows)
    return {name: to_arrow(schema, schema.table(name), rows[name]) for name in sorted(schema.tables)}


def write_tables(tables: dict[str, pa.Table], out_dir: Path) -> None:
    """Write every table into `out_dir`, replacing its previous content only once all are written."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    try:
        for name, table in tables.items():
            pq.write_table(table, staging / f"{name}.parquet", **WRITE_OPTIONS)
        retired = None
        if out_dir.exists():
            retired = out_dir.parent / f".{out_dir.name}-old-{staging.name.rsplit('-', 1)[-1]}"
            out_dir.rename(retired)
        staging.rename(out_dir)
        if retired is not None:
            shutil.rmtree(retired)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def build(schema: Schema, records_dir: Path, out_dir: Path) -> dict[str, pa.Table]:
    tables = build_tables(schema, records_dir)
    write_tables(tables, out_dir)
    return tables
