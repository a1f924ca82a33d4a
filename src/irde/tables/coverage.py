"""Coverage summaries of the built tables: table sizes, meetings per year × level × mode, and the
sweep matrix of the coverage log (office pair × year: how thoroughly each cell was searched).

Shown by `irde info` and rendered into the README by `irde generate`, so the numbers a reader
sees always come from the committed tables.
"""

from __future__ import annotations

from pathlib import Path

LEVEL_GROUPS = {
    "supreme_leader": "head of state",
    "head_of_state": "head of state",
    "head_of_government": "head of government",
    "vice_president": "other minister",
    "speaker": "speaker",
    "foreign_minister": "foreign minister",
    "defence_minister": "defence & security",
    "security_council_secretary": "defence & security",
    "chief_of_general_staff": "defence & security",
    "service_chief": "defence & security",
}


def level_group(code: str) -> str:
    """Coarse level used in the coverage table; everything below the named offices is 'other minister' or 'deputy'."""
    if code in LEVEL_GROUPS:
        return LEVEL_GROUPS[code]
    return "deputy & envoy" if code in ("deputy_minister", "presidential_envoy", "deputy_speaker",
                                        "ambassador", "other_official") else "other minister"


def table_sizes_markdown(path: str | Path | None = None) -> str:
    import pyarrow.parquet as pq

    from irde.tables.loading import table_names
    from irde.paths import tables_dir

    folder = tables_dir(path)
    lines = ["| table | rows | description |", "|---|---:|---|"]
    for name in table_names(folder):
        meta = pq.read_metadata(folder / f"{name}.parquet")
        description = pq.read_schema(folder / f"{name}.parquet").metadata.get(b"description", b"").decode()
        lines.append(f"| `{name}` | {meta.num_rows} | {description.split('. ')[0].rstrip('.')}. |")
    return "\n".join(lines)


def coverage_table(meetings):
    """Meetings per year (rows) × level group and mode (columns), with totals."""
    import pandas as pd

    frame = pd.DataFrame({
        "year": meetings["start_date"].dt.year,
        "level": meetings["highest_level"].astype(str).map(level_group),
        "mode": meetings["mode"].astype(str),
    })
    table = frame.pivot_table(index="year", columns="level", values="mode", aggfunc="count", fill_value=0)
    order = ["head of state", "head of government", "speaker", "foreign minister", "defence & security",
             "other minister", "deputy & envoy"]
    table = table.reindex(columns=[c for c in order if c in table.columns])
    by_mode = frame.pivot_table(index="year", columns="mode", values="level", aggfunc="count", fill_value=0)
    by_mode = by_mode.reindex(columns=[m for m in ("in_person", "phone", "video") if m in by_mode.columns])
    combined = table.join(by_mode, how="outer").fillna(0).astype(int)
    combined["total"] = frame.groupby("year").size()
    combined.loc["all"] = combined.sum()
    return combined


def coverage_markdown(path: str | Path | None = None) -> str:
    from irde.tables.loading import load

    meetings = load("meetings", path)
    lines = ["Table sizes:", "", table_sizes_markdown(path), ""]
    if len(meetings) == 0:
        return "\n".join(lines + ["No meetings yet."])
    table = coverage_table(meetings)
    header = ["year", *[str(c).replace("_", " ") for c in table.columns]]
    lines += ["Meetings per year by highest level present and by mode:", "",
              "| " + " | ".join(header) + " |", "|" + "---|" + "---:|" * (len(header) - 1)]
    for year, row in table.iterrows():
        lines.append(f"| {year} | " + " | ".join(str(int(v)) for v in row.values) + " |")
    return "\n".join(lines + ["", sweep_markdown(path)])


SWEEP_SYMBOLS = {"complete": "●", "partial": "◐", "not_searched": "○"}
SWEEP_LEGEND = ("● complete (every month searched in English and in Persian or Russian), ◐ partial, "
                "○ not searched, — no log; the number is the meetings recorded for the pair that year.")


def sweep_matrix(coverage, office_pairs: list[str]):
    """Office pairs (rows, in vocabulary order) × years (columns): status symbol and meeting count."""
    import pandas as pd

    years = sorted(int(y) for y in coverage["year"].unique())
    cells = {(str(r.office_pair), int(r.year)): f"{SWEEP_SYMBOLS[str(r.sweep_status)]} {len(r.meeting_ids)}"
             for r in coverage.itertuples()}
    return pd.DataFrame([[cells.get((pair, year), "—") for year in years] for pair in office_pairs],
                        index=office_pairs, columns=years)


def sweep_markdown(path: str | Path | None = None) -> str:
    """The sweep matrix as Markdown with its legend, or a sentence saying no cell has been logged."""
    from irde.tables.loading import load, table_names

    if "coverage" not in table_names(path):
        return "No coverage log in these tables."
    coverage = load("coverage", path)
    if len(coverage) == 0:
        return "No office pair has been logged yet."
    pairs = list(coverage["office_pair"].cat.categories)
    matrix = sweep_matrix(coverage, pairs)
    lines = ["| office pair | " + " | ".join(str(y) for y in matrix.columns) + " |",
             "|---|" + ":---:|" * len(matrix.columns)]
    for pair, row in matrix.iterrows():
        lines.append(f"| {pair.replace('_', ' ')} | " + " | ".join(row.values) + " |")
    return "\n".join(["Searches logged per office pair and year (`dataset/coverage/`):", "", *lines, "",
                      SWEEP_LEGEND])


# The dated events of each table: (table, first-date column, last-date column, what the rows are).
EVENT_DATES = (
    ("meetings", "start_date", "end_date", "meetings"),
    ("agreements", "signed_date", "signed_date", "agreement signings"),
    ("allegation_statements", "statement_date", "statement_date", "statements about allegations"),
)


def event_spans(path: str | Path | None = None) -> dict[str, tuple]:
    """What -> (first date, last date) for each kind of dated event in the tables, and "all" for
    their union: the temporal coverage shown in the metadata and the README, never typed by hand."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from irde.paths import tables_dir

    folder = tables_dir(path)
    spans = {}
    for table, first, last, what in EVENT_DATES:
        data = pq.read_table(folder / f"{table}.parquet", columns=sorted({first, last}))
        if data.num_rows:
            spans[what] = (pc.min(data[first]).as_py(), pc.max(data[last]).as_py())
    if spans:
        spans["all"] = (min(s[0] for s in spans.values()), max(s[1] for s in spans.values()))
    return spans


def long_date(day) -> str:
    return f"{day.day} {day:%B %Y}"


def period_markdown(path: str | Path | None = None, spatial: str = "", released=None) -> str:
    """The README's coverage sentence: the dates each kind of event spans, where, and the release date."""
    spans = event_spans(path)
    if not spans:
        return "The tables hold no dated events yet."
    first, last = spans["all"]
    parts = [f"{what} on {long_date(a)}" if a == b else f"{what} from {long_date(a)} to {long_date(b)}"
             for what, (a, b) in spans.items() if what != "all"]
    text = (f"The tables cover events from {long_date(first)} to {long_date(last)}: "
            + ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] + ".")
    if spatial:
        text += f" Places: {' '.join(spatial.split())}"
    if released:
        text += f" This release is dated {long_date(released)}."
    return text
