"""/api/v1/notifications/: own notifications only, unread filter, mark one or all read, in the schema."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.notifications.models import Notification
from tests.notifications.factories import NotificationFactory

LIST = "/api/v1/notifications/"
READ_ALL = "/api/v1/notifications/read-all/"


def _read(pk: int) -> str:
    return f"/api/v1/notifications/{pk}/read/"


@pytest.fixture
def api(actors: dict[str, User]) -> Any:
    """An API client signed in as the named actor (anonymous for 'anon')."""

    def _api(name: str) -> APIClient:
        client = APIClient()
        if name != "anon":
            client.force_authenticate(actors[name])
        return client

    return _api


def test_anonymous_gets_401(api: Any, actors: dict[str, User]) -> None:
    mine = NotificationFactory(recipient=actors["unit"])
    client = api("anon")
    assert client.get(LIST).status_code == 401
    assert client.get(f"{LIST}{mine.pk}/").status_code == 401
    assert client.post(_read(mine.pk)).status_code == 401
    assert client.post(READ_ALL).status_code == 401
    assert Notification.objects.get(pk=mine.pk).read_at is None


def test_list_holds_only_own_notifications_newest_first(api: Any, actors: dict[str, User]) -> None:
    first = NotificationFactory(recipient=actors["unit"], title="一")
    second = NotificationFactory(recipient=actors["unit"], title="二")
    NotificationFactory(recipient=actors["office"])
    body = api("unit").get(LIST).json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [second.pk, first.pk]
    assert set(body["results"][0]) == {
        "id",
        "kind",
        "title",
        "body",
        "link",
        "created_at",
        "read_at",
        "is_read",
    }


def test_list_filters_unread(api: Any, actors: dict[str, User]) -> None:
    unread = NotificationFactory(recipient=actors["unit"])
    read = NotificationFactory(recipient=actors["unit"])
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    client = api("unit")
    assert [r["id"] for r in client.get(LIST, {"unread": "true"}).json()["results"]] == [unread.pk]
    assert [r["id"] for r in client.get(LIST, {"unread": "false"}).json()["results"]] == [read.pk]


@pytest.mark.parametrize("who", ["admin", "office", "unit_other"])
def test_someone_elses_notification_is_404(api: Any, actors: dict[str, User], who: str) -> None:
    theirs = NotificationFactory(recipient=actors["unit"])
    client = api(who)
    assert client.get(f"{LIST}{theirs.pk}/").status_code == 404
    assert client.post(_read(theirs.pk)).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_marking_own_notification_read(api: Any, actors: dict[str, User]) -> None:
    mine = NotificationFactory(recipient=actors["unit"])
    response = api("unit").post(_read(mine.pk))
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert response.json()["read_at"] is not None
    assert Notification.objects.get(pk=mine.pk).read_at is not None


def test_read_all_marks_own_unread_and_reports_the_number(api: Any, actors: dict[str, User]) -> None:
    NotificationFactory.create_batch(3, recipient=actors["unit"])
    theirs = NotificationFactory(recipient=actors["office"])
    response = api("unit").post(READ_ALL)
    assert response.status_code == 200
    assert response.json() == {"updated": 3}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_endpoints_are_in_the_schema(api: Any) -> None:
    schema = api("office").get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "get" in paths["/api/v1/notifications/"]
    assert "unread" in {p["name"] for p in paths["/api/v1/notifications/"]["get"]["parameters"]}
    assert "post" in paths["/api/v1/notifications/{id}/read/"]
    assert "post" in paths["/api/v1/notifications/read-all/"]
