"""A problem reported again while its ticket is open joins that ticket, from every source; the rule is one."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.tickets.models import EventAction, PhotoKind, ProblemCategory, Ticket, TicketSource, TicketStatus
from apps.tickets.services import (
    ticket_accept,
    ticket_dispatch,
    ticket_recheck,
    ticket_report,
    ticket_submit,
)
from tests.conftest import World

TZ = ZoneInfo("Asia/Shanghai")
MONDAY_9AM = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def garbage(db: Any) -> ProblemCategory:
    parent = ProblemCategory.objects.create(code="D-SR", name="市容环境", default_unit_type="urban_mgmt")
    return ProblemCategory.objects.create(code="D-SR-01", name="暴露垃圾", parent=parent)


@pytest.fixture
def food(garbage: ProblemCategory) -> ProblemCategory:
    parent = ProblemCategory.objects.create(code="D-SP", name="食品", default_unit_type="market")
    return ProblemCategory.objects.create(code="D-SP-01", name="三防缺失", parent=parent)


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def report(actor: Any, world: World, category: ProblemCategory, *, at: datetime, **kw: Any) -> Any:
    values: dict[str, Any] = {
        "region": world.grid,
        "point": world.p1,
        "title": "市场门口暴露垃圾",
        "source": TicketSource.OFFICE,
        "photos": [jpeg()],
    }
    values.update(kw)
    return ticket_report(actor=actor, category=category, now=at, **values)


def test_a_second_report_joins_the_open_ticket_with_its_photos_and_a_timeline_entry(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    first = report(actors["office"], world, garbage, at=MONDAY_9AM)
    assert not first.joined
    ticket_dispatch(ticket=first.ticket, actor=actors["office"], unit=world.unit_city, now=MONDAY_9AM)
    again = report(
        actors["street"],
        world,
        garbage,
        at=MONDAY_9AM + timedelta(hours=2),
        source=TicketSource.INSPECTION,
        description="垃圾越堆越多",
    )
    assert again.joined
    assert again.ticket.pk == first.ticket.pk
    assert Ticket.objects.count() == 1
    ticket = Ticket.objects.get()
    assert ticket.status == TicketStatus.DISPATCHED  # the ticket goes on where it was
    event = ticket.events.get(action=EventAction.REPORT_AGAIN)
    assert event.actor == actors["street"]
    assert "（督查检查）再次上报同一问题：垃圾越堆越多" in event.comment
    assert ticket.photos.filter(kind=PhotoKind.BEFORE).count() == 2
    assert event.photos.count() == 1


def test_a_different_problem_a_closed_ticket_or_another_point_open_a_new_ticket(
    actors: dict[str, Any], world: World, garbage: ProblemCategory, food: ProblemCategory
) -> None:
    first = report(actors["office"], world, garbage, at=MONDAY_9AM).ticket
    assert not report(actors["office"], world, food, at=MONDAY_9AM).joined
    elsewhere = report(actors["office"], world, garbage, at=MONDAY_9AM, point=world.p2, region=world.grid2)
    assert not elsewhere.joined
    ticket_dispatch(ticket=first, actor=actors["office"], unit=world.unit_city, now=MONDAY_9AM)
    ticket_accept(ticket=first, actor=actors["unit"], now=MONDAY_9AM + timedelta(minutes=5))
    ticket_submit(ticket=first, actor=actors["unit"], comment="已清理", photos=[jpeg()], now=MONDAY_9AM)
    ticket_recheck(ticket=first, actor=actors["office"], passed=True, now=MONDAY_9AM + timedelta(hours=1))
    after_close = report(actors["office"], world, garbage, at=MONDAY_9AM + timedelta(days=1))
    assert not after_close.joined
    assert after_close.ticket.recurrence_of == first  # closed and back: a 反弹, by the same place rule


def test_without_a_point_a_report_within_30_metres_joins(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    here = {"point": None, "lat": Decimal("30.250000"), "lng": Decimal("120.150000")}
    first = report(actors["office"], world, garbage, at=MONDAY_9AM, **here).ticket
    near = report(
        actors["office"], world, garbage, at=MONDAY_9AM, point=None, lat=Decimal("30.250200"), lng=here["lng"]
    )
    far = report(
        actors["office"], world, garbage, at=MONDAY_9AM, point=None, lat=Decimal("30.250500"), lng=here["lng"]
    )
    assert (near.joined, near.ticket.pk) == (True, first.pk)  # about 22 m north
    assert not far.joined  # about 56 m north


def test_a_reporter_out_of_the_region_is_refused_before_anything_joins(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    first = report(actors["office"], world, garbage, at=MONDAY_9AM).ticket
    with pytest.raises(PermissionDenied):
        report(actors["street_other"], world, garbage, at=MONDAY_9AM, source=TicketSource.INSPECTION)
    assert list(first.events.values_list("action", flat=True)) == [EventAction.CREATE]
    assert first.photos.count() == 1


def test_the_report_form_names_the_open_ticket(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    first = report(actors["office"], world, garbage, at=MONDAY_9AM).ticket
    data = {
        "source": TicketSource.INSPECTION,
        "category": garbage.pk,
        "title": "门口又堆了垃圾",
        "description": "",
        "region": world.grid.pk,
        "point": world.p1.pk,
        "address": "",
        "lat": "",
        "lng": "",
    }
    response = login("street").post(reverse("tickets:create"), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("tickets:detail", args=[first.pk])
    page = response.content.decode()
    assert f"该处同类问题已有工单 {first.number}" in page
    assert "再次上报" in page  # the timeline says so
    assert Ticket.objects.count() == 1


def test_the_api_answers_200_with_the_open_ticket(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    first = report(actors["office"], world, garbage, at=MONDAY_9AM).ticket
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=actors["office"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    data = {
        "source": "office",
        "category": garbage.pk,
        "title": "又见垃圾",
        "region": world.grid.pk,
        "point": world.p1.pk,
    }
    response = client.post("/api/v1/tickets/", data, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["number"] == first.number
    assert Ticket.objects.count() == 1
