"""Calendar days as moments: the city's local midnight, which date filters and week reports start from."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

# The dates a filter or a report may ask about: this system's records lie well inside them, and outside
# them date arithmetic (a day added to 9999-12-31, year 1 on SQLite) fails instead of answering.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)
# How far ahead a deadline or an extension may lie: a campaign cycle is at most two years.
DEADLINE_HORIZON = timedelta(days=2 * 366)


def day_start(day: date) -> datetime:
    """Midnight at the start of a calendar day in the city's time zone, aware."""
    return timezone.make_aware(datetime.combine(day, time.min))
