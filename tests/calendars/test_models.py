"""The calendar table's own rules and its admin."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from apps.calendars.models import CalendarDay, DayKind

pytestmark = pytest.mark.django_db


def test_a_make_up_working_day_must_fall_on_a_weekend() -> None:
    day = CalendarDay(date=date(2028, 1, 4), kind=DayKind.WORKDAY, name="元旦")  # a Tuesday

    with pytest.raises(ValidationError, match="调休上班只能设在周六或周日"):
        day.full_clean()


def test_a_date_is_listed_once() -> None:
    day = CalendarDay(date=date(2026, 10, 1), kind=DayKind.HOLIDAY, name="国庆节")

    with pytest.raises(ValidationError, match="这一天已有记录"):
        day.full_clean()


def test_a_day_reads_with_its_weekday() -> None:
    day = CalendarDay.objects.get(date=date(2026, 2, 28))

    assert str(day) == "2026-02-28 春节（调休上班）"
    assert day.weekday == "星期六"


def test_the_admin_lists_a_year_of_days(admin_client: Client) -> None:
    response = admin_client.get("/admin/calendars/calendarday/", {"year": "2027", "kind": "holiday"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 13
    assert "2026年" in response.content.decode()


def test_the_admin_adds_a_day(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/calendars/calendarday/add/",
        {"date": "2028-01-01", "kind": "holiday", "name": "元旦", "note": ""},
    )

    assert response.status_code == 302
    assert CalendarDay.objects.get(date=date(2028, 1, 1)).name == "元旦"
