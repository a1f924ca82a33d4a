"""IRDE — Iran–Russia Diplomatic Events.

    import irde
    meetings = irde.load("meetings")        # pandas DataFrame
    tables = irde.load_all()                # every table, by name
    irde.load("meetings", "path/to/irde-0.1.0/parquet")   # another copy, e.g. an unpacked release
    con = irde.connect()                    # DuckDB, one view per table: con.sql("SELECT ...")

Importing the package loads nothing heavy; pandas and pyarrow (duckdb for `connect`) are imported on first use.
"""

from __future__ import annotations

__all__ = ["__version__", "connect", "load", "load_all", "table_names"]
__version__ = "0.1.0"


def load(table, path=None):
    """One table as a pandas DataFrame (see `irde.tables.loading`)."""
    from irde.tables.loading import load as _load

    return _load(table, path)


def load_all(path=None):
    """Every table as pandas DataFrames, by name (see `irde.tables.loading`)."""
    from irde.tables.loading import load_all as _load_all

    return _load_all(path)


def table_names(path=None):
    """Names of the available tables."""
    from irde.tables.loading import table_names as _table_names

    return _table_names(path)


def connect(path=None):
    """An in-process DuckDB connection with one view per table, for SQL with no server (see `irde.tables.sql`)."""
    from irde.tables.sql import connect as _connect

    return _connect(path)
