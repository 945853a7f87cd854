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


def test_grid_worker_home_lists_only_their_grid(login: Any, world: World) -> None:
    response = login("grid").get(reverse("home"))
    grids = response.context["grid_home"]["grids"]
    assert [g.name for g in grids] == ["东湖1格"]
    assert grids[0].point_count == 1
    assert grids[0].ancestry == "东城区 / 东湖街道 / 东湖社区"
    html = response.content.decode()
    assert "东湖1格" in html
    assert "东湖2格" not in html
    assert "city" not in response.context


def test_office_home_counts_the_whole_city(login: Any, world: World) -> None:
    city = login("office").get(reverse("home")).context["city"]
    assert [lv["n"] for lv in city["levels"]] == [1, 1, 2, 3, 4]
    assert city["point_count"] == 4
    assert city["grids_without_worker"] == 2
    assert city["points_by_district"] == [{"name": "东城区", "pk": world.district.pk, "n": 4}]
    assert {row["label"]: row["n"] for row in city["points_by_type"]}["农贸市场"] == 1


def test_leader_home_is_the_city_overview_without_edit_rights(login: Any, world: World) -> None:
    response = login("leader").get(reverse("home"))
    assert response.context["city"]["point_count"] == 4
    assert "后台管理" not in response.content.decode()


def test_street_home_counts_its_territory(login: Any, world: World) -> None:
    territory = login("street").get(reverse("home")).context["territory"]
    assert territory["root"] == world.street
    assert (territory["grid_count"], territory["point_count"], territory["worker_count"]) == (3, 3, 2)
    assert [g.name for g in territory["uncovered_grids"]] == ["湖滨1格"]
    assert territory["uncovered_count"] == 1


def test_unit_home_counts_its_points(login: Any, world: World) -> None:
    unit_home = login("unit").get(reverse("home")).context["unit_home"]
    assert unit_home["unit"] == world.unit_city
    assert unit_home["point_count"] == 2


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
