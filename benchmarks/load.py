"""Benchmark: the cost of `irde.load(table)` as a ratio to a bare `pandas.read_parquet` of the same file.

Target: under 1.3x. Both are timed in this one process, interleaved, best of N runs, on the
committed tables and on a synthetic meetings table of 100,000 rows (the real tables are small,
so the fixed overhead dominates there). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/load.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import irde
from irde.paths import default_tables_dir


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def synthetic_meetings(folder: Path, rows: int) -> Path:
    """The committed meetings table repeated to `rows` rows, with the same schema and metadata."""
    source = pq.read_table(default_tables_dir() / "meetings.parquet")
    repeats = -(-rows // max(source.num_rows, 1))
    table = pa.concat_tables([source] * repeats).slice(0, rows)
    from irde.tables.build import WRITE_OPTIONS

    pq.write_table(table, folder / "meetings.parquet", **WRITE_OPTIONS)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    print(f"{'table':<28}{'rows':>9}{'pandas.read_parquet':>22}{'irde.load':>12}{'ratio':>8}")
    folders = [("committed", default_tables_dir())]
    with tempfile.TemporaryDirectory() as tmp:
        folders.append(("synthetic", synthetic_meetings(Path(tmp), 100_000)))
        for label, folder in folders:
            names = irde.table_names(folder)
            for name in names:
                path = folder / f"{name}.parquet"
                bare = best_of(lambda: pd.read_parquet(path), args.repeat)
                ours = best_of(lambda: irde.load(name, folder), args.repeat)
                rows = pq.read_metadata(path).num_rows
                print(f"{label + '/' + name:<28}{rows:>9}{bare * 1000:>19.2f} ms{ours * 1000:>9.2f} ms{ours / bare:>7.2f}x")


if __name__ == "__main__":
    main()
