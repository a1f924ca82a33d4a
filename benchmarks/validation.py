"""Benchmark: the meetings and participants suites run by Great Expectations, against the same checks
compiled to DuckDB SQL, on synthetic tables of 10,000, 100,000 and 1,000,000 meetings.

Goals: the full validation of the real dataset, process start included, under 15 s on 2 cores;
1 M meetings under 10 s. The synthetic tables pass every check (two participants per meeting, one
source each, unique participant pairs); row-count bounds are set to the synthetic sizes. "GX" is
what `irde validate` does from Arrow tables: conversion to pandas, derived columns, list items,
value sets and the Great Expectations runs; "DuckDB" runs one SQL query per expectation of the
same suite JSON, on the same Arrow tables. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/validation.py [--sizes 10000 100000 1000000] [--skip-cli]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("meetings", "participants")
REFERENCE_DATE = "2026-11-29"
PEOPLE_PER_SIDE = 1000  # participant pairs (i mod 1000, i div 1000 mod 1000) are unique up to 1 M meetings


def synthesize(schema, n: int) -> dict[str, pa.Table]:
    """Valid meetings, participants, persons and meeting_sources for n meetings."""
    from irde.schema.arrow import arrow_schema
    from irde.tables.derive import meeting_event_codes

    rng = np.random.default_rng(0)
    k = np.arange(n)
    start = np.datetime64("2015-01-01") + rng.integers(0, 3650, n).astype("timedelta64[D]")
    ids = [f"{d}-m{i}" for d, i in zip(start.astype(str), k)]
    phone = k % 3 == 2
    host = np.where(phone, None, np.where(k % 2 == 0, "RUS", "IRN"))
    place = {"RUS": ("Moscow", 524901, 55.75222, 37.61556), "IRN": ("Tehran", 112931, 35.69439, 51.42151)}
    city = [place[h][0] if h else None for h in host]

    def at(index: int) -> list:
        return [place[h][index] if h else None for h in host]

    codes = [meeting_event_codes("phone" if p else "in_person", "bilateral", h) for p, h in zip(phone, host)]
    meetings = {
        "meeting_id": ids, "title": [f"Synthetic meeting {i}" for i in k], "start_date": start, "end_date": start,
        "date_precision": ["day"] * n, "mode": np.where(phone, "phone", "in_person"), "format": ["bilateral"] * n,
        "forum": [None] * n, "parent_meeting_id": [None] * n, "host_country": host, "city": city,
        "countries_present": [["IRN", "RUS"]] * n, "topics": [["energy", "security"]] * n,
        "summary": ["A synthetic meeting for the validation benchmark."] * n, "note": [None] * n,
        "highest_level": ["foreign_minister"] * n, "geonames_id": at(1), "latitude": at(2), "longitude": at(3),
        "location_precision": np.where(phone, "not_applicable", "city"),
        "plover_event_type": [c[0] for c in codes], "plover_mode": [c[1] for c in codes],
        "cameo_code": [c[2] for c in codes], "independent_source_count": np.ones(n, dtype="int64")}
    persons = [f"irn-{i}" for i in range(PEOPLE_PER_SIDE)] + [f"rus-{i}" for i in range(PEOPLE_PER_SIDE)]
    participants = {
        "meeting_id": ids + ids,
        "person_id": [f"irn-{i % PEOPLE_PER_SIDE}" for i in k] + [f"rus-{i // PEOPLE_PER_SIDE % PEOPLE_PER_SIDE}"
                                                                   for i in k],
        "delegation": ["IRN"] * n + ["RUS"] * n, "role_title": ["Minister of Foreign Affairs"] * (2 * n),
        "role_code": ["foreign_minister"] * (2 * n), "is_head_of_delegation": [True] * (2 * n)}
    columns = {"meetings": meetings, "participants": participants,
               "persons": {"person_id": persons}, "meeting_sources": {"meeting_id": ids}}
    out = {}
    for name, data in columns.items():
        target = arrow_schema(schema, schema.table(name))
        out[name] = pa.table({f.name: pa.array(list(data[f.name]) if pa.types.is_dictionary(f.type) else data[f.name],
                                              type=f.type) for f in target if f.name in data})
    return out


def suites_for(n: int) -> list[dict]:
    from irde.validation.suites import SUITES_DIR

    suites = [json.loads((ROOT / SUITES_DIR / f"{name}.json").read_text()) for name in TABLES]
    for suite in suites:
        for e in suite["expectations"]:
            if e["type"] == "expect_table_row_count_to_be_between":
                rows = n if suite["name"] == "meetings" else 2 * n
                e["kwargs"] = {"min_value": rows, "max_value": rows}
    return suites


# -- the same checks in DuckDB --------------------------------------------------------------------

def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _derived_sql(suite: dict) -> str:
    """A view of the table with the suite's derived columns (the kinds the two suites use)."""
    name, joins, selects = suite["name"], [], [f"{_q(suite['name'])}.*"]
    for i, (column, spec) in enumerate(suite["meta"]["derived"].items()):
        if spec["kind"] == "collect":
            joins.append(f"LEFT JOIN (SELECT {_q(spec['key'])}, string_agg(DISTINCT {_q(spec['value'])}, ', ' "
                         f"ORDER BY {_q(spec['value'])}) AS v FROM {_q(spec['table'])} GROUP BY 1) d{i} "
                         f"ON d{i}.{_q(spec['key'])} = {_q(name)}.{_q(spec['key'])}")
            selects.append(f"d{i}.v AS {_q(column)}")
        elif spec["kind"] == "bbox":
            joins.append(f"LEFT JOIN bboxes d{i} ON d{i}.country = {_q(name)}.{_q(spec['column'])}")
            selects.append(f"d{i}.{spec['edge']} AS {_q(column)}")
        else:
            raise NotImplementedError(spec["kind"])
    return f"SELECT {', '.join(selects)} FROM {_q(name)} {' '.join(joins)}"


