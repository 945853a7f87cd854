"""/m/: the phone app's shell, manifest and service worker, and 核查 on the phone (list, pass, fail).

`grid` works 东湖1格 (p1 东湖农贸市场), `grid2` works 东湖2格. The manifest and the service worker are public:
a browser fetches the manifest without the session cookie, and neither holds anyone's data.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.tickets.models import PhotoKind, Ticket, TicketEvent, TicketStatus
from tests.conftest import World
from tests.patrols.factories import Templates, photo
from tests.tickets.factories import at, in_progress, recheck, submit

pytestmark = pytest.mark.django_db


def waiting_ticket(actors: dict[str, User], world: World, templates: Templates, **kw: Any) -> Ticket:
    """暴露垃圾 at 东湖农贸市场, fixed by 市城管局 and waiting for 核查 (unless placed elsewhere)."""
    kw.setdefault("point", world.p1)
    ticket = in_progress(actors, world, templates.categories.garbage, when=at(20, 9), **kw)
    return submit(actors, ticket, when=at(20, 11))


@pytest.fixture
def ticket(actors: dict[str, User], world: World, templates: Templates) -> Ticket:
    return waiting_ticket(actors, world, templates)


# --- who may open what ---


@pytest.mark.parametrize("path", ["/m/", "/m/rechecks/", "/m/rechecks/{pk}/"])
def test_anonymous_is_sent_to_login(client: Client, ticket: Ticket, path: str) -> None:
    url = path.format(pk=ticket.pk)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("who", ["office", "unit", "street", "inspector"])
@pytest.mark.parametrize("path", ["/m/", "/m/rechecks/", "/m/rechecks/{pk}/"])
def test_the_phone_pages_are_only_for_grid_workers(login: Any, ticket: Ticket, who: str, path: str) -> None:
    response = login(who).get(path.format(pk=ticket.pk))
    assert response.status_code == 403
    assert "手机巡查页面仅供网格员使用" in response.content.decode()


def test_grid_worker_opens_the_app_with_the_recheck_count(login: Any, ticket: Ticket) -> None:
    response = login("grid").get("/m/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<b id="recheck-count">1</b>' in page
    assert 'rel="manifest" href="/m/manifest.webmanifest"' in page
    assert 'data-grids="/api/v1/patrols/my-grids/"' in page
    assert "csrftoken" in response.cookies  # the queued API posts read it from the cookie


def test_every_phone_page_carries_the_offline_banner_and_the_offline_sign_out_question(
    login: Any, ticket: Ticket
) -> None:
    client = login("grid")
    for path in ("/m/", "/m/rechecks/", f"/m/rechecks/{ticket.pk}/"):
        page = client.get(path).content.decode()
        assert 'id="offline-banner"' in page, path
        assert "重新登录需要网络" in page, path
    # The sign-in time names the session an offline 退出 still owes the server.
    user = User.objects.get(username="t_grid")
    assert f'data-login="{int(user.last_login.timestamp())}"' in client.get("/m/").content.decode()


def test_grid_worker_of_the_next_grid_sees_none_of_the_tickets(login: Any, ticket: Ticket) -> None:
    client = login("grid2")
    assert client.get("/m/").status_code == 200
    assert '<b id="recheck-count">0</b>' in client.get("/m/").content.decode()
    assert ticket.title not in client.get("/m/rechecks/").content.decode()
    assert client.get(f"/m/rechecks/{ticket.pk}/").status_code == 404
    assert client.post(f"/m/rechecks/{ticket.pk}/", {"passed": "1"}).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SUBMITTED


@pytest.mark.parametrize("who", ["anon", "grid", "office"])
def test_manifest_is_public_and_describes_the_app(login: Any, who: str) -> None:
    response = login(who).get("/m/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "创卫网格巡查"
    assert manifest["short_name"] == "网格巡查"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/m/", "/m/", "standalone")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


@pytest.mark.parametrize("who", ["anon", "grid"])
def test_service_worker_is_served_for_the_m_scope(login: Any, who: str) -> None:
    response = login(who).get("/m/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/m/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert "/static/m/app.js" in script
    assert "/api/" not in script  # API answers are never cached by the worker
    version = script.split('const VERSION = "', 1)[1].split('"', 1)[0]
    assert len(version) == 12


# --- 核查 ---


def test_recheck_list_shows_the_workers_waiting_tickets(
    login: Any, actors: dict[str, User], world: World, templates: Templates, ticket: Ticket
) -> None:
    waiting_ticket(actors, world, templates, region=world.grid2, point=world.p2, title="东湖路暴露垃圾")
    page = login("grid").get("/m/rechecks/").content.decode()
    assert ticket.number in page
    assert f'href="/m/rechecks/{ticket.pk}/"' in page
    assert "东湖路暴露垃圾" not in page


def test_recheck_page_shows_the_units_after_photos(login: Any, ticket: Ticket) -> None:
    client = login("grid")
    response = client.get(f"/m/rechecks/{ticket.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    after = ticket.photos.get(kind=PhotoKind.AFTER)
    # A two-column grid on a phone: the thumbnail, linking to the full photo.
    assert f'<a href="/tickets/photos/{after.pk}/"><img src="/tickets/photos/{after.pk}/?size=thumb"' in page
    assert 'capture="environment"' in page
    assert client.get(f"/tickets/photos/{after.pk}/").status_code == 200
    assert client.get(f"/tickets/photos/{after.pk}/?size=thumb").status_code == 200


def test_failing_without_a_reason_is_refused_in_chinese_and_changes_nothing(
    login: Any, ticket: Ticket
) -> None:
    events = TicketEvent.objects.filter(ticket=ticket).count()
    response = login("grid").post(f"/m/rechecks/{ticket.pk}/", {"passed": "0", "comment": "  "})
    assert response.status_code == 200
    assert "请填写返工原因" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SUBMITTED
    assert ticket.rework_count == 0
    assert TicketEvent.objects.filter(ticket=ticket).count() == events


def test_no_result_chosen_is_a_form_error(login: Any, ticket: Ticket) -> None:
    response = login("grid").post(f"/m/rechecks/{ticket.pk}/", {"comment": "看过了"})
    assert response.status_code == 200
    assert "请选择核查结果：通过或不通过。" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SUBMITTED


def test_failing_with_a_reason_sends_the_ticket_back_for_rework(login: Any, ticket: Ticket) -> None:
    response = login("grid").post(f"/m/rechecks/{ticket.pk}/", {"passed": "0", "comment": "仍有垃圾"})
    assert response.status_code == 302
    assert response["Location"] == "/m/rechecks/"
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.rework_count == 1


def test_passing_closes_the_ticket_with_the_check_photo(login: Any, ticket: Ticket) -> None:
    client = login("grid")
    response = client.post(
        f"/m/rechecks/{ticket.pk}/",
        {"passed": "1", "comment": "", "photos": [photo("check.jpg")]},
        follow=True,
    )
    assert response.redirect_chain == [("/m/rechecks/", 302)]
    assert f"{ticket.number}：核查通过，工单已销号。" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    assert ticket.photos.filter(kind=PhotoKind.CHECK).count() == 1


def test_a_ticket_no_longer_waiting_shows_why_and_cannot_be_rechecked(
    login: Any, actors: dict[str, User], ticket: Ticket
) -> None:
    recheck(actors, ticket, when=at(20, 15))
    client = login("grid")
    assert "不需要核查" in client.get(f"/m/rechecks/{ticket.pk}/").content.decode()
    response = client.post(f"/m/rechecks/{ticket.pk}/", {"passed": "0", "comment": "再看看"})
    assert response.status_code == 200
    assert "不能核查" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED


def test_recheck_list_query_count_does_not_grow_with_tickets(
    login: Any, actors: dict[str, User], world: World, templates: Templates, ticket: Ticket
) -> None:
    client = login("grid")
    client.get("/m/rechecks/")  # warm the session and the user's roles

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/m/rechecks/").status_code == 200
        return len(queries)

    one = count()
    for _ in range(4):
        waiting_ticket(actors, world, templates)
    assert Ticket.objects.filter(status=TicketStatus.SUBMITTED).count() == 5
    assert count() == one


def test_the_phone_home_shows_the_weeks_progress_and_open_reports(login: Any, world: Any) -> None:
    html = login("grid").get(reverse("mobile:home")).content.decode()
    assert "本周已巡 <b>0/1</b> 个点位" in html  # 东湖1格 has one point, not yet walked this week
    assert '我上报未办结 <b id="open-reports">0</b> 件' in html
