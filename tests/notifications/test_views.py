"""The inbox page, opening a notification, mark-all-read and the bell in the top bar."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.notifications.models import Notification
from apps.notifications.services import notify
from tests.notifications.factories import NotificationFactory

LIST = reverse("notifications:list")
READ_ALL = reverse("notifications:read_all")
EVERYONE = ["admin", "office", "leader", "inspector", "unit", "street", "community", "grid"]


def _open(pk: int) -> str:
    return reverse("notifications:open", args=[pk])


def test_anonymous_is_sent_to_login_everywhere(actors: dict[str, User], login: Any) -> None:
    mine = NotificationFactory(recipient=actors["unit"])
    client = login("anon")
    for response in (client.get(LIST), client.post(_open(mine.pk)), client.post(READ_ALL)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert Notification.objects.get(pk=mine.pk).read_at is None


@pytest.mark.parametrize("who", EVERYONE)
def test_every_signed_in_user_has_an_inbox_with_only_their_own_notifications(
    actors: dict[str, User], login: Any, who: str
) -> None:
    NotificationFactory(recipient=actors[who], title="给我的通知")
    NotificationFactory(recipient=actors["unit_other"], title="别人的通知")
    response = login(who).get(LIST)
    assert response.status_code == 200
    assert "给我的通知" in response.text
    assert "别人的通知" not in response.text


@pytest.mark.parametrize("who", ["admin", "office", "unit"])
def test_someone_elses_notification_is_404_and_stays_unread(
    actors: dict[str, User], login: Any, who: str
) -> None:
    theirs = NotificationFactory(recipient=actors["unit_other"])
    assert login(who).post(_open(theirs.pk)).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_opening_marks_read_and_follows_the_link(actors: dict[str, User], login: Any) -> None:
    mine = NotificationFactory(recipient=actors["unit"], link="/tasks/?status=open")
    response = login("unit").post(_open(mine.pk))
    assert response.status_code == 302
    assert response["Location"] == "/tasks/?status=open"
    assert Notification.objects.get(pk=mine.pk).read_at is not None


def test_opening_one_without_a_link_returns_to_the_list(actors: dict[str, User], login: Any) -> None:
    mine = NotificationFactory(recipient=actors["unit"], link="")
    response = login("unit").post(_open(mine.pk))
    assert response["Location"] == LIST
    assert Notification.objects.get(pk=mine.pk).read_at is not None


def test_opening_is_post_only(actors: dict[str, User], login: Any) -> None:
    mine = NotificationFactory(recipient=actors["unit"])
    assert login("unit").get(_open(mine.pk)).status_code == 405
    assert Notification.objects.get(pk=mine.pk).read_at is None


@pytest.mark.parametrize(
    "link",
    ["https://evil.example.com/phish", "//evil.example.com/", "javascript:alert(1)", "http://testserver/"],
)
def test_opening_refuses_to_follow_a_link_off_the_site(
    actors: dict[str, User], login: Any, link: str
) -> None:
    # Written around notify (which would refuse it), as a direct insert or an old row might be.
    mine = Notification.objects.create(recipient=actors["unit"], kind="x", title="可疑链接", link=link)
    response = login("unit").post(_open(mine.pk), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "已阻止跳转" in response.text


def test_list_is_newest_first_with_unread_highlighted(actors: dict[str, User], login: Any) -> None:
    old = NotificationFactory(recipient=actors["unit"], title="较早的通知")
    NotificationFactory(recipient=actors["unit"], title="最新的通知")
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    response = login("unit").get(LIST)
    rows = list(response.context["page"])
    assert [n.title for n in rows] == ["最新的通知", "较早的通知"]
    html = response.text
    assert html.count('<li class="unread">') == 1
    assert html.count('<li class="read">') == 1
    assert html.index("最新的通知") < html.index("较早的通知")


def test_list_can_show_only_unread(actors: dict[str, User], login: Any) -> None:
    NotificationFactory(recipient=actors["unit"], title="未读的")
    read = NotificationFactory(recipient=actors["unit"], title="已读的")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    response = login("unit").get(LIST, {"unread": "1"})
    assert [n.title for n in response.context["page"]] == ["未读的"]


def test_list_pages_by_thirty(actors: dict[str, User], login: Any) -> None:
    NotificationFactory.create_batch(31, recipient=actors["unit"])
    client = login("unit")
    assert len(client.get(LIST).context["page"]) == 30
    assert len(client.get(LIST, {"page": 2}).context["page"]) == 1


def test_mark_all_read_clears_only_own_unread(actors: dict[str, User], login: Any) -> None:
    NotificationFactory.create_batch(2, recipient=actors["unit"])
    theirs = NotificationFactory(recipient=actors["unit_other"])
    response = login("unit").post(READ_ALL, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "已将 2 条通知标为已读" in response.text
    assert not Notification.objects.visible_to(actors["unit"]).unread().exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_unread_count_is_in_the_context_and_on_the_bell(actors: dict[str, User], login: Any) -> None:
    notify(recipients=[actors["unit"]], kind="ticket_due_soon", title="一")
    notify(recipients=[actors["unit"]], kind="ticket_due_soon", title="二")
    notify(recipients=[actors["unit"]], kind="ticket_due_soon", title="三")
    NotificationFactory(recipient=actors["unit_other"])
    client = login("unit")
    for url in (LIST, reverse("home")):
        response = client.get(url)
        assert response.context["unread_notifications"] == 3
        assert f'href="{LIST}"' in response.text
        assert '<span class="bell-count">3</span>' in response.text
    assert "全部标为已读" in client.get(LIST).text


def test_the_bell_hides_the_count_when_everything_is_read(actors: dict[str, User], login: Any) -> None:
    read = NotificationFactory(recipient=actors["unit"])
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    response = login("unit").get(reverse("home"))
    assert response.context["unread_notifications"] == 0
    assert f'<a class="bell" href="{LIST}">通知</a>' in response.text
    assert "bell-count" not in response.text


def test_anonymous_pages_carry_no_unread_count(db: Any, client: Any) -> None:
    response = client.get(reverse("accounts:login"))
    assert "unread_notifications" not in response.context


def test_the_list_page_costs_the_same_queries_for_3_or_40_notifications(
    actors: dict[str, User], login: Any
) -> None:
    client = login("unit")
    NotificationFactory.create_batch(3, recipient=actors["unit"])
    client.get(LIST)  # warm up the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    NotificationFactory.create_batch(37, recipient=actors["unit"])
    client.get(LIST)  # the bell's count, forgotten by the new rows, is remembered again
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_bell_is_remembered_and_follows_every_write_at_once(actors: dict[str, User], login: Any) -> None:
    client = login("unit")
    mine = NotificationFactory(recipient=actors["unit"])
    assert client.get(LIST).context["unread_notifications"] == 1
    with CaptureQueriesContext(connection) as again:
        assert client.get(LIST).context["unread_notifications"] == 1
    assert not [q for q in again.captured_queries if "COUNT(*)" in q["sql"] and "read_at" in q["sql"]]
    notify(recipients=[actors["unit"]], kind="ticket", title="新工单")  # one bulk insert, no signal
    assert client.get(LIST).context["unread_notifications"] == 2
    client.post(_open(mine.pk))
    assert client.get(LIST).context["unread_notifications"] == 1
    client.post(READ_ALL)
    assert client.get(LIST).context["unread_notifications"] == 0
