"""A clock for demo data: every moment it hands out lies on working time (WORKING_HOURS on working days) and
no later than the last working moment before `now`, so a seed run on a Sunday night still tells an
office-hours story."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from apps.calendars.worktime import add_work_time, work_calendar

ONE_DAY = timedelta(days=1)
ONE_MINUTE = timedelta(minutes=1)
# Looking further back than this for a working moment means a broken calendar, not a long holiday.
MAX_DAYS_BACK = 3660


class DemoClock:
    """Working moments before a fixed end, counted backwards and forwards in working minutes."""

    def __init__(self, now: datetime | None = None) -> None:
        self.end = self.latest(now or timezone.now())

    @staticmethod
    def latest(moment: datetime) -> datetime:
        """The last working moment at or before `moment`, to the minute."""
        calendar, local = work_calendar(), timezone.localtime(moment).replace(second=0, microsecond=0)
        day = local.date()
        for _ in range(MAX_DAYS_BACK):
            for opens, closes in reversed(list(calendar.spans(day))):
                if opens <= local:
                    return min(closes, local)
            day -= ONE_DAY
        raise ValueError("工作日历在近十年内没有工作日，请检查日历设置。")

    def back(self, minutes: int) -> datetime:
        """The moment `minutes` working minutes before the end."""
        calendar, remaining, day = work_calendar(), timedelta(minutes=minutes), self.end.date()
        for _ in range(MAX_DAYS_BACK):
            for opens, closes in reversed(list(calendar.spans(day))):
                closes = min(closes, self.end)
                if closes <= opens:
                    continue
                if remaining <= closes - opens:
                    return closes - remaining
                remaining -= closes - opens
            day -= ONE_DAY
        raise ValueError("演示数据回溯超出工作日历范围。")

    def after(self, moment: datetime, minutes: int) -> datetime:
        """`minutes` working minutes after `moment`, never past the end."""
        return min(add_work_time(moment, max(minutes, 1)), self.end)

    def day_minutes(self) -> int:
        """Working minutes in one working day."""
        return work_calendar().day_length // ONE_MINUTE

    def within(self, rng: random.Random, days: float) -> datetime:
        """A random working moment in the last `days` working days."""
        return self.back(rng.randint(0, max(int(days * self.day_minutes()), 1)))