def _source(suite: dict, columns: list[str]) -> str:
    if any(c.endswith("[]") for c in columns):
        key = ", ".join(_q(k) for k in suite["meta"]["key"])
        column = next(c for c in columns if c.endswith("[]"))
        return f"(SELECT {key}, unnest({_q(column[:-2])}) AS {_q(column)} FROM {_q(suite['name'])})"
    if any(c.startswith("_") for c in columns):
        return f"({_derived_sql(suite)})"
    return _q(suite["name"])


def _literal(value) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def violations(con, suite: dict, e: dict) -> int:
    """Rows (or 1 for a table-level check) that break one expectation."""
    from irde.validation.suites import expectation_columns

    kind, kw = e["type"], e["kwargs"]
    columns = expectation_columns(e)
    src = _source(suite, columns)
    c = _q(kw["column"]) if "column" in kw else None
    if kind == "expect_table_columns_to_match_ordered_list":
        return int(con.table(suite["name"]).columns != kw["column_list"])
    if kind == "expect_table_row_count_to_be_between":
        rows = con.execute(f"SELECT count(*) FROM {src}").fetchone()[0]
        return int(not kw["min_value"] <= rows <= kw["max_value"])
    if kind == "expect_compound_columns_to_be_unique":
        cols = ", ".join(_q(x) for x in kw["column_list"])
        where = f"WHERE {c} IS NOT NULL" if c else ""
        return con.execute(f"SELECT coalesce(sum(n), 0) FROM (SELECT count(*) n FROM {src} {where} GROUP BY {cols} "
                       "HAVING n > 1)").fetchone()[0]
    if kind == "expect_column_values_to_be_unique":
        return con.execute(f"SELECT count({c}) - count(DISTINCT {c}) FROM {src}").fetchone()[0]
    if kind == "expect_column_values_to_not_be_null":
        condition = f"{c} IS NULL"
    elif kind == "expect_column_values_to_not_be_in_set":  # "has a match in" (see irde.validation.suites)
        spec = suite["meta"]["value_sets"][kw["value_set"]["$PARAMETER"]]["missing_from"]
        where = " AND ".join(f"{_q(k)} = {_literal(v)}" for k, v in (spec.get("where") or {}).items()) or "true"
        condition = (f"{c} IS NOT NULL AND {c} NOT IN (SELECT {_q(spec['column'])} FROM {_q(spec['table'])} "
                     f"WHERE {where})")
    elif kind == "expect_column_values_to_be_in_set":
        condition = f"{c} IS NOT NULL AND NOT list_contains([{', '.join(map(_literal, kw['value_set']))}], {c})"
    elif kind == "expect_column_values_to_match_regex":
        condition = f"{c} IS NOT NULL AND NOT regexp_matches({c}, {_literal(kw['regex'])})"
    elif kind in ("expect_column_values_to_be_between", "expect_column_value_lengths_to_be_between"):
        value = f"length({c})" if "lengths" in kind else c
        bounds = []
        for op, key in ((">=", "min_value"), ("<=", "max_value")):
            bound = kw.get(key)
            if isinstance(bound, dict):
                bound = f"DATE '{REFERENCE_DATE}'"
            elif isinstance(bound, str):
                bound = f"DATE '{bound}'"
            if bound is not None:
                bounds.append(f"{value} {op} {bound}")
        condition = f"{c} IS NOT NULL AND NOT ({' AND '.join(bounds)})"
    elif kind == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = _q(kw["column_A"]), _q(kw["column_B"])
        condition = f"{a} IS NOT NULL AND {b} IS NOT NULL AND {a} {'<' if kw.get('or_equal') else '<='} {b}"
    else:
        raise NotImplementedError(kind)
    return con.execute(f"SELECT count(*) FROM {src} WHERE {condition}").fetchone()[0]


