"""`irde validate`: runs the suites of `validation/suites/` against built tables with Great Expectations,
and reports every failure with its values and records (rendered by `irde.validation.report` as text,
`result.json` and a self-contained HTML page).

The suites are data (rendered by `irde.validation.suites`); this module gives their conventions a meaning:
it reads the tables, computes the derived `_columns`, explodes `NAME[]` list items, binds the
`$PARAMETER` value sets (the values without a match elsewhere), runs each part of a suite on the
frame it needs through one ephemeral Great Expectations context (no `gx/` folder, no ids written
anywhere, progress bars off), and points each failing row back at its YAML record when run inside
a checkout.

Boundary: this is the only module that imports Great Expectations, and nothing imports it except
the `validate` verb and the tests; `import irde` and every other verb stay free of it.
"""

from __future__ import annotations

import json
import math
import os
import sys
import warnings
from pathlib import Path
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # a no-op in GX 1.24; explicit all the same

import great_expectations as gx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.execution_engine import pandas_execution_engine  # noqa: E402

from irde.validation.report import (  # noqa: E402
    Failure,
    Outcome,
    Report,
    SuiteOutcome,
    report_html,
    result_json,
    text_lines,
)
from irde.validation.suites import BBOX_FILE, SUITES_DIR, expectation_columns  # noqa: E402

SHOWN_ROWS = 20  # failing rows kept per expectation in the report; the count is always complete


# -- inputs --------------------------------------------------------------------------------------

def load_suites(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(folder).glob("*.json"))]


def load_bboxes(path: Path) -> dict[str, dict[str, float]]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["countries"]


def _list_dtype(arrow_type: pa.DataType):
    return pd.ArrowDtype(arrow_type) if pa.types.is_list(arrow_type) else None


def table_frame(table: pa.Table) -> pd.DataFrame:
    """A table as the suites see it: codes as plain strings, dates as datetime.date, lists as Arrow lists.

    Arrow-backed lists convert and explode into items ten times faster than arrays of Python objects.
    """
    columns = [c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    return pa.Table.from_arrays(columns, names=table.column_names).to_pandas(types_mapper=_list_dtype)


def read_frames(folder: Path, names: list[str]) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The tables of `folder` by name, and a message for each one whose file is missing."""
    frames, missing = {}, {}
    for name in names:
        path = Path(folder) / f"{name}.parquet"
        if path.is_file():
            frames[name] = table_frame(pq.read_table(path))
        else:
            missing[name] = f"no file {path}"
    return frames, missing


# -- the suite conventions: derived columns, list items, value sets -----------------------------

def _where(frame: pd.DataFrame, where: dict | None) -> pd.DataFrame:
    for column, value in (where or {}).items():
        frame = frame[frame[column] == value]
    return frame


def _items(value: Any) -> list:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return []
    return list(value)


def _allegation_status(frame: pd.DataFrame, statements: pd.DataFrame, key: str) -> pd.Series:
    from irde.tables.derive import allegation_status

    by_key = {k: group.to_dict("records") for k, group in statements.groupby(key, sort=False)}
    return pd.Series([allegation_status(by_key.get(k, []), set(_items(s)) | set(_items(r)))
                      for k, s, r in zip(frame[key], frame["supplier_countries"], frame["recipient_countries"])],
                     index=frame.index, dtype=object)


def _strings(values: pd.Series) -> pa.Array:
    array = pa.array(values.astype(str))
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _codes(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Integer codes of values that sort like the values, and the sorted distinct values."""
    encoded = pc.dictionary_encode(values)
    order = pc.sort_indices(encoded.dictionary).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[encoded.indices.to_numpy()], encoded.dictionary.take(pa.array(order))


def _collect(keys: pd.Series, other: pd.DataFrame, key: str, value: str) -> np.ndarray:
    """For each of `keys`: the distinct `value`s of its rows in `other`, sorted and joined by ", ".

    Integer codes sorted by numpy and lists joined by Arrow: a pandas groupby with a Python join
    per group takes ten times as long on a million keys.
    """
    pairs = other[[key, value]].dropna()
    codes, distinct_keys = _codes(_strings(pairs[key]))
    values, distinct_values = _codes(_strings(pairs[value]))
    order = np.lexsort((values, codes))
    codes, values = codes[order], values[order]
    keep = np.r_[True, (codes[1:] != codes[:-1]) | (values[1:] != values[:-1])][:len(codes)]  # repeated pairs
    codes, values = codes[keep], values[keep]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]][:len(codes)])
    lists = pa.ListArray.from_arrays(pa.array(np.r_[starts, len(codes)].astype(np.int32)),
                                     distinct_values.take(pa.array(values)))
    joined = pc.binary_join(lists, pa.scalar(", ", distinct_values.type))
    found = pc.index_in(_strings(keys), value_set=distinct_keys.take(pa.array(codes[starts])))
    return joined.take(found).to_numpy(zero_copy_only=False)


