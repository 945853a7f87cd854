"""Per-unit figures over a mixed history: dispatches and returns, closures on time and after rework, handling
time in working hours, 反弹, and what is open and overdue now; in a fixed number of queries.

The period is Monday 23 – Friday 27 November 2026; "now" is Friday 27 November, 12:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from apps.accounts.models import Role, User
from apps.calendars.worktime import work_calendar
from apps.regions.models import Unit, UnitType
from apps.tickets.models import Ticket, TicketStatus
from apps.tickets.selectors import UnitKpi, unit_kpis
from apps.tickets.services import ticket_dispatch, ticket_void
from tests.accounts.factories import make_user
from tests.conftest import World
from tests.regions.factories import UnitFactory
from tests.tickets.factories import (
    Categories,
    at,
    closed,
    dispatched,
    in_progress,
    open_ticket,
    recheck,
    returned,
    submit,
)

pytestmark = pytest.mark.usefixtures("media_in_tmp")

SINCE, UNTIL, NOW = at(23, 0), at(28, 0), at(27, 12)


@dataclass
class History:
    idle: Unit
    recurrence: Ticket


@pytest.fixture
def history(actors: dict[str, User], world: World, categories: Categories) -> History:
    """Tickets of 市城管局 (city) and 市场监管 (market) before and during the period."""
    garbage, food = categories.garbage, categories.food_safety
    # Before the period: dispatched, fixed and closed on Friday 20 November.
    closed(actors, world, garbage, when=at(20, 9), submitted_at=at(20, 10), closed_at=at(20, 11))
    # T1 at 东湖农贸市场: fixed within the hour (deadline 14:30), closed on time. 60 working minutes.
    first = closed(
        actors,
        world,
        garbage,
        when=at(23, 9),
        submitted_at=at(23, 10),
        closed_at=at(23, 10, 30),
        point=world.p1,
    )
    # T2: fixed at 11:00 but sent back, fixed again on Tuesday 09:00 (late). 450 working minutes.
    second = submit(actors, in_progress(actors, world, garbage, when=at(23, 9)), when=at(23, 11))
    second = recheck(actors, second, when=at(23, 11, 30), passed=False)
    recheck(actors, submit(actors, second, when=at(24, 9)), when=at(24, 10))
    # T3: returned by city as not its business, then dispatched to market; 2 工作日, due Wednesday 10:30.
    moved = returned(actors, dispatched(actors, world, food, when=at(23, 9)), when=at(23, 10))
    ticket_dispatch(ticket=moved, actor=actors["office"], unit=world.unit_market, now=at(23, 10, 30))
    # T4 in progress, not yet due; T5 dispatched Thursday 09:00, due 14:30, not accepted: overdue now.
    in_progress(actors, world, food, when=at(26, 9))
    dispatched(actors, world, garbage, when=at(26, 9))
    # T6: the same problem back at 东湖农贸市场 on Wednesday — a 反弹 of T1 (city's).
    # created_at is stamped by the database clock, and 反弹 are counted by it: open T6 "on Wednesday".
    with time_machine.travel(at(25, 9), tick=False):
        again = open_ticket(actors, world, garbage, when=at(25, 9), point=world.p1)
    assert again.recurrence_of == first
    idle = UnitFactory(name="市园林绿化局", type=UnitType.GARDEN)
    return History(idle=idle, recurrence=again)


def figures(kpi: UnitKpi) -> dict[str, Any]:
    """Counts and rates, for one readable comparison."""
    return {
        "dispatched": kpi.dispatched,
        "returned": kpi.returned,
        "return_rate": kpi.return_rate,
        "closed": kpi.closed,
        "closed_on_time": kpi.closed_on_time,
        "on_time_rate": kpi.on_time_rate,
        "rework_rate": kpi.rework_rate,
        "average_handling_hours": kpi.average_handling_hours,
        "recurrences": kpi.recurrences,
        "open": kpi.open,
        "overdue": kpi.overdue,
    }


def test_unit_figures_over_a_mixed_history(world: World, history: History) -> None:
    units = [world.unit_city, world.unit_market, history.idle]
    kpis = unit_kpis(units=units, since=SINCE, until=UNTIL, now=NOW)
    assert set(kpis) == {u.pk for u in units}
    assert figures(kpis[world.unit_city.pk]) == {
        "dispatched": 5,  # T1, T2, T3 (before its return), T4, T5
        "returned": 1,
        "return_rate": 0.2,
        "closed": 2,
        "closed_on_time": 1,
        "on_time_rate": 0.5,
        "rework_rate": 0.5,
        "average_handling_hours": 4.25,  # (60 + 450) / 2 working minutes
        "recurrences": 1,
        "open": 2,  # T4, T5
        "overdue": 1,  # T5
    }
    assert figures(kpis[world.unit_market.pk]) == {
        "dispatched": 1,
        "returned": 0,
        "return_rate": 0.0,
        "closed": 0,
        "closed_on_time": 0,
        "on_time_rate": None,
        "rework_rate": None,
        "average_handling_hours": None,
        "recurrences": 0,
        "open": 1,  # T3, due Wednesday 10:30
        "overdue": 1,
    }
    idle = kpis[history.idle.pk]
    assert (idle.dispatched, idle.closed, idle.open) == (0, 0, 0)
    assert (idle.return_rate, idle.on_time_rate, idle.rework_rate, idle.average_handling_hours) == (None,) * 4


def test_without_a_period_everything_so_far_counts(world: World, history: History) -> None:
    city = unit_kpis(units=[world.unit_city], now=NOW)[world.unit_city.pk]
    assert (city.dispatched, city.closed, city.closed_on_time) == (6, 3, 2)


def test_the_period_decides_what_counts_but_not_what_is_open_now(world: World, history: History) -> None:
    monday = unit_kpis(units=[world.unit_city], since=SINCE, until=at(24, 0), now=NOW)[world.unit_city.pk]
    assert (monday.dispatched, monday.returned, monday.closed, monday.recurrences) == (3, 1, 1, 0)
    assert (monday.open, monday.overdue) == (2, 1)


def test_a_voided_repeat_is_not_counted_as_a_recurrence(
    actors: dict[str, User], world: World, history: History
) -> None:
    ticket_void(ticket=history.recurrence, actor=actors["office"], reason="重复上报", now=at(25, 10))
    city = unit_kpis(units=[world.unit_city], since=SINCE, until=UNTIL, now=NOW)[world.unit_city.pk]
    assert city.recurrences == 0


def test_all_active_units_by_default(world: World, history: History) -> None:
    history.idle.is_active = False
    history.idle.save()
    assert set(unit_kpis(since=SINCE, until=UNTIL, now=NOW)) == {world.unit_city.pk, world.unit_market.pk}


def test_the_figures_cost_the_same_queries_however_many_units_and_tickets(
    actors: dict[str, User],
    world: World,
    categories: Categories,
    history: History,
    django_assert_num_queries: Any,
) -> None:
    work_calendar()  # read once per change of the calendar table, not per call
    with django_assert_num_queries(4):
        unit_kpis(units=[world.unit_city], since=SINCE, until=UNTIL, now=NOW)
    more_units = [UnitFactory() for _ in range(3)]
    for unit in more_units:
        make_user(Role.UNIT, unit=unit)
        closed(
            actors,
            world,
            categories.garbage,
            when=at(24, 9),
            submitted_at=at(24, 10),
            closed_at=at(24, 11),
            unit=unit,
        )
    units = [world.unit_city, world.unit_market, history.idle, *more_units]
    with django_assert_num_queries(4):
        kpis = unit_kpis(units=units, since=SINCE, until=UNTIL, now=NOW)
    assert [kpis[u.pk].closed for u in more_units] == [1, 1, 1]
    assert Ticket.objects.filter(status=TicketStatus.CLOSED).count() == 6
    with django_assert_num_queries(5):  # plus the active units
        unit_kpis(since=SINCE, until=UNTIL, now=NOW)
