"""签收 from the unit's inbox: one row or several at once, all or none, only the unit's own tickets."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.tickets.models import Ticket, TicketStatus
from tests.conftest import World
from tests.tickets.factories import Categories, at, dispatched, in_progress

pytestmark = pytest.mark.usefixtures("media_in_tmp")
ACCEPT = reverse("tickets:bulk_accept")
INBOX = reverse("tickets:inbox")


@pytest.fixture
def waiting(actors: dict[str, User], world: World, categories: Categories) -> list[Ticket]:
    """Two tickets waiting for 市城管局 (t_unit) to sign."""
    return [dispatched(actors, world, categories.garbage, when=at(23, hour)) for hour in (9, 10)]


def statuses(tickets: list[Ticket]) -> list[str]:
    return [Ticket.objects.get(pk=t.pk).status for t in tickets]


def test_the_inbox_offers_signing_per_row_and_for_the_ticked_ones(login: Any, waiting: list[Ticket]) -> None:
    html = login("unit").get(INBOX).content.decode()
    assert "签收所选" in html
    assert html.count('name="only"') == 2


def test_several_are_signed_at_once(login: Any, actors: dict[str, User], waiting: list[Ticket]) -> None:
    response = login("unit").post(ACCEPT, {"tickets": [t.pk for t in waiting]}, follow=True)
    assert statuses(waiting) == [TicketStatus.IN_PROGRESS] * 2
    assert all(Ticket.objects.get(pk=t.pk).assignee == actors["unit"] for t in waiting)
    assert "已签收 2 件工单" in response.content.decode()


def test_a_rows_own_button_signs_only_that_row(login: Any, waiting: list[Ticket]) -> None:
    login("unit").post(ACCEPT, {"tickets": [t.pk for t in waiting], "only": waiting[1].pk})
    assert statuses(waiting) == [TicketStatus.DISPATCHED, TicketStatus.IN_PROGRESS]


def test_one_that_cannot_be_signed_stops_them_all(
    login: Any, actors: dict[str, User], world: World, categories: Categories, waiting: list[Ticket]
) -> None:
    started = in_progress(actors, world, categories.garbage, when=at(23, 11))
    response = login("unit").post(ACCEPT, {"tickets": [waiting[0].pk, started.pk]}, follow=True)
    assert statuses(waiting) == [TicketStatus.DISPATCHED] * 2  # nothing half-done
    page = response.content.decode()
    assert "未签收任何工单" in page
    assert started.number in page


def test_another_units_ticket_is_not_found_and_nothing_changes(
    login: Any, actors: dict[str, User], world: World, categories: Categories, waiting: list[Ticket]
) -> None:
    theirs = dispatched(actors, world, categories.garbage, when=at(23, 11), unit=world.unit_market)
    response = login("unit").post(ACCEPT, {"tickets": [waiting[0].pk, theirs.pk]})
    assert response.status_code == 404
    assert statuses([*waiting, theirs]) == [TicketStatus.DISPATCHED] * 3


@pytest.mark.parametrize(("who", "status"), [("anon", 302), ("office", 403), ("leader", 403), ("grid", 403)])
def test_only_unit_staff_may_sign(login: Any, waiting: list[Ticket], who: str, status: int) -> None:
    response = login(who).post(ACCEPT, {"tickets": [t.pk for t in waiting]})
    assert response.status_code == status
    assert statuses(waiting) == [TicketStatus.DISPATCHED] * 2


def test_bad_input_changes_nothing(login: Any, waiting: list[Ticket]) -> None:
    client = login("unit")
    assert client.post(ACCEPT, {"tickets": ["x"]}).status_code == 404
    assert "请先勾选" in client.post(ACCEPT, {}, follow=True).content.decode()
    assert client.get(ACCEPT).status_code == 405
    assert statuses(waiting) == [TicketStatus.DISPATCHED] * 2
