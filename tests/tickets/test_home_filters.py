"""The ticket list filters the role homes link to: 未办结, due within 24 working hours, reported by me."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from apps.calendars.worktime import add_work_time
from apps.tickets.models import Ticket, TicketStatus
from tests.conftest import World
from tests.tickets.factories import closed, dispatched, make_categories, open_ticket


def _numbers(client: Any, query: str) -> set[str]:
    page = client.get(reverse("tickets:list") + query).context["page"]
    return {t.number for t in page}


def test_open_keeps_unfinished_tickets_only(
    login: Any, world: World, actors: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    categories = make_categories()
    now = timezone.now()
    filed = open_ticket(actors, world, categories.garbage, when=now)
    done = closed(
        actors,
        world,
        categories.garbage,
        when=now - timedelta(days=3),
        submitted_at=now - timedelta(days=3) + timedelta(minutes=30),
        closed_at=now - timedelta(days=2),
    )
    client = login("office")
    assert _numbers(client, "?open=true") == {filed.number}
    assert _numbers(client, "?open=false") == {done.number}


def test_due_within_24_working_hours_excludes_overdue_and_later(
    login: Any, world: World, actors: Any
) -> None:
    categories = make_categories()
    now = timezone.now()
    soon, later, late = (dispatched(actors, world, categories.garbage, when=now) for _ in range(3))
    limit = add_work_time(now, 24 * 60)
    Ticket.objects.filter(pk=soon.pk).update(deadline=limit - timedelta(minutes=5))
    Ticket.objects.filter(pk=later.pk).update(deadline=limit + timedelta(minutes=5))
    Ticket.objects.filter(pk=late.pk).update(deadline=now - timedelta(minutes=5))
    assert _numbers(login("unit"), "?due_within=24") == {soon.number}


def test_due_within_ignores_tickets_the_unit_no_longer_holds(login: Any, world: World, actors: Any) -> None:
    categories = make_categories()
    ticket = dispatched(actors, world, categories.garbage, when=timezone.now())
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.SUBMITTED)
    assert _numbers(login("unit"), "?due_within=24") == set()


def test_an_unknown_due_within_value_is_a_filter_error_not_a_500(login: Any, world: World) -> None:
    response = login("office").get(reverse("tickets:list") + "?due_within=abc")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


def test_mine_keeps_what_the_user_reported(login: Any, world: World, actors: Any) -> None:
    from apps.tickets.services import ticket_create

    categories = make_categories()
    now = timezone.now()
    mine = ticket_create(
        actor=actors["grid"],
        category=categories.garbage,
        region=world.grid,
        title="垃圾",
        source="patrol",
        now=now,
    )
    open_ticket(actors, world, categories.garbage, when=now)  # in the same grid, by the office
    client = login("grid")
    assert len(_numbers(client, "")) == 2
    assert _numbers(client, "?mine=true") == {mine.number}
