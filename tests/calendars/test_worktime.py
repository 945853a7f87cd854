"""Deadlines in working time, on the shipped 2025–2027 calendar and the default 08:30–12:00, 13:30–17:30."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.calendars.models import CalendarDay, DayKind, DeadlineUnit
from apps.calendars.worktime import (
    Period,
    add_work_time,
    deadline_after,
    is_workday,
    parse_working_hours,
    work_minutes_between,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[2]


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Beijing-time moment."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def test_a_4_work_hour_deadline_set_on_friday_afternoon_lands_on_monday_morning() -> None:
    # Friday 16:00–17:30 gives 90 minutes; Monday 08:30 + 150 minutes is 11:00.
    assert deadline_after(at(2026, 11, 20, 16), 4, DeadlineUnit.WORK_HOUR) == at(2026, 11, 23, 11)


def test_results_are_aware_and_in_the_current_time_zone() -> None:
    result = add_work_time(datetime(2026, 11, 20, 8, 0, tzinfo=UTC), 240)  # 16:00 in Beijing

    assert result == at(2026, 11, 23, 11)
    assert (result.hour, result.utcoffset()) == (11, timedelta(hours=8))


def test_a_make_up_saturday_is_a_working_day() -> None:
    assert is_workday(date(2026, 2, 28))
    assert deadline_after(at(2026, 2, 27, 16), 4, "work_hour") == at(2026, 2, 28, 11)


def test_an_ordinary_weekend_is_not_a_working_day() -> None:
    assert not is_workday(date(2026, 11, 21))
    assert not is_workday(date(2026, 11, 22))


@pytest.mark.parametrize("day", [date(2026, 10, 1) + timedelta(days=n) for n in range(7)])
def test_national_day_2026_is_not_worked(day: date) -> None:
    assert not is_workday(day)


def test_a_20_work_day_deadline_skips_national_day() -> None:
    # From Wed 30 Sep: 10-01…07 off, 10-10 (Saturday) worked; the 20th working day after is Tue 3 Nov.
    assert deadline_after(at(2026, 9, 30, 10), 20, "work_day") == at(2026, 11, 3, 10)


def test_a_deadline_years_ahead_reads_the_table_once(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        assert deadline_after(at(2025, 1, 2, 9), 480, "work_day").year == 2026


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        (at(2026, 11, 23, 7), 30, at(2026, 11, 23, 9)),  # before opening
        (at(2026, 11, 23, 12, 30), 60, at(2026, 11, 23, 14, 30)),  # lunch
        (at(2026, 11, 23, 19), 60, at(2026, 11, 24, 9, 30)),  # evening
        (at(2026, 11, 21, 10), 60, at(2026, 11, 23, 9, 30)),  # Saturday
        (at(2026, 9, 30, 18), 30, at(2026, 10, 8, 9)),  # the eve of 国庆
    ],
)
def test_a_start_outside_working_time_counts_from_the_next_opening(
    start: datetime, minutes: int, expected: datetime
) -> None:
    assert add_work_time(start, minutes) == expected


def test_work_that_runs_out_at_closing_time_ends_then_not_at_the_next_opening() -> None:
    assert add_work_time(at(2026, 11, 20, 16), 90) == at(2026, 11, 20, 17, 30)
    assert deadline_after(at(2026, 11, 23, 8, 30), 1, "work_day") == at(2026, 11, 23, 17, 30)


def test_nothing_to_add_returns_the_start() -> None:
    assert add_work_time(at(2026, 11, 21, 10), 0) == at(2026, 11, 21, 10)


def test_work_minutes_between_skips_a_weekend() -> None:
    assert work_minutes_between(at(2026, 11, 20, 16), at(2026, 11, 23, 11)) == 240


def test_work_minutes_between_skips_a_holiday() -> None:
    assert work_minutes_between(at(2026, 9, 30, 17), at(2026, 10, 8, 9)) == 60


def test_work_minutes_between_is_zero_when_end_is_not_after_start() -> None:
    assert work_minutes_between(at(2026, 11, 23, 11), at(2026, 11, 23, 9)) == 0
    assert work_minutes_between(at(2026, 11, 23, 9), at(2026, 11, 23, 9)) == 0


def test_work_minutes_between_counts_whole_worked_days() -> None:
    # 2026-02: 20 weekdays, less 02-16…20 and 02-23 (春节), plus Saturdays 02-14 and 02-28.
    assert work_minutes_between(at(2026, 2, 1), at(2026, 3, 1)) == 16 * 450


@pytest.mark.parametrize(
    "start", [at(2026, 11, 20, 16), at(2026, 9, 30, 12, 15), at(2026, 2, 13, 20), at(2025, 12, 31, 10, 7)]
)
@pytest.mark.parametrize("minutes", [1, 89, 90, 450, 451, 2000, 9000])
def test_adding_work_time_and_measuring_it_agree(start: datetime, minutes: int) -> None:
    assert work_minutes_between(start, add_work_time(start, minutes)) == minutes


def test_a_natural_day_deadline_counts_weekends_and_holidays() -> None:
    assert deadline_after(at(2026, 9, 30, 10), 3, "day") == at(2026, 10, 3, 10)


def test_an_unknown_unit_or_a_negative_value_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown deadline unit"):
        deadline_after(at(2026, 11, 20, 16), 1, "week")
    with pytest.raises(ValueError, match="cannot lie before"):
        deadline_after(at(2026, 11, 20, 16), -1, "day")


def test_other_working_hours_change_the_deadline(settings: Any) -> None:
    settings.WORKING_HOURS = ["09:00-17:00"]

    assert deadline_after(at(2026, 11, 20, 16), 4, "work_hour") == at(2026, 11, 23, 12)
    assert deadline_after(at(2026, 11, 20, 9), 1, "work_day") == at(2026, 11, 20, 17)


def test_a_new_holiday_counts_as_soon_as_it_is_committed(
    django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    monday = date(2026, 11, 23)
    assert is_workday(monday)
    with django_assert_num_queries(0):
        assert is_workday(monday)  # the calendar is kept in memory between calculations

    with django_capture_on_commit_callbacks(execute=True):
        day = CalendarDay.objects.create(date=monday, kind=DayKind.HOLIDAY, name="地方假日")

    assert not is_workday(monday)
    assert deadline_after(at(2026, 11, 20, 16), 4, "work_hour") == at(2026, 11, 24, 11)

    with django_capture_on_commit_callbacks(execute=True):
        day.delete()

    assert is_workday(monday)


def test_the_2025_and_2026_schedules_are_shipped_in_full() -> None:
    days = CalendarDay.objects
    assert (days.in_year(2025).holidays().count(), days.in_year(2025).workdays().count()) == (28, 5)
    assert (days.in_year(2026).holidays().count(), days.in_year(2026).workdays().count()) == (33, 6)
    assert not days.filter(date__year__in=[2025, 2026], provisional=True).exists()
    assert days.get(date=date(2025, 10, 11)).kind == DayKind.WORKDAY
    assert days.get(date=date(2026, 2, 23)).name == "春节"


def test_2027_ships_only_the_statutory_days_all_provisional() -> None:
    rows = CalendarDay.objects.in_year(2027)

    assert rows.count() == 13
    assert not rows.filter(provisional=False).exists()
    assert not rows.workdays().exists()
    assert list(rows.filter(name="春节").values_list("date", flat=True)) == [
        date(2027, 2, 5),
        date(2027, 2, 6),
        date(2027, 2, 7),
        date(2027, 2, 8),
    ]


def test_working_hours_are_parsed_into_sorted_periods() -> None:
    periods = parse_working_hours(["13:30-17:30", " 8:30 - 12:00 "])

    assert [str(period) for period in periods] == ["08:30-12:00", "13:30-17:30"]
    assert sum((period.length for period in periods), timedelta()) == timedelta(hours=7, minutes=30)
    assert isinstance(periods[0], Period)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([], "WORKING_HOURS is empty"),
        (["08:30"], "'08:30' is not a period"),
        (["08:30-12"], "'08:30-12' is not a period"),
        (["8h30-12h"], "is not a period"),
        (["08:30-24:00"], "'08:30-24:00' is not a period"),
        (["08:60-12:00"], "'08:60-12:00' is not a period"),
        (["12:00-08:30"], "'12:00-08:30' does not end after it starts"),
        (["09:00-09:00"], "does not end after it starts"),
        (["08:30-12:00", "11:30-17:30"], "the periods 08:30-12:00 and 11:30-17:30 overlap"),
    ],
)
def test_malformed_working_hours_are_refused(values: list[str], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_working_hours(values)


def test_malformed_working_hours_stop_start_up() -> None:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DEBUG": "true", "WORKING_HOURS": "08:30-12:00,13:30-25:00"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode != 0
    assert "WORKING_HOURS: '13:30-25:00' is not a period" in result.stderr
