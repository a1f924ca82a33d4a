"""`irde.connect()`: the tables as views in an in-process DuckDB database, for SQL with no server.

duckdb is imported on the first call, never by `import irde`. The views read the Parquet files
in place, so nothing is copied and the connection always shows the files as they are on disk.
"""

from __future__ import annotations

from pathlib import Path


def connect(path: str | Path | None = None, database: str = ":memory:"):
    """A DuckDB connection with one view per table of `path` (default: the committed or packaged tables)."""
    import duckdb

    from irde.paths import tables_dir

    folder = tables_dir(path)
    files = sorted(p for p in folder.glob("*.parquet") if p.is_file())
    if not files:
        raise FileNotFoundError(f"no tables (*.parquet) in {folder}")
    connection = duckdb.connect(database)
    for file in files:
        name = file.stem.replace('"', '""')
        location = str(file.resolve()).replace("'", "''")
        connection.execute(f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{location}')")
    return connection
