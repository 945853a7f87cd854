"""自动立案派遣: with `auto_dispatch` a grid worker's report goes to the unit the routing rules name, by the
system, in the insert that opens it; without a unit it waits at 待立案 for the office. The routing table is
cached and forgotten when a rule changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.notifications.models import Notification
from apps.tickets.models import EventAction, RoutingRule, Ticket, TicketSource, TicketStatus
from apps.tickets.services import ticket_create, ticket_report
from tests.conftest import World
from tests.tickets.factories import Categories, ProblemCategoryFactory, at

pytestmark = pytest.mark.django_db


def reported(actors: dict[str, User], world: World, category: Any, **kwargs: Any) -> Ticket:
    """`grid` reports a problem in 东湖1格 at 09:05, to be sent on by the routing rules."""
    return ticket_create(
        actor=actors["grid"],
        source=TicketSource.PATROL,
        category=category,
        title="垃圾桶满溢",
        region=world.grid,
        auto_dispatch=True,
        now=at(23, 9, 5),
        **kwargs,
    )


def test_the_system_files_and_dispatches_by_the_routing_rule(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    RoutingRule.objects.create(region=world.street, category=categories.garbage, unit=world.unit_market)
    ticket = reported(actors, world, categories.garbage)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DISPATCHED
    assert ticket.responsible_unit == world.unit_market
    assert ticket.dispatched_at == at(23, 9, 5)
    assert ticket.deadline == at(23, 14, 35)  # 暴露垃圾: 4 工作时 from 09:05, lunch 12:00–13:30 not counted
    steps = [(e.action, e.actor_id, e.from_status, e.to_status) for e in ticket.events.order_by("pk")]
    assert steps == [
        (EventAction.CREATE, actors["grid"].pk, "", TicketStatus.REPORTED),
        (EventAction.FILE, None, TicketStatus.REPORTED, TicketStatus.FILED),
        (EventAction.DISPATCH, None, TicketStatus.FILED, TicketStatus.DISPATCHED),
    ]
    dispatch = ticket.events.get(action=EventAction.DISPATCH)
    told = Notification.objects.get(dedupe_key=f"ticket-event-{dispatch.pk}")
    assert told.recipient == actors["unit_other"]  # the 市场监管 unit's account


def test_without_a_unit_the_report_waits_for_the_office(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    orphan = ProblemCategoryFactory(code="T-X-01", name="无主问题", parent=categories.city_appearance)
    categories.city_appearance.default_unit_type = ""
    categories.city_appearance.save()
    orphan.refresh_from_db()
    ticket = reported(actors, world, orphan)
    assert ticket.status == TicketStatus.REPORTED
    assert ticket.responsible_unit is None
    assert ticket.events.count() == 1


def test_a_report_joining_an_open_ticket_is_not_dispatched_again(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    first = reported(actors, world, categories.garbage, point=world.p1)
    again = ticket_report(
        actor=actors["grid"],
        source=TicketSource.PATROL,
        category=categories.garbage,
        title="垃圾桶满溢",
        region=world.grid,
        point=world.p1,
        auto_dispatch=True,
        now=at(23, 10),
    )
    assert again.joined
    assert again.ticket.pk == first.pk
    actions = list(first.events.order_by("pk").values_list("action", flat=True))
    assert actions == [EventAction.CREATE, EventAction.FILE, EventAction.DISPATCH, EventAction.REPORT_AGAIN]


def test_a_new_rule_takes_effect_at_once(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    assert reported(actors, world, categories.garbage).responsible_unit == world.unit_city  # the 城管 default
    RoutingRule.objects.create(region=world.street, category=categories.garbage, unit=world.unit_market)
    assert reported(actors, world, categories.garbage).responsible_unit == world.unit_market


def test_the_routing_table_is_read_once_then_cached(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    reported(actors, world, categories.garbage)
    with CaptureQueriesContext(connection) as queries:
        reported(actors, world, categories.garbage)
    assert not [q for q in queries if "tickets_routingrule" in q["sql"]]
