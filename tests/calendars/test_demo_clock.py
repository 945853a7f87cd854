"""The demo clock hands out working moments only, never after the last one before now."""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from apps.calendars.demo_clock import DemoClock
from apps.calendars.worktime import is_workday

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Beijing-time moment in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def test_a_sunday_night_seed_ends_its_story_at_friday_closing_time() -> None:
    assert DemoClock(at(11, 29, 22)).end == at(11, 27, 17, 30)


def test_the_lunch_break_and_the_early_morning_fall_back_to_the_last_working_minute() -> None:
    assert DemoClock(at(11, 30, 12, 45)).end == at(11, 30, 12)
    assert DemoClock(at(11, 30, 7)).end == at(11, 27, 17, 30)
    assert DemoClock(at(11, 30, 9, 15)).end == at(11, 30, 9, 15)


def test_the_national_day_holiday_is_skipped() -> None:
    clock = DemoClock(at(10, 5, 10))
    assert clock.end.date() < at(10, 1, 0).date()
    assert is_workday(clock.end.date())


def test_counting_back_crosses_lunch_and_the_weekend_in_working_minutes() -> None:
    clock = DemoClock(at(11, 30, 8, 40))
    assert clock.back(10) == at(11, 30, 8, 30)
    assert clock.back(20) == at(11, 27, 17, 20)
    assert DemoClock(at(11, 27, 13, 40)).back(20) == at(11, 27, 11, 50)


def test_moments_after_never_pass_the_end_and_random_ones_stay_on_working_time() -> None:
    clock = DemoClock(at(11, 27, 16))
    assert clock.after(at(11, 27, 15), 600) == clock.end
    rng = random.Random(1)
    for moment in (clock.within(rng, 30) for _ in range(200)):
        local = moment.astimezone(SHANGHAI)
        assert is_workday(local.date())
        assert "08:30" <= f"{local:%H:%M}" <= "12:00" or "13:30" <= f"{local:%H:%M}" <= "17:30"
        assert moment <= clock.end
