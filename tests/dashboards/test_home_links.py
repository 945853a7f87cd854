"""Every number on a role's home is a link to the list behind it, and that list holds exactly that many."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.checklists.models import Task
from apps.checklists.services import evidence_review, evidence_upload
from apps.core.numbers import forget_all_numbers
from apps.tickets.models import Supervision, Ticket
from apps.tickets.services import ticket_create
from tests.checklists.factories import TaskFactory
from tests.checklists.files import pdf_bytes, upload
from tests.checklists.fixtures import Book
from tests.conftest import World
from tests.tickets.factories import closed, dispatched, in_progress, make_categories, open_ticket, submit

LINK = re.compile(r'<a [^>]*href="([^"]+)"[^>]*data-count="(-?\d+)"')


def links(html: str) -> list[tuple[str, int]]:
    """The (href, shown number) of every counted link on a page."""
    return [(unescape(href), int(n)) for href, n in LINK.findall(html)]


def count_on(client: Client, href: str) -> int:
    """How many rows the page behind a link shows (its paginator, or the section the fragment names)."""
    response = client.get(href)
    assert response.status_code == 200, href
    context = response.context
    fragment = href.partition("#")[2]
    if fragment == "at-risk":
        return len(context["readiness"].at_risk)
    if "readiness" in context:
        return context["days_left"]
    if "page" in context:
        return context["page"].paginator.count
    return len(context["tickets"])  # the phone's 待核查 list


def assert_links_land(client: Client, expected: int) -> list[tuple[str, int]]:
    """Follow each counted link of the home page; each list must show the number the home shows."""
    found = links(client.get(reverse("home")).content.decode())
    assert len(found) == expected, found
    for href, shown in found:
        assert count_on(client, href) == shown, href
    return found


@pytest.fixture
def busy(book: Book, world: World, actors: dict[str, Any], settings: Any, tmp_path: Any) -> Book:
    """Tasks due soon and overdue, evidence pending and returned, tickets in every state."""
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    soon = TaskFactory(
        campaign=book.campaign,
        item=book.organisation,
        lead_unit=world.unit_city,
        deadline=today + timedelta(days=3),
    )
    TaskFactory(
        campaign=book.campaign,
        item=book.funding,
        lead_unit=world.unit_city,
        deadline=today - timedelta(days=2),
    )
    files = [upload("a.pdf", pdf_bytes())]
    evidence_upload(task=soon, requirement=book.plan, year=None, files=files, actor=actors["unit"])
    [back] = evidence_upload(
        task=book.task,
        requirement=book.ledger,
        year=None,
        files=[upload("b.pdf", pdf_bytes())],
        actor=actors["unit"],
    )
    evidence_review(evidence=back, actor=actors["office"], approve=False, comment="模糊")
    categories = make_categories()
    now = timezone.now()
    ticket_create(
        actor=actors["grid"],
        category=categories.garbage,
        region=world.grid,
        title="暴露垃圾",
        source="patrol",
        now=now,
    )
    open_ticket(actors, world, categories.garbage, when=now)
    late = dispatched(actors, world, categories.garbage, when=now - timedelta(days=20))
    Ticket.objects.filter(pk=late.pk).update(supervision=Supervision.RED)
    in_progress(actors, world, categories.garbage, when=now - timedelta(days=30))
    dispatched(actors, world, categories.garbage, when=now, region=world.grid4)
    fixed = in_progress(actors, world, categories.garbage, when=now - timedelta(hours=2))
    submit(actors, fixed, when=now)  # waits for the grid worker's re-check
    return book


@pytest.mark.parametrize("name", ["office", "leader", "inspector"])
def test_city_home_numbers_land_on_lists_of_that_many(login: Any, busy: Book, name: str) -> None:
    client = login(name)
    found = assert_links_land(client, expected=12 if name == "office" else 13)
    shown = dict(found)
    assert shown["/tickets/?status=reported"] == 1
    assert shown["/tickets/?overdue=true"] == 2
    assert shown["/tickets/?overdue=true&supervision=2"] == 1
    assert shown["/tasks/?due=7"] == 1
    risk = next(n for href, n in found if href.endswith("#at-risk"))
    assert risk == 2  # the overdue task's item and the one with returned evidence


def test_only_the_office_gets_a_link_to_the_review_queue(login: Any, busy: Book) -> None:
    office = [href for href, _ in links(login("office").get(reverse("home")).content.decode())]
    leader = [href for href, _ in links(login("leader").get(reverse("home")).content.decode())]
    assert reverse("review:queue") in office
    assert reverse("review:queue") not in leader
    assert "材料待审核" in login("leader").get(reverse("home")).content.decode()


def test_leader_sees_districts_and_units_furthest_behind(login: Any, busy: Book, world: World) -> None:
    leader = login("leader").get(reverse("home")).context["leader"]
    assert [(row["region"], row["n"]) for row in leader["districts"]] == [(world.district, 2)]
    assert [(row["unit"], row["overdue"]) for row in leader["units"]] == [(world.unit_city, 2)]


def test_units_with_a_low_on_time_rate_follow_those_with_overdue_tickets(
    login: Any, busy: Book, world: World, actors: dict[str, Any]
) -> None:
    now = timezone.now()
    late = Ticket.objects.first().category
    closed(
        actors,
        world,
        late,
        unit=world.unit_market,
        when=now - timedelta(days=10),
        submitted_at=now - timedelta(days=3),
        closed_at=now - timedelta(days=2),
    )
    leader = login("leader").get(reverse("home")).context["leader"]
    assert [(row["unit"], row["overdue"], row["rate"]) for row in leader["units"]] == [
        (world.unit_city, 2, None),
        (world.unit_market, 0, 0.0),
    ]


def test_unit_home_numbers_land_on_lists_of_that_many(login: Any, busy: Book, world: World) -> None:
    client = login("unit")
    shown = dict(assert_links_land(client, expected=5))
    assert shown["/tickets/?status=dispatched"] == 2
    assert shown["/tickets/?overdue=true"] == 2
    assert shown["/tickets/?due_within=24"] == 1
    assert shown["/tasks/?evidence=returned"] == 1


def test_unit_home_counts_the_missing_slots_of_the_tasks_due(login: Any, busy: Book) -> None:
    client = login("unit")
    unit_home = client.get(reverse("home")).context["unit_home"]
    tasks = client.get(reverse("tasks:list") + "?due=7").context["page"]
    assert (
        unit_home["slots_missing"] == sum(len(t.progress.missing) for t in tasks) == 3
    )  # 会议记录 × 3 years


@pytest.mark.parametrize(("name", "overdue"), [("street", 2), ("community", 2)])
def test_territory_home_numbers_land_on_lists_of_that_many(
    login: Any, busy: Book, name: str, overdue: int
) -> None:
    client = login(name)
    shown = dict(assert_links_land(client, expected=3))
    assert overdue in shown.values()


def test_territory_home_counts_grids_without_a_worker(login: Any, busy: Book, world: World) -> None:
    territory = login("street").get(reverse("home")).context["territory"]
    assert territory["unstaffed"] == 1  # 湖滨1格
    assert territory["tickets"]["open"] == 5  # not the one in 西山街道


def test_grid_worker_home_shows_their_week_rechecks_and_open_reports(login: Any, busy: Book) -> None:
    client = login("grid")
    shown = dict(assert_links_land(client, expected=2))
    assert shown["/tickets/?mine=true&open=true"] == 1
    assert shown["/m/rechecks/"] == 1
    grid_home = client.get(reverse("home")).context["grid_home"]
    assert [g.name for g in grid_home["grids"]] == ["东湖1格"]
    assert (grid_home["coverage"].visited, grid_home["coverage"].due) == (0, 1)


@pytest.mark.parametrize(
    ("name", "queries"),
    [("office", 15), ("leader", 22), ("unit", 15), ("street", 13), ("grid", 13)],
)
def test_home_query_count_is_fixed(
    login: Any, busy: Book, django_assert_num_queries: Any, name: str, queries: int
) -> None:
    client = login(name)
    client.get(reverse("home"))
    forget_all_numbers()  # count the numbers computed, not remembered (apps/core/numbers.py)
    with django_assert_num_queries(queries):
        client.get(reverse("home"))


def test_the_home_query_count_does_not_grow_with_data(
    login: Any, busy: Book, world: World, actors: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("office")
    client.get(reverse("home"))
    forget_all_numbers()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    now = timezone.now()
    for _ in range(3):
        dispatched(actors, world, Ticket.objects.first().category, when=now - timedelta(days=9))
    TaskFactory(
        campaign=busy.campaign, item=busy.cleaning, lead_unit=world.unit_market, deadline=timezone.localdate()
    )
    forget_all_numbers()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))
    assert len(many) == len(few)
    assert Task.objects.count() == 4


def test_the_city_numbers_are_remembered_until_a_ticket_changes(
    login: Any, busy: Book, world: World, actors: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("leader")
    first = client.get(reverse("home")).context["leader"]["tickets"]["overdue"]
    with CaptureQueriesContext(connection) as again:
        assert client.get(reverse("home")).context["leader"]["tickets"]["overdue"] == first
    assert not [q for q in again.captured_queries if "tickets_ticket" in q["sql"]]
    # A write is seen at once, not a minute later.
    dispatched(actors, world, Ticket.objects.first().category, when=timezone.now() - timedelta(days=9))
    assert client.get(reverse("home")).context["leader"]["tickets"]["overdue"] == first + 1


def test_territory_coverage_matches_the_coverage_page_it_links_to(
    login: Any, busy: Book, world: World
) -> None:
    client = login("street")
    home = client.get(reverse("home"))
    territory = home.context["territory"]
    href = next(h for h in re.findall(r'href="([^"]+)"', home.content.decode()) if "/patrols/?" in h)
    page = client.get(unescape(href)).context
    assert page["totals"] == territory["coverage"]
    assert (territory["coverage"].grids, territory["coverage"].due) == (3, 3)
