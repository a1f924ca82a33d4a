"""Date ranges: the earliest and latest day an event can have taken place, from a stored date and its
precision (the UCDP/ACLED practice of date_start/date_end instead of a single placeholder date).

A date known to the month is stored as the 1st and one known to the year as 1 January
(`date_precision`); analysis must order and compare on the range this module derives, never on the
placeholder. Pure functions over `datetime.date`; the build (`irde.tables.derive`) applies them.
"""

from __future__ import annotations

import calendar
import datetime as dt


def period_end(day: dt.date, precision: str) -> dt.date:
    """The last day of the period a stored date stands for: itself, its month or its year."""
    if precision == "year":
        return dt.date(day.year, 12, 31)
    if precision == "month":
        return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def date_range(start: dt.date, precision: str, end: dt.date | None = None,
               not_before: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(date_earliest, date_latest) of an event stored as `start` (and `end`) at `precision`.

    `not_before` is a day the event is known not to precede (a statement answers the claim it
    follows); it narrows the range only where it falls inside it, so that a wrong date shows up as
    a check problem rather than an inverted range.
    """
    earliest = start
    latest = period_end(max(start, end or start), precision)
    if not_before is not None and earliest < not_before <= latest:
        earliest = not_before
    return earliest, latest