def _cycles(keys: pd.Series, other: pd.DataFrame, key: str, value: str) -> list:
    """For each key, the loop its `value` links run into ("a -> b -> a"), or None; each row walked once."""
    links = {k: v for k, v in zip(other[key], other[value]) if isinstance(k, str) and isinstance(v, str)}
    loop_of: dict[str, str | None] = {}
    for start in links:
        path, node = [], start
        while node in links and node not in loop_of and node not in path:
            path.append(node)
            node = links[node]
        loop = None
        if node in path:
            cycle = path[path.index(node):]
            loop = " -> ".join(cycle + [node])
            for member in cycle:
                loop_of[member] = loop
        for member in path:
            loop_of.setdefault(member, None)
    return [loop_of.get(k) for k in keys]


def derive_column(spec: dict, frame: pd.DataFrame, frames: dict[str, pd.DataFrame],
                  bboxes: dict[str, dict[str, float]]) -> pd.Series:
    """One `_column` of a suite's `meta.derived` (the kinds are documented in validation/rules.yaml)."""
    kind = spec["kind"]
    if kind == "coalesce":
        return _coalesce(frame, spec["columns"])
    if kind == "missing_parent":
        return _missing_parent(frame)
    if kind == "agreement_status":
        return _agreement_status(frame, spec["columns"])
    if kind == "bbox":
        edges = pd.Series({country: box[spec["edge"]] for country, box in bboxes.items()}, dtype="float64")
        return pd.Series(edges.reindex(frame[spec["column"]]).to_numpy(), index=frame.index)
    key = spec["key"]
    other = _where(frames[spec["table"]], spec.get("where"))
    if kind == "collect":
        return pd.Series(_collect(frame[key], other, key, spec["value"]), index=frame.index, dtype=object)
    if kind == "min":
        return frame[key].map(other.dropna(subset=[spec["value"]]).groupby(key)[spec["value"]].min()).astype(object)
    if kind == "count":
        return frame[key].map(other.groupby(key).size()).fillna(0).astype("int64")
    if kind == "allegation_status":
        return _allegation_status(frame, other, key)
    if kind == "cycle":
        return pd.Series(_cycles(frame[key], other, key, spec["value"]), index=frame.index, dtype=object)
    raise ValueError(f"unknown derived column kind {kind!r}")


def value_set(spec: dict, frames: dict[str, pd.DataFrame]) -> list:
    """The values of a column (or of a list's items) that have no match in the `missing_from` column."""
    column, reference = spec["column"].removesuffix("[]"), spec["missing_from"]
    frame, other = frames.get(spec["table"]), frames.get(reference["table"])
    if frame is None or column not in frame:
        return []  # the suite of the table reports the missing table or column itself
    values = frame[column].explode() if spec["column"].endswith("[]") else frame[column]
    values = _strings(values.dropna())
    if other is not None and reference["column"] in other:
        # In Arrow: pandas' isin on Arrow-backed strings loops over its argument in Python.
        known = _strings(_where(other, reference.get("where"))[reference["column"]].dropna())
        values = values.filter(pc.invert(pc.is_in(values, value_set=known)))
    return pc.unique(values).to_pylist()


def _view(expectation: dict) -> str:
    columns = expectation_columns(expectation)
    if any(c.endswith("[]") for c in columns):
        return "items"
    return "derived" if any(c.startswith("_") for c in columns) else "table"


