"""The public API: `irde.load` / `irde.load_all` dtypes, other copies, and no heavy imports."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import irde
from conftest import ROOT, modules_loaded_by
from irde.tables.build import build


@pytest.fixture
def tables_dir(schema, valid_records, tmp_path):
    out = tmp_path / "copy" / "parquet"
    build(schema, valid_records, out)
    return out


def test_dtypes(schema, tables_dir):
    meetings = irde.load("meetings", tables_dir)
    assert str(meetings["start_date"].dtype).startswith("datetime64")
    assert isinstance(meetings["mode"].dtype, pd.CategoricalDtype)
    assert list(meetings["mode"].cat.categories) == list(schema.vocabularies["meeting_mode"].code_values)
    assert meetings["independent_source_count"].dtype == pd.Int64Dtype()
    assert meetings["cameo_code"].iloc[0] == "042"  # leading zero kept
    participants = irde.load("participants", tables_dir)
    assert participants["is_head_of_delegation"].dtype == pd.BooleanDtype()
    assert list(meetings["countries_present"].iloc[0]) == ["IRN", "RUS", "IND"]


def test_load_all_and_unknown_table(tables_dir, schema):
    tables = irde.load_all(tables_dir)
    assert set(tables) == set(schema.tables)
    with pytest.raises(FileNotFoundError, match="no table 'meeting'"):
        irde.load("meeting", tables_dir)


def test_committed_tables_load_from_the_checkout():
    meetings = irde.load("meetings")
    assert len(meetings) >= 1 and meetings["meeting_id"].is_unique


def test_import_and_load_do_not_import_heavy_libraries():
    heavy = ("great_expectations", "matplotlib", "jupyter_client", "IPython", "nbformat", "notebook", "duckdb")
    assert modules_loaded_by("import irde; irde.load('meetings')", heavy) == []


def test_loads_a_copy_in_another_folder(tmp_path):
    copy = tmp_path / "release" / "parquet"
    shutil.copytree(ROOT / "dataset" / "parquet", copy)
    assert irde.load("meetings", copy).shape == irde.load("meetings").shape
