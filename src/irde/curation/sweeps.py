"""Rules of the coverage log (`dataset/coverage/YEAR/OFFICE_PAIR.yaml`): each cell's file sits where
its year and office pair say, its meetings belong to that year, and its `sweep_status` is the one
the logged queries give by the rule of the sweep_status vocabulary.

The status is curated and checked rather than derived, so a curator states the claim ("this year
is complete") and `irde check` proves it from the queries; `months_covered` is the rule itself,
shared with the build's derived columns.
"""

from __future__ import annotations

from typing import Any, Iterable

from irde.curation.problems import Collection, add_problem

ENGLISH = ("en",)
PERSIAN_OR_RUSSIAN = ("fa", "ru")
ALL_MONTHS = frozenset(range(1, 13))


def months_covered(queries: Iterable[dict[str, Any]], languages: tuple[str, ...]) -> set[int]:
    """The months named by at least one query in one of `languages`."""
    return {m for q in queries if q.get("query_language") in languages for m in (q.get("months_named") or [])}


def sweep_status(queries: list[dict[str, Any]]) -> str:
    """complete, partial or not_searched, by the rule of the sweep_status vocabulary."""
    if not queries:
        return "not_searched"
    if months_covered(queries, ENGLISH) >= ALL_MONTHS and months_covered(queries, PERSIAN_OR_RUSSIAN) >= ALL_MONTHS:
        return "complete"
    return "partial"


def _months(months: set[int]) -> str:
    return ", ".join(str(m) for m in sorted(months))


def check_sweeps(collection: Collection) -> None:
    rows, origins = collection.rows, collection.origins
    queries: dict[str, list[dict[str, Any]]] = {}
    for query in rows["coverage_queries"]:
        queries.setdefault(query["cell_id"], []).append(query)
    meeting_dates = {m["meeting_id"]: m.get("start_date") for m in rows["meetings"] if m.get("meeting_id")}
    for row, origin in zip(rows["coverage"], origins["coverage"]):
        folder, _, stem = row["cell_id"].partition("/")
        if row.get("year") is not None and str(row["year"]) != folder:
            add_problem(collection, origin, "year", f"{row['year']} differs from the folder {folder}/")
        if row.get("office_pair") and row["office_pair"] != stem:
            add_problem(collection, origin, "office_pair", f"{row['office_pair']!r} differs from the file name {stem!r}")
        cell_queries = queries.get(row["cell_id"], [])
        given, computed = row.get("sweep_status"), sweep_status(cell_queries)
        if given and origin.usable("queries") and given != computed:
            detail = ""
            if given == "complete":
                gaps = [f"months {_months(ALL_MONTHS - months_covered(cell_queries, langs))} have no {what} query"
                        for langs, what in ((ENGLISH, "English"), (PERSIAN_OR_RUSSIAN, "Persian or Russian"))
                        if not months_covered(cell_queries, langs) >= ALL_MONTHS]
                detail = f" ({'; '.join(gaps)})"
            add_problem(collection, origin, "sweep_status",
                        f"{given!r} does not follow from the {len(cell_queries)} quer{'y' if len(cell_queries) == 1 else 'ies'}"
                        f" logged, which make it"
                        f" {computed!r}{detail}")
        listed = row.get("meeting_ids") or []
        for meeting_id in listed:
            date = meeting_dates.get(meeting_id)
            if date is not None and row.get("year") is not None and date.year != row["year"]:
                add_problem(collection, origin, "meeting_ids", f"{meeting_id!r} is dated {date}, not in {row['year']}")
        for meeting_id in row.get("meeting_ids_added") or []:
            if meeting_id not in listed:
                add_problem(collection, origin, "meeting_ids_added", f"{meeting_id!r} is not listed in meeting_ids")