def _coalesce(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    out = pd.Series(None, index=frame.index, dtype=object)
    for column in reversed(columns):
        values = frame[column].astype(object)
        out = values.where(values.notna(), out)
    return out


def _missing_parent(frame: pd.DataFrame) -> pd.Series:
    """The meeting_id of each bilateral meeting in a forum with neither a parent nor a declared reason."""
    unexplained = ((frame["format"].astype(object) == "bilateral") & frame["forum"].notna()
                   & frame["parent_meeting_id"].isna() & frame["no_parent_reason"].isna())
    return frame["meeting_id"].astype(object).where(unexplained, None)


def _agreement_status(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    from irde.tables.derive import agreement_status

    rows = frame[columns].astype(object).where(frame[columns].notna(), None).to_dict("records")
    return pd.Series([agreement_status(r) for r in rows], index=frame.index, dtype=object)


def _items_frame(frame: pd.DataFrame, key: list[str], names: list[str]) -> pd.DataFrame:
    """One row per list item: the key columns and, for the list it came from, the item in `NAME[]`."""
    parts = [frame[key + [name[:-2]]].explode(name[:-2]).dropna(subset=[name[:-2]])
             .rename(columns={name[:-2]: name}) for name in names if name[:-2] in frame]
    return pd.concat(parts, ignore_index=True) if parts else frame[key].iloc[:0]


def _view_frame(view: str, expectations: list[dict], suite: dict, frames: dict[str, pd.DataFrame],
                bboxes: dict) -> pd.DataFrame:
    frame = frames[suite["name"]]
    key = [k for k in suite["meta"]["key"] if k in frame]
    if view == "items":
        names = sorted({c for e in expectations for c in expectation_columns(e) if c.endswith("[]")})
        return _items_frame(frame, key, names)
    if view == "table":
        return frame
    # Only what the rules read: Great Expectations handles every column of the frames it is given.
    read = {c for e in expectations for c in expectation_columns(e)} | {
        spec[k] for spec in suite["meta"]["derived"].values() for k in ("key", "column") if k in spec} | {
        c for spec in suite["meta"]["derived"].values() for c in spec.get("columns", [])}
    read |= {"supplier_countries", "recipient_countries"} if any(
        s["kind"] == "allegation_status" for s in suite["meta"]["derived"].values()) else set()
    frame = frame[key + [c for c in frame.columns if c in read and c not in key]].copy()
    for name, spec in suite["meta"]["derived"].items():
        try:
            frame[name] = derive_column(spec, frame, frames, bboxes)
        except (KeyError, TypeError, ValueError):
            # A table too broken to derive from (a column missing, a date missing where rows are
            # ordered by date): the rules reading `name` then fail as "column not found" beside
            # the expectation that names the cause.
            pass
    return frame


def suite_inputs(suite: dict, frames: dict[str, pd.DataFrame], bboxes: dict,
                 reference_date: str) -> list[tuple[list[dict], pd.DataFrame, dict]]:
    """The parts of a suite as they run: expectations that share a frame, the frame, the parameters."""
    parameters = {p: value_set(spec, frames) for p, spec in suite["meta"]["value_sets"].items()}
    parameters["reference_date"] = reference_date
    by_view: dict[str, list[dict]] = {}
    for expectation in suite["expectations"]:
        by_view.setdefault(_view(expectation), []).append(expectation)
    return [(expectations, _view_frame(view, expectations, suite, frames, bboxes), parameters)
            for view, expectations in by_view.items()]


# -- running -------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """A JSON- and text-friendly form of a value from a frame or a result."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        value = value.tolist() if hasattr(value, "tolist") else value
        return [_plain(v) for v in value] if isinstance(value, list) else _plain(value)
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _exception_message(info: dict | None) -> str | None:
    """GX reports an exception either directly or per metric; the first message is enough."""
    if not info:
        return None
    if "raised_exception" in info:
        return info.get("exception_message") if info["raised_exception"] else None
    for entry in info.values():
        message = _exception_message(entry) if isinstance(entry, dict) else None
        if message:
            return message
    return None


def _outcome(expectation: dict, result, key: list[str]) -> Outcome:
    r = result.result or {}
    columns = expectation_columns(expectation)
    outcome = Outcome(expectation["meta"]["id"], expectation["meta"]["description"], expectation["type"],
                      expectation["kwargs"], bool(result.success), r.get("element_count"),
                      r.get("unexpected_count"), _plain(r.get("observed_value")),
                      _exception_message(result.exception_info))
    if outcome.success:
        return outcome
    if "details" in r:
        outcome.observed = {"observed": outcome.observed, "details": _plain(r["details"])}
    rows = r.get("partial_unexpected_index_list")
    if rows:
        for row in rows:
            row = _plain(dict(row))
            outcome.failures.append(Failure({c: row.get(c) for c in columns if c in row},
                                            {k: row.get(k) for k in key if k in row}))
    else:
        outcome.failures = [Failure({"value": _plain(v)}, {}) for v in r.get("partial_unexpected_list") or []]
    return outcome


def _frame_label(frame: pd.DataFrame) -> str:
    return f"frame-{id(frame)}-{frame.shape[0]}x{frame.shape[1]}"


class Validator:
    """One ephemeral Great Expectations context, reused for every suite and every run."""

    def __init__(self) -> None:
        # GX fingerprints every frame it validates by hashing each cell (by pickling the whole frame
        # when a cell is a list), twice per run: two thirds of the time on a million rows. The
        # fingerprint is only a label in batch results, which we do not keep.
        pandas_execution_engine.hash_pandas_dataframe = _frame_label
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.batches = (self.context.data_sources.add_pandas("irde")
                        .add_dataframe_asset("table").add_batch_definition_whole_dataframe("whole"))

    def _run(self, expectations: list[dict], frame: pd.DataFrame, parameters: dict, result_format: dict) -> list:
        suite = gx.ExpectationSuite(name="irde", expectations=json.loads(json.dumps(expectations)))
        batch = self.batches.get_batch(batch_parameters={"dataframe": frame})
        with warnings.catch_warnings():
            # GX matches regexes with pandas' str.contains, which warns about the groups in our
            # (anchored) patterns although it only tests for a match.
            warnings.filterwarnings("ignore", "This pattern is interpreted as a regular expression", UserWarning)
            return batch.validate(suite, expectation_parameters=parameters, result_format=result_format).results

    def run(self, expectations: list[dict], frame: pd.DataFrame, parameters: dict, key: list[str],
            details: bool = True) -> dict[str, Outcome]:
        """Run expectations on one frame; with `details`, failing ones run again to collect their rows.

        The first pass only asks pass or fail, which costs Great Expectations about half as much
        as collecting failing rows and indices for every expectation.
        """
        by_id = {e["meta"]["id"]: e for e in expectations}
        results = self._run(expectations, frame, parameters, {"result_format": "BOOLEAN_ONLY"})
        failed = [by_id[r.expectation_config.meta["id"]] for r in results if not r.success]
        if details and failed:
            results += self._run(failed, frame, parameters, {
                "result_format": "SUMMARY", "partial_unexpected_count": SHOWN_ROWS,
                "unexpected_index_column_names": [k for k in key if k in frame]})
        # A detailed result comes after the first one and replaces it.
        return {r.expectation_config.meta["id"]: _outcome(by_id[r.expectation_config.meta["id"]], r, key)
                for r in results}

    def run_suite(self, suite: dict, frames: dict[str, pd.DataFrame], bboxes: dict, reference_date: str,
                  details: bool = True) -> SuiteOutcome:
        name, key = suite["name"], suite["meta"]["key"]
        if name not in frames:
            return SuiteOutcome(name, key, [], missing=f"table {name} is missing")
        outcomes: dict[str, Outcome] = {}
        for expectations, frame, parameters in suite_inputs(suite, frames, bboxes, reference_date):
            outcomes.update(self.run(expectations, frame, parameters, key, details))
        return SuiteOutcome(name, key, [outcomes[e["meta"]["id"]] for e in suite["expectations"]])

    def validate(self, frames: dict[str, pd.DataFrame], suites: list[dict], bboxes: dict,
                 reference_date: str, tables_dir: str = "", missing: dict[str, str] | None = None) -> Report:
        outcomes = []
        for suite in suites:
            outcome = self.run_suite(suite, frames, bboxes, reference_date)
            if missing and suite["name"] in missing:
                outcome.missing = missing[suite["name"]]
            outcomes.append(outcome)
        return Report(tables_dir, reference_date, outcomes)


def attach_origins(report: Report, root: Path) -> None:
    """Add the YAML file and line of each failing record, from the checkout's records."""
    from irde.curation.records import collect
    from irde.schema.model import load_schema

    schema = load_schema(root / "schema")
    collection = collect(schema, root / "dataset" / "records", display_base=root)
    for suite in report.suites:
        for outcome in suite.failed:
            for failure in outcome.failures:
                if len(failure.record) != len(suite.key):
                    continue
                origin = collection.origin_of(suite.name, tuple(failure.record[k] for k in suite.key))
                if origin is not None:
                    lines = [origin.locate(c.removesuffix("[]"))[0] for c in failure.values]
                    failure.origin = f"{origin.path}:{min(lines, default=origin.line)}"


def _shown(path: Path) -> str:
    """A path relative to the working directory when it lies inside it, else as given."""
    path = Path(path).absolute()
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def main(tables_dir: Path, root: Path, out_dir: Path) -> int:
    """The `irde validate` verb: validate, print, write result.json and report.html; 1 on any failure."""
    from irde.curation.problems import reference_date

    suites = load_suites(root / SUITES_DIR)
    frames, missing = read_frames(tables_dir, [s["name"] for s in suites])
    shown_dir = _shown(tables_dir)
    report = Validator().validate(frames, suites, load_bboxes(root / BBOX_FILE), reference_date().isoformat(),
                                  shown_dir, missing)
    if not report.success and (root / "dataset" / "records").is_dir():
        attach_origins(report, root)
    for line in text_lines(report, suites):
        print(line)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "result.json").write_text(result_json(report, gx.__version__), encoding="utf-8")
    (out_dir / "report.html").write_text(report_html(report, suites, gx.__version__), encoding="utf-8")
    total = sum(len(s.outcomes) for s in report.suites)
    failed = sum(len(s.failed) for s in report.suites)
    missing = sum(1 for s in report.suites if s.missing)
    verdict = f"all {total} expectations passed" if report.success else f"{failed} of {total} expectations failed" + (
        f", {missing} table(s) missing" if missing else "")
    print(f"irde validate: {shown_dir}: {verdict} in {len(suites)} suites; report: "
          f"{_shown(out_dir / 'report.html')}", file=sys.stderr)
    return 0 if report.success else 1
