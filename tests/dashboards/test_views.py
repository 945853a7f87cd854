"""Each role lands on a home page with its own real numbers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import PASSWORD
from tests.conftest import World
from tests.tickets.factories import closed, dispatched, make_categories


def test_anonymous_home_redirects_to_login(client: Any, db: Any) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("name", "section"),
    [
        ("office", "city-home"),
        ("leader", "city-home"),
        ("inspector", "city-home"),
        ("street", "territory-home"),
        ("community", "territory-home"),
        ("unit", "unit-home"),
        ("grid", "grid-home"),
    ],
)
def test_every_role_has_its_own_home_section(login: Any, world: World, name: str, section: str) -> None:
    response = login(name).get(reverse("home"))
    assert f'id="{section}"' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "landing"),
    [("office", "home"), ("leader", "home"), ("unit", "home"), ("street", "home"), ("grid", "mobile:home")],
)
def test_signing_in_lands_where_the_day_starts(client: Any, actors: Any, name: str, landing: str) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": f"t_{name}", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(landing)


def test_signing_in_keeps_next(client: Any, actors: Any) -> None:
    response = client.post(
        reverse("accounts:login") + "?next=/tickets/", {"username": "t_grid", "password": PASSWORD}
    )
    assert response["Location"] == "/tickets/"


def test_login_with_wrong_password_shows_chinese_error(client: Any, actors: Any) -> None:
    response = client.post(reverse("accounts:login"), {"username": "t_grid", "password": "nope"})
    assert "用户名或密码错误" in response.content.decode()


def test_navigation_follows_roles(login: Any, world: World) -> None:
    grid_nav = [i["label"] for i in login("grid").get(reverse("home")).context["nav_items"]]
    office_nav = [i["label"] for i in login("office").get(reverse("home")).context["nav_items"]]
    assert grid_nav == ["首页", "手机巡查", "我的网格", "点位", "整改工单"]
    unit_nav = [i["label"] for i in login("unit").get(reverse("home")).context["nav_items"]]
    assert office_nav == [
        "首页",
        "整改工单",
        "巡查覆盖",
        "巡查发现",
        "巡查模板",
        "创建任务",
        "标准",
        "材料审核",
        "区域",
        "责任单位",
        "点位",
    ]
    assert unit_nav == ["首页", "工单待办", "我的任务", "本单位", "点位"]


def test_unit_home_shows_its_ticket_figures(
    login: Any, world: World, actors: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    categories = make_categories()
    now = timezone.now()
    closed(
        actors,
        world,
        categories.garbage,
        when=now - timedelta(days=3),
        submitted_at=now - timedelta(days=3) + timedelta(minutes=30),
        closed_at=now - timedelta(days=2),
    )
    dispatched(actors, world, categories.garbage, when=now - timedelta(days=20))  # long overdue
    response = login("unit").get(reverse("home"))
    kpi = response.context["unit_home"]["kpi"]
    assert (kpi.closed, kpi.closed_on_time, kpi.open, kpi.overdue) == (1, 1, 1, 1)
    page = response.content.decode()
    assert "按期办结率" in page
    assert "100%（1/1）" in page
