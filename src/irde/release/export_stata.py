"""Stata export: one `.dta` (format 118, Stata 14 and later) per table and per list column.

Coded columns become labelled integers (1, 2, … in vocabulary order) whose value labels are the
vocabulary's labels; each variable carries its field description as variable label (cut to Stata's
80 characters, the full text is in `codebook.csv`); dates are `%td`; flags are 0/1; text longer
than Stata's 2045-byte `str` limit is written as `strL`, so nothing is truncated. Empty strings
stand for missing text, as Stata has no other missing string. The header's time stamp is the
release date, so the same tables give the same bytes. Written with pandas (`DataFrame.to_stata`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from irde.release.export_frames import FlatFile
from irde.schema.model import Schema

STATA_VERSION = 118
STR_LIMIT = 2045     # bytes in a Stata str; longer text goes to strL
LABEL_LIMIT = 80     # characters in a variable or data label


def _label(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


def value_labels(schema: Schema, vocabulary: str) -> dict[int, str]:
    """Integer value -> vocabulary label: 1 for the first code, in vocabulary order."""
    return {i: c.label for i, c in enumerate(schema.vocabularies[vocabulary].codes, start=1)}


def stata_frame(schema: Schema, f: FlatFile) -> tuple[pd.DataFrame, dict, dict, list[str]]:
    """The frame to write, its value labels, its date conversions and its strL columns."""
    data, labels, dates, strls = {}, {}, {}, []
    for c in f.columns:
        values = [r[c.name] for r in f.rows]
        if c.vocabulary:
            number = {code.code: i for i, code in enumerate(schema.vocabularies[c.vocabulary].codes, start=1)}
            data[c.name] = pd.array([None if v is None else number[v] for v in values], dtype="Int16")
            labels[c.name] = value_labels(schema, c.vocabulary)
        elif c.type == "date":
            data[c.name] = pd.to_datetime(pd.Series([v for v in values], dtype="object"))
            dates[c.name] = "td"
        elif c.type == "integer":
            data[c.name] = pd.array(values, dtype="Int64")
        elif c.type == "number":
            data[c.name] = np.array([np.nan if v is None else v for v in values], dtype="float64")
        elif c.type == "boolean":
            data[c.name] = pd.array([None if v is None else int(v) for v in values], dtype="Int8")
        else:
            text = ["" if v is None else str(v) for v in values]
            if max((len(t.encode("utf-8")) for t in text), default=0) > STR_LIMIT:
                strls.append(c.name)
            data[c.name] = pd.Series(text, dtype="object")
    return pd.DataFrame(data, columns=f.column_names), labels, dates, strls


def write_stata(schema: Schema, files: list[FlatFile], folder: Path, stamp: dt.datetime) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for f in files:
        frame, labels, dates, strls = stata_frame(schema, f)
        path = folder / f"{f.name}.dta"
        frame.to_stata(path, write_index=False, version=STATA_VERSION, convert_dates=dates, convert_strl=strls,
                       value_labels=labels, data_label=_label(f.title), time_stamp=stamp,
                       variable_labels={c.name: _label(c.description) for c in f.columns})
        written.append(path)
    return written