def duckdb_checks(tables: dict[str, pa.Table], suites: list[dict], bboxes: dict) -> int:
    import duckdb

    con = duckdb.connect()
    for name, table in tables.items():
        con.register(name, table)
    con.register("bboxes", pa.Table.from_pylist([{"country": c, **b} for c, b in bboxes.items()]))
    return sum(violations(con, s, e) > 0 for s in suites for e in s["expectations"])


def gx_checks(validator, tables: dict[str, pa.Table], suites: list[dict], bboxes: dict) -> int:
    from irde.validation.runner import table_frame

    frames = {name: table_frame(t) for name, t in tables.items()}
    return sum(len(validator.run_suite(s, frames, bboxes, REFERENCE_DATE).failed) for s in suites)


def cli_seconds() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "irde.cli", "validate", "--out", str(ROOT / "build" / "validation")],
                   cwd=ROOT, check=False, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--skip-cli", action="store_true", help="skip timing `irde validate` on the real tables")
    args = parser.parse_args()
    if not args.skip_cli:
        print(f"irde validate on dataset/parquet, process start included: {cli_seconds():.1f} s")
    start = time.perf_counter()
    from irde.schema.model import load_schema
    from irde.validation.suites import BBOX_FILE
    from irde.validation.runner import Validator, load_bboxes

    validator = Validator()
    print(f"import Great Expectations + context: {time.perf_counter() - start:.1f} s (once per process)")
    schema, bboxes = load_schema(ROOT / "schema"), load_bboxes(ROOT / BBOX_FILE)
    print(f"{'meetings':>10}{'participants':>14}{'expectations':>14}{'GX':>10}{'DuckDB':>10}{'ratio':>8}{'failed':>8}")
    for n in args.sizes:
        tables, suites = synthesize(schema, n), suites_for(n)
        expectations = sum(len(s["expectations"]) for s in suites)
        start = time.perf_counter()
        gx_failed = gx_checks(validator, tables, suites, bboxes)
        gx_seconds = time.perf_counter() - start
        start = time.perf_counter()
        sql_failed = duckdb_checks(tables, suites, bboxes)
        sql_seconds = time.perf_counter() - start
        failed = f"{gx_failed}/{sql_failed}"
        print(f"{n:>10,}{tables['participants'].num_rows:>14,}{expectations:>14}{gx_seconds:>9.2f}s"
              f"{sql_seconds:>9.2f}s{gx_seconds / sql_seconds:>7.1f}x{failed:>8}", flush=True)


if __name__ == "__main__":
    main()
