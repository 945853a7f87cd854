"""Working time: which days are worked, and deadlines counted in working hours or working days.

A day is worked when it is Monday–Friday and not 放假, or when it is a 调休上班 weekend day; within a worked
day only the WORKING_HOURS periods count. The CalendarDay table is small (a few dozen rows a year), so each
process keeps it in memory, tagged with a version token kept in Django's cache, and reloads it when the token
changes. Saving or deleting a CalendarDay replaces the token once its transaction commits. With REDIS_URL set
the cache is shared, so every process sees the change on its next calculation; the local-memory cache only
reaches the process that made the change.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from apps.calendars.models import CalendarDay, DayKind, DeadlineUnit

VERSION_KEY = "calendars:version"
ONE_DAY = timedelta(days=1)
ONE_MINUTE = timedelta(minutes=1)
_PERIOD = re.compile(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")


class Period(NamedTuple):
    """One stretch of working time within a day, such as 08:30–12:00."""

    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def length(self) -> timedelta:
        """How long the period lasts."""
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)


def parse_working_hours(values: Sequence[str]) -> tuple[Period, ...]:
    """Parse WORKING_HOURS values ("08:30-12:00") into sorted periods; ImproperlyConfigured if malformed."""
    periods = sorted(_parse_period(value) for value in values)
    if not periods:
        raise ImproperlyConfigured("WORKING_HOURS is empty; give at least one period such as 08:30-12:00.")
    for before, after in pairwise(periods):
        if after.start < before.end:
            raise ImproperlyConfigured(f"WORKING_HOURS: the periods {before} and {after} overlap.")
    return tuple(periods)


def _parse_period(value: str) -> Period:
    """One HH:MM-HH:MM period that ends after it starts, within one day."""
    match = _PERIOD.fullmatch(value.replace(" ", ""))
    try:
        if match is None:
            raise ValueError(value)
        start_h, start_m, end_h, end_m = (int(part) for part in match.groups())
        period = Period(time(start_h, start_m), time(end_h, end_m))
    except ValueError:
        raise ImproperlyConfigured(
            f"WORKING_HOURS: {value!r} is not a period such as 08:30-12:00 "
            "(24-hour HH:MM-HH:MM, periods separated by commas)."
        ) from None
    if period.end <= period.start:
        raise ImproperlyConfigured(f"WORKING_HOURS: {value!r} does not end after it starts.")
    return period


@lru_cache(maxsize=8)
def _parsed(values: tuple[str, ...]) -> tuple[Period, ...]:
    return parse_working_hours(values)


def working_periods() -> tuple[Period, ...]:
    """The working periods of a worked day, from settings.WORKING_HOURS (parsed once per distinct value)."""
    return _parsed(tuple(settings.WORKING_HOURS))


@dataclass(frozen=True)
class WorkCalendar:
    """Working-time arithmetic over a snapshot of the calendar table and the working periods."""

    overrides: Mapping[date, bool]  # the listed dates: True for 调休上班, False for 放假
    periods: tuple[Period, ...]

    @property
    def day_length(self) -> timedelta:
        """Working time in one worked day (7 h 30 min with the default hours)."""
        return sum((period.length for period in self.periods), timedelta())

    def is_workday(self, day: date) -> bool:
        """True when the day is worked."""
        return self.overrides.get(day, day.weekday() < 5)

    def spans(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """The day's working periods as aware datetimes in the current time zone; none on a rest day."""
        if not self.is_workday(day):
            return
        zone = timezone.get_current_timezone()
        for period in self.periods:
            yield datetime.combine(day, period.start, zone), datetime.combine(day, period.end, zone)

    def add(self, start: datetime, work: timedelta) -> datetime:
        """The moment `work` of working time after `start`; work running out at closing time ends there."""
        if work < timedelta():
            raise ValueError("Working time to add cannot be negative.")
        cursor = timezone.localtime(start)
        if not work:
            return cursor
        day, first_day = cursor.date(), True
        while True:
            if not first_day and work > self.day_length and self.is_workday(day):
                work -= self.day_length  # a whole worked day, skipped without walking its periods
            else:
                for opens, closes in self.spans(day):
                    opens = max(opens, cursor)
                    if opens < closes:
                        if work <= closes - opens:
                            return opens + work
                        work -= closes - opens
            day, first_day = day + ONE_DAY, False

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end); nothing when end is not after start."""
        start, end = timezone.localtime(start), timezone.localtime(end)
        total = timedelta()
        if end <= start:
            return total
        day = start.date()
        while day <= end.date():
            if start.date() < day < end.date():
                total += self.day_length if self.is_workday(day) else timedelta()
            else:
                for opens, closes in self.spans(day):
                    total += max(min(closes, end) - max(opens, start), timedelta())
            day += ONE_DAY
        return total


_snapshot: tuple[str, dict[date, bool]] | None = None


def work_calendar() -> WorkCalendar:
    """The working calendar as of the last committed CalendarDay change; the table is read once per change."""
    global _snapshot  # the per-process copy, replaced whole so a concurrent reader never sees half of it
    token = _version()  # read before the table: a change committed meanwhile leaves a newer token behind
    snapshot = _snapshot
    if snapshot is None or snapshot[0] != token:
        rows = CalendarDay.objects.values_list("date", "kind")
        snapshot = _snapshot = (token, {day: kind == DayKind.WORKDAY for day, kind in rows})
    return WorkCalendar(overrides=snapshot[1], periods=working_periods())


def _version() -> str:
    """The current version token, creating one when the cache has none (first use, cleared, evicted)."""
    fresh = uuid.uuid4().hex
    if cache.add(VERSION_KEY, fresh, timeout=None):
        return fresh
    return str(cache.get(VERSION_KEY) or fresh)


def calendar_changed() -> None:
    """Make every process reload the calendar table before its next calculation."""
    # A random token, not a counter: a counter restarting after a cache flush could match a stale copy.
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def on_calendar_day_change(sender: type[CalendarDay], *, using: str, **kwargs: Any) -> None:
    """post_save/post_delete receiver: announce the change once it is committed."""
    # Not before: another process could reload the old rows in between and keep them under the new token.
    transaction.on_commit(calendar_changed, using=using)


def is_workday(day: date) -> bool:
    """True when `day` is worked: Monday–Friday and not 放假, or a 调休上班 weekend day."""
    return work_calendar().is_workday(day)


def add_work_time(start: datetime, minutes: int) -> datetime:
    """The moment `minutes` working minutes after `start`, aware, in the current time zone."""
    return work_calendar().add(start, minutes * ONE_MINUTE)


def work_minutes_between(start: datetime, end: datetime) -> int:
    """Whole working minutes in [start, end); 0 when end is not after start."""
    return work_calendar().between(start, end) // ONE_MINUTE


def deadline_after(start: datetime, value: int, unit: str) -> datetime:
    """The deadline `value` units after `start`; unit is a DeadlineUnit: work_hour, work_day, day or hour."""
    if value < 0:
        raise ValueError("A deadline cannot lie before its start.")
    calendar = work_calendar()
    if unit == DeadlineUnit.WORK_HOUR:
        return calendar.add(start, value * timedelta(hours=1))
    if unit == DeadlineUnit.WORK_DAY:
        return calendar.add(start, value * calendar.day_length)
    if unit == DeadlineUnit.DAY:
        return timezone.localtime(start) + value * ONE_DAY
    if unit == DeadlineUnit.HOUR:
        return timezone.localtime(start) + value * timedelta(hours=1)
    raise ValueError(f"Unknown deadline unit {unit!r}; use one of {', '.join(DeadlineUnit.values)}.")
