"""自动立案派遣: a grid worker's report goes to the unit the routing rules name, by the system; without a unit
it waits at 待立案 for the office."""

from __future__ import annotations

import pytest

from apps.accounts.models import User
from apps.core.exceptions import DomainError
from apps.tickets.models import EventAction, RoutingRule, TicketSource, TicketStatus
from apps.tickets.services import ticket_auto_dispatch, ticket_create
from tests.conftest import World
from tests.tickets.factories import Categories, ProblemCategoryFactory, at

pytestmark = pytest.mark.django_db


def reported(actors: dict[str, User], world: World, category: object) -> object:
    """`grid` reports a problem in 东湖1格: 待立案."""
    return ticket_create(
        actor=actors["grid"],
        source=TicketSource.PATROL,
        category=category,  # type: ignore[arg-type]
        title="垃圾桶满溢",
        region=world.grid,
        now=at(23, 9),
    )


def test_the_system_files_and_dispatches_by_the_routing_rule(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    RoutingRule.objects.create(region=world.street, category=categories.garbage, unit=world.unit_market)
    ticket = ticket_auto_dispatch(ticket=reported(actors, world, categories.garbage), now=at(23, 9, 5))
    assert ticket.status == TicketStatus.DISPATCHED
    assert ticket.responsible_unit == world.unit_market
    assert ticket.dispatched_at == at(23, 9, 5)
    assert ticket.deadline == at(23, 14, 35)  # 暴露垃圾: 4 工作时 from 09:05, lunch 12:00–13:30 not counted
    steps = [(e.action, e.actor_id) for e in ticket.events.order_by("pk")]
    assert steps == [
        (EventAction.CREATE, actors["grid"].pk),
        (EventAction.FILE, None),
        (EventAction.DISPATCH, None),
    ]


def test_without_a_unit_the_report_waits_for_the_office(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    orphan = ProblemCategoryFactory(code="T-X-01", name="无主问题", parent=categories.city_appearance)
    categories.city_appearance.default_unit_type = ""
    categories.city_appearance.save()
    orphan.refresh_from_db()
    ticket = ticket_auto_dispatch(ticket=reported(actors, world, orphan), now=at(23, 9, 5))
    assert ticket.status == TicketStatus.REPORTED
    assert ticket.responsible_unit is None
    assert ticket.events.count() == 1


def test_only_a_reported_ticket_is_dispatched_automatically(
    actors: dict[str, User], world: World, categories: Categories
) -> None:
    ticket = ticket_auto_dispatch(ticket=reported(actors, world, categories.garbage), now=at(23, 9, 5))
    with pytest.raises(DomainError, match="不能自动派遣"):
        ticket_auto_dispatch(ticket=ticket, now=at(23, 9, 6))
