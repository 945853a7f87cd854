"""/api/v1/tickets/ reading: who sees what, list rows, no direct edits, filters and flat query counts.

The tickets sit around 东湖农贸市场 (p1) in 东湖1格, where `grid` works; `grid2` works in 东湖2格.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.tickets.models import ProblemCategory, Supervision, Ticket, TicketSource
from apps.tickets.services import ticket_accept, ticket_dispatch, ticket_submit
from tests.conftest import World
from tests.tickets.conftest import dispatched, in_progress, jpeg, opened, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


@pytest.fixture
def litter(garbage: ProblemCategory) -> ProblemCategory:
    """市容环境 / 乱扔杂物: a second 小类 under the same 大类 (1 工作日)."""
    return ProblemCategory.objects.create(
        code="T-SR-02", name="乱扔杂物", parent=garbage.parent, deadline_value=1, deadline_unit="work_day"
    )


# --- reading: who sees what ---


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anon", 401),
        ("unit_other", 404),
        ("grid2", 404),
        ("street_other", 404),
        ("unit", 200),
        ("grid", 200),
        ("street", 200),
        ("community", 200),
        ("leader", 200),
        ("inspector", 200),
        ("office", 200),
    ],
)
def test_ticket_detail_access(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory, name: str, status: int
) -> None:
    ticket = dispatched(actors, world, garbage)
    assert api(name).get(url(ticket)).status_code == status
    assert api(name).get(url(ticket, "events")).status_code == status


@pytest.mark.parametrize(
    ("name", "sees"),
    [
        ("office", {"p1", "p2", "p4"}),
        ("leader", {"p1", "p2", "p4"}),
        ("unit", {"p1"}),
        ("unit_other", {"p2"}),
        ("grid", {"p1"}),
        ("grid2", {"p2"}),
        ("street", {"p1", "p2"}),
        ("street_other", {"p4"}),
    ],
)
def test_ticket_list_is_scoped_by_visibility(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory, name: str, sees: set[str]
) -> None:
    dispatched(actors, world, garbage, point=world.p1, region=world.grid, title="p1")
    ticket = opened(actors, world, garbage, point=world.p2, region=world.grid2, title="p2")
    ticket_dispatch(ticket=ticket, actor=actors["office"], unit=world.unit_market)
    opened(actors, world, garbage, point=world.p4, region=world.grid4, title="p4")
    titles = {row["title"] for row in api(name).get("/api/v1/tickets/").json()["results"]}
    assert titles == sees


def test_list_rows_carry_labels_and_refs(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = dispatched(actors, world, garbage)
    [row] = api("unit").get("/api/v1/tickets/").json()["results"]
    assert row["id"] == ticket.pk
    assert row["category"] == {
        "id": garbage.pk,
        "code": "T-SR-01",
        "name": "暴露垃圾",
        "parent_name": "市容环境",
    }
    assert row["region"] == {"id": world.grid.pk, "name": "东湖1格", "level": "grid"}
    assert row["point"] == {"id": world.p1.pk, "name": "东湖农贸市场"}
    assert row["responsible_unit"] == {"id": world.unit_city.pk, "name": "市城管局"}
    assert (row["source_display"], row["status_display"], row["supervision_display"]) == (
        "创卫办发现",
        "待签收",
        "普通",
    )
    assert row["is_overdue"] is False
    assert "events" not in row


def test_tickets_cannot_be_edited_or_deleted_directly(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = opened(actors, world, garbage)
    client = api("office")
    assert client.patch(url(ticket), {"title": "改"}, format="json").status_code == 405
    assert client.delete(url(ticket)).status_code == 405
    assert Ticket.objects.get().title == "市场门口暴露垃圾"


# --- filters ---


@pytest.fixture
def spread(
    actors: dict[str, User],
    world: World,
    garbage: ProblemCategory,
    litter: ProblemCategory,
    food: ProblemCategory,
) -> dict[str, Ticket]:
    """Five tickets across categories, places, units, states and sources."""
    office = actors["office"]
    a = in_progress(actors, world, garbage, title="A 垃圾")
    b = opened(
        actors, world, litter, title="B 杂物", point=world.p3, region=world.grid3, source=TicketSource.MEDIA
    )
    c = opened(actors, world, food, title="C 三防", point=world.p4, region=world.grid4)
    ticket_dispatch(ticket=c, actor=office, unit=world.unit_market)
    # Dispatched a month ago with a 4 工作时 limit: long overdue.
    d = opened(actors, world, garbage, title="D 超期", point=world.p2, region=world.grid2)
    ticket_dispatch(ticket=d, actor=office, unit=world.unit_city, now=timezone.now() - timedelta(days=30))
    e = opened(actors, world, garbage, title="E 旧", source=TicketSource.COMPLAINT)
    Ticket.objects.filter(pk=e.pk).update(
        created_at=timezone.now() - timedelta(days=10), supervision=Supervision.YELLOW
    )
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "abcde"),
        ("?status=filed", "be"),
        ("?status=filed&status=dispatched", "bcde"),
        ("?overdue=true", "d"),
        ("?overdue=false", "abce"),
        ("?supervision=1", "e"),
        ("?source=media", "b"),
        ("?q=三防", "c"),
        ("?q=ZG-", "abcde"),
        ("?unit={unit_market}", "c"),
        ("?unit={unit_city}", "ad"),
        ("?region={street}", "abde"),
        ("?region={community}", "ade"),
        ("?region={grid4}", "c"),
        ("?region=999999", ""),
        ("?category={garbage}", "ade"),
        ("?category={main}", "abde"),
        ("?category={food}", "c"),
        ("?created_before={ten_days_ago}", "e"),
        ("?created_after={today}", "abcd"),
        ("?ordering=created_at", "eabcd"),
    ],
)
def test_list_filters(
    api: Any,
    world: World,
    garbage: ProblemCategory,
    food: ProblemCategory,
    spread: dict[str, Ticket],
    query: str,
    expected: str,
) -> None:
    today = timezone.localdate()
    query = query.format(
        unit_market=world.unit_market.pk,
        unit_city=world.unit_city.pk,
        street=world.street.pk,
        community=world.community.pk,
        grid4=world.grid4.pk,
        garbage=garbage.pk,
        main=garbage.parent_id,
        food=food.pk,
        today=today.isoformat(),
        ten_days_ago=(today - timedelta(days=10)).isoformat(),
    )
    response = api("office").get(f"/api/v1/tickets/{query}")
    assert response.status_code == 200, response.content
    ids = [row["id"] for row in response.json()["results"]]
    names = {ticket.pk: name for name, ticket in spread.items()}
    found = "".join(names[pk] for pk in ids)
    assert (found if "ordering" in query else "".join(sorted(found))) == expected


def test_the_overdue_flag_in_the_list(api: Any, spread: dict[str, Ticket]) -> None:
    rows = {
        row["title"]: row["is_overdue"] for row in api("office").get("/api/v1/tickets/").json()["results"]
    }
    assert rows == {"A 垃圾": False, "B 杂物": False, "C 三防": False, "D 超期": True, "E 旧": False}


def test_bad_filter_values_are_a_400(api: Any, spread: dict[str, Ticket]) -> None:
    client = api("office")
    assert client.get("/api/v1/tickets/?status=nonsense").status_code == 400
    assert client.get("/api/v1/tickets/?created_after=yesterday").status_code == 400
    assert client.get("/api/v1/tickets/?unit=abc").status_code == 400


# --- query counts ---


@pytest.mark.parametrize("name", ["office", "unit", "grid", "street"])
def test_list_query_count_does_not_grow_with_rows(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory, name: str
) -> None:
    client = api(name)
    dispatched(actors, world, garbage)
    client.get("/api/v1/tickets/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/tickets/").json()["count"] == 1
    for _ in range(4):
        dispatched(actors, world, garbage)
    assert client.get("/api/v1/tickets/").json()["count"] == 5  # the remembered total is forgotten at once
    with CaptureQueriesContext(connection) as five:
        assert client.get("/api/v1/tickets/").json()["count"] == 5
    assert len(five) == len(one)


def test_detail_query_count_does_not_grow_with_the_timeline(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = dispatched(actors, world, garbage)
    client = api("inspector")
    client.get(url(ticket))
    with CaptureQueriesContext(connection) as short:
        assert len(client.get(url(ticket)).json()["events"]) == 2
    ticket_accept(ticket=ticket, actor=actors["unit"])
    ticket_submit(ticket=ticket, actor=actors["unit"], comment="", photos=[jpeg(), jpeg()])
    with CaptureQueriesContext(connection) as long:
        body = client.get(url(ticket)).json()
    assert (len(body["events"]), len(body["photos"])) == (4, 3)
    assert len(long) == len(short)
