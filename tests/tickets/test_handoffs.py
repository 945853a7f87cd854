"""Whoever a step hands work to is notified in the same transaction, and no one else is."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.accounts.models import User
from apps.notifications.models import Notification
from apps.tickets.models import Ticket
from apps.tickets.services import (
    ticket_decide_extension,
    ticket_dispatch,
    ticket_request_extension,
    ticket_request_shelve,
)
from tests.conftest import World
from tests.tickets.factories import (
    Categories,
    at,
    dispatched,
    in_progress,
    open_ticket,
    recheck,
    returned,
    submit,
)

pytestmark = pytest.mark.usefixtures("media_in_tmp")
MONDAY = at(23, 9)


def told(ticket: Ticket) -> dict[str, set[str]]:
    """Notification kind → the usernames told, for one ticket."""
    link = reverse("tickets:detail", args=[ticket.pk])
    out: dict[str, set[str]] = {}
    for kind, username in Notification.objects.filter(link=link).values_list("kind", "recipient__username"):
        out.setdefault(kind, set()).add(username)
    return out


def test_dispatch_tells_the_units_staff_with_a_link_and_its_time(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    ticket = dispatched(actors, world, categories.garbage, when=MONDAY)
    assert told(ticket) == {"ticket_dispatch": {"t_unit"}}  # not the other unit, not the office
    note = Notification.objects.get()
    assert note.title == f"新派遣工单，请签收：{ticket.number}"
    assert note.created_at == MONDAY
    assert note.read_at is None


def test_returning_tells_the_office_and_redispatching_the_new_unit(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    ticket = dispatched(actors, world, categories.garbage, when=MONDAY)
    returned(actors, ticket, when=MONDAY + timedelta(hours=1))
    ticket_dispatch(
        ticket=ticket, actor=actors["office"], unit=world.unit_market, now=MONDAY + timedelta(hours=2)
    )
    assert told(ticket) == {
        "ticket_dispatch": {"t_unit", "t_unit_other"},
        "ticket_return": {"t_office"},
    }


def test_submitting_tells_the_grids_workers_and_the_office_and_rework_tells_the_unit(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    ticket = in_progress(actors, world, categories.garbage, when=MONDAY, point=world.p1)
    submit(actors, ticket, when=MONDAY + timedelta(hours=1))
    assert told(ticket)["ticket_submit"] == {"t_grid", "t_office"}  # not 东湖2格's worker, not the unit
    recheck(actors, ticket, when=MONDAY + timedelta(hours=2), passed=False)
    assert told(ticket)["ticket_rework"] == {"t_unit"}


def test_requests_tell_the_office_and_decisions_tell_the_unit(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    ticket = in_progress(actors, world, categories.garbage, when=MONDAY)
    assert ticket.deadline is not None
    ticket_request_extension(
        ticket=ticket,
        actor=actors["unit"],
        until=ticket.deadline + timedelta(days=2),
        reason="需要调运设备",
        now=MONDAY + timedelta(minutes=30),
    )
    ticket_decide_extension(
        ticket=ticket, actor=actors["office"], approve=True, now=MONDAY + timedelta(hours=1)
    )
    ticket_request_shelve(
        ticket=ticket, actor=actors["unit"], reason="需列入明年预算", now=MONDAY + timedelta(hours=2)
    )
    assert told(ticket) == {
        "ticket_dispatch": {"t_unit"},
        "ticket_extension_request": {"t_office"},
        "ticket_extension_approve": {"t_unit"},
        "ticket_shelve_request": {"t_office"},
    }


def test_a_refused_step_tells_no_one(actors: dict[str, User], world: World, categories: Categories) -> None:
    ticket = open_ticket(actors, world, categories.garbage, when=MONDAY)
    with pytest.raises(PermissionDenied):
        ticket_dispatch(ticket=ticket, actor=actors["leader"], unit=world.unit_city, now=MONDAY)
    assert not Notification.objects.exists()


def test_dispatching_from_the_page_notifies_within_the_request(
    login: Any, actors: dict[str, User], world: World, categories: Categories
) -> None:
    ticket = open_ticket(actors, world, categories.garbage, when=MONDAY)
    response = login("office").post(
        reverse("tickets:act", args=[ticket.pk, "dispatch"]), {"unit": world.unit_city.pk}
    )
    assert response.status_code == 302
    unit_page = login("unit").get(reverse("home")).content.decode()
    assert 'class="bell-count">1<' in unit_page
    assert told(ticket) == {"ticket_dispatch": {"t_unit"}}
