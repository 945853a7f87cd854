"""/api/v1/ campaigns and tasks, read: anonymous access, the access matrix, filters, flat query counts.

Actors: `unit` leads T-03, `unit_other` supports it, `unit_third` belongs to a unit with no part in it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.checklists.models import EvidenceStatus, Task, TaskStatus
from tests.checklists.conftest import Book, _more_tasks, _upload_ledger
from tests.checklists.factories import TaskFactory
from tests.conftest import World

pytestmark = pytest.mark.django_db


# --- anonymous ---


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/campaigns/"),
        ("get", "/api/v1/campaigns/{campaign}/"),
        ("get", "/api/v1/tasks/"),
        ("get", "/api/v1/tasks/{task}/"),
        ("post", "/api/v1/tasks/{task}/evidence/"),
        ("post", "/api/v1/tasks/{task}/progress/"),
        ("get", "/api/v1/evidence/"),
        ("get", "/api/v1/evidence/{evidence}/"),
        ("post", "/api/v1/evidence/{evidence}/approve/"),
        ("post", "/api/v1/evidence/{evidence}/return/"),
        ("post", "/api/v1/evidence/review/"),
    ],
)
def test_anonymous_gets_401_everywhere(
    api: Any, book: Book, actors: dict[str, User], method: str, path: str
) -> None:
    evidence = _upload_ledger(book, actors["unit"])
    url = path.format(campaign=book.campaign.pk, task=book.task.pk, evidence=evidence.pk)
    assert getattr(api("anon"), method)(url).status_code == 401
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.PENDING


# --- campaigns ---


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("office", 1),
        ("leader", 1),
        ("inspector", 1),
        ("unit", 1),
        ("unit_other", 1),
        ("unit_third", 1),
        ("street", 0),
        ("grid", 0),
    ],
)
def test_campaign_list_is_city_wide_for_unit_staff_and_hidden_from_territorial_staff(
    api: Any, book: Book, name: str, count: int
) -> None:
    assert api(name).get("/api/v1/campaigns/").json()["count"] == count


@pytest.mark.parametrize(
    ("name", "status"), [("street", 404), ("grid", 404), ("unit_third", 200), ("office", 200)]
)
def test_campaign_detail_access(api: Any, book: Book, name: str, status: int) -> None:
    assert api(name).get(f"/api/v1/campaigns/{book.campaign.pk}/").status_code == status


def test_campaign_detail_shows_standard_years_and_labels(api: Any, book: Book) -> None:
    body = api("unit").get(f"/api/v1/campaigns/{book.campaign.pk}/").json()
    assert body["standard_name"] == "测试标准"
    assert body["years"] == [2025, 2026, 2027]
    assert (body["kind"], body["kind_display"]) == ("create", "创建")
    assert (body["status"], body["status_display"]) == ("active", "推进中")


def test_campaigns_are_read_only(api: Any, book: Book) -> None:
    client = api("office")
    assert client.post("/api/v1/campaigns/", {}, format="json").status_code == 405
    assert client.delete(f"/api/v1/campaigns/{book.campaign.pk}/").status_code == 405


# --- tasks: reading ---


@pytest.mark.parametrize(
    ("name", "sees"),
    [
        ("office", True),
        ("leader", True),
        ("inspector", True),
        ("unit", True),
        ("unit_other", True),
        ("unit_third", False),
        ("street", False),
        ("grid", False),
    ],
)
def test_task_list_is_scoped_to_lead_and_supporting_units(
    api: Any, book: Book, name: str, sees: bool
) -> None:
    ids = [r["id"] for r in api(name).get("/api/v1/tasks/").json()["results"]]
    assert ids == ([book.task.pk] if sees else [])


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anon", 401),
        ("unit_third", 404),
        ("street", 404),
        ("unit_other", 200),
        ("leader", 200),
        ("unit", 200),
        ("office", 200),
    ],
)
def test_task_detail_access(api: Any, book: Book, name: str, status: int) -> None:
    assert api(name).get(f"/api/v1/tasks/{book.task.pk}/").status_code == status


def test_task_detail_says_what_to_upload_and_how_far_it_is(api: Any, book: Book, world: World) -> None:
    body = api("unit_other").get(f"/api/v1/tasks/{book.task.pk}/").json()
    assert (body["item_code"], body["item_title"]) == ("T-03", "道路保洁")
    assert body["category"] == {"id": book.c2.pk, "code": "C2", "name": "市容环境"}
    assert body["lead_unit"] == {"id": world.unit_city.pk, "name": "市城管局"}
    assert body["supporting_units"] == [{"id": world.unit_market.pk, "name": "市市场监督管理局"}]
    assert (body["status"], body["status_display"], body["is_overdue"]) == ("not_started", "未启动", False)
    assert body["deadline"] == "2027-03-31"
    assert body["campaign_years"] == [2025, 2026, 2027]
    assert body["requirements"] == [
        {"id": book.ledger.pk, "name": "保洁台账", "description": "", "per_year": False}
    ]
    assert body["progress"] == {
        "required": 1,
        "approved": 0,
        "pending": 0,
        "percent": 0,
        "missing": ["保洁台账"],
        "returned": [],
    }


def test_task_list_filters(api: Any, book: Book, world: World) -> None:
    late = TaskFactory(
        campaign=book.campaign,
        item=book.funding,
        lead_unit=world.unit_market,
        deadline=timezone.localdate() - timedelta(days=1),
        status=TaskStatus.IN_PROGRESS,
    )
    client = api("office")

    def ids(**params: Any) -> set[int]:
        response = client.get("/api/v1/tasks/", params)
        assert response.status_code == 200, response.content
        return {r["id"] for r in response.json()["results"]}

    assert ids() == {book.task.pk, late.pk}
    assert ids(campaign=book.campaign.pk) == {book.task.pk, late.pk}
    assert ids(status="in_progress") == {late.pk}
    assert ids(lead_unit=world.unit_city.pk) == {book.task.pk}
    assert ids(overdue="true") == {late.pk}
    assert ids(overdue="false") == {book.task.pk}
    assert ids(q="t-03") == {book.task.pk}
    assert ids(q="经费") == {late.pk}
    assert client.get("/api/v1/tasks/", {"status": "nonsense"}).status_code == 400


def test_overdue_flag_in_the_list(api: Any, book: Book) -> None:
    Task.objects.filter(pk=book.task.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    row = api("unit").get("/api/v1/tasks/").json()["results"][0]
    assert row["is_overdue"] is True


@pytest.mark.parametrize("name", ["office", "unit", "unit_other"])
def test_task_list_query_count_does_not_grow_with_rows(
    api: Any, book: Book, world: World, actors: dict[str, User], name: str
) -> None:
    client = api(name)
    client.get("/api/v1/tasks/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/tasks/").json()["count"] == 1
    _more_tasks(book, world, actors, 4)
    with CaptureQueriesContext(connection) as five:
        assert client.get("/api/v1/tasks/").json()["count"] == 5
    assert len(five) == len(one)
