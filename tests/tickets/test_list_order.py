"""The ticket list: unfinished and most urgent first by default; sortable by deadline, 上报时间 and 督办."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.tickets.models import Supervision, Ticket
from apps.tickets.services import ticket_supervise
from tests.conftest import World
from tests.tickets.factories import Categories, at, closed, dispatched, open_ticket

pytestmark = pytest.mark.usefixtures("media_in_tmp")
LIST = reverse("tickets:list")


@pytest.fixture
def tickets(actors: dict[str, User], world: World, categories: Categories) -> dict[str, Ticket]:
    """Four tickets: one closed, one waiting for 立案, and two dispatched with different deadlines."""
    done = closed(
        actors, world, categories.garbage, when=at(16, 9), submitted_at=at(16, 10), closed_at=at(16, 11)
    )
    later = dispatched(actors, world, categories.food_safety, when=at(20, 9))  # 2 工作日: due Tuesday
    sooner = dispatched(actors, world, categories.garbage, when=at(20, 10))  # 4 工作时: due Friday 14:00
    ticket_supervise(
        ticket=later, actor=actors["office"], level=Supervision.RED, comment="媒体曝光", now=at(20, 11)
    )
    waiting = open_ticket(actors, world, categories.garbage, when=at(20, 12))
    return {"done": done, "later": later, "sooner": sooner, "waiting": waiting}


def numbers(response: Any) -> list[str]:
    return [t.number for t in response.context["page"]]


def test_the_default_list_is_unfinished_most_urgent_first(login: Any, tickets: dict[str, Ticket]) -> None:
    response = login("office").get(LIST)
    assert numbers(response) == [tickets[k].number for k in ("sooner", "later", "waiting")]
    assert response.context["filter"].form["open"].value() == "true"  # the filter says what is shown


def test_choosing_all_in_the_filters_shows_finished_tickets_too(
    login: Any, tickets: dict[str, Ticket]
) -> None:
    assert tickets["done"].number in numbers(login("office").get(LIST, {"open": ""}))


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("deadline", ["sooner", "later", "waiting"]),
        ("-deadline", ["later", "sooner", "waiting"]),
        ("created", ["later", "sooner", "waiting"]),
        ("-created", ["waiting", "sooner", "later"]),
        ("-supervision", ["later", "sooner", "waiting"]),
        ("not-a-column", ["sooner", "later", "waiting"]),  # ignored: the default order
    ],
)
def test_columns_sort_both_ways(
    login: Any, tickets: dict[str, Ticket], sort: str, expected: list[str]
) -> None:
    response = login("office").get(LIST, {"sort": sort})
    assert response.status_code == 200
    assert numbers(response) == [tickets[k].number for k in expected]


def test_sorting_keeps_the_filters_and_the_header_marks_the_order(
    login: Any, tickets: dict[str, Ticket]
) -> None:
    response = login("office").get(LIST, {"status": "dispatched", "sort": "-deadline"})
    assert numbers(response) == [tickets["later"].number, tickets["sooner"].number]
    html = response.content.decode()
    assert 'href="?status=dispatched&amp;sort=deadline"' in html  # the next click: ascending, same filter
    assert "整改时限 ▼" in html


def test_the_list_takes_a_fixed_number_of_queries(
    login: Any,
    tickets: dict[str, Ticket],
    django_assert_max_num_queries: Any,
    actors: dict[str, User],
    world: World,
    categories: Categories,
) -> None:
    client = login("office")
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for hour in range(9, 14):
        dispatched(actors, world, categories.garbage, when=at(23, hour) + timedelta(minutes=1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)


def test_a_grid_worker_gets_a_short_filter_bar_and_no_office_tools(
    login: Any, tickets: dict[str, Ticket]
) -> None:
    response = login("grid").get(LIST)
    assert set(response.context["filter"].form.fields) == {"q", "status", "open", "overdue", "mine"}
    html = response.content.decode()
    for office_only in ["导出 Excel", reverse("tickets:shelf"), "批量派遣"]:
        assert office_only not in html
    office = login("office").get(LIST)
    assert "unit" in office.context["filter"].form.fields
