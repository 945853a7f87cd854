"""Region, unit and point pages against the access matrix: anonymous, outsider, read-only, allowed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.numbers import forget_all_numbers
from apps.regions.models import GridAssignment, Point
from tests.conftest import World
from tests.regions.factories import PointFactory

ALL = [
    "admin",
    "office",
    "leader",
    "inspector",
    "unit",
    "unit_other",
    "street",
    "street_other",
    "community",
    "grid",
    "grid2",
]


def expect(allowed: list[str], *, forbidden: list[str] = (), hidden: list[str] = ()) -> dict[str, int]:
    """Status per actor: 200 allowed, 403 seen-but-read-only, 404 out of scope, 302 anonymous."""
    table = {"anon": 302}
    table.update(dict.fromkeys(allowed, 200))
    table.update(dict.fromkeys(forbidden, 403))
    table.update(dict.fromkeys(hidden, 404))
    assert set(table) == {"anon", *ALL}, set(ALL) - set(table)
    return table


SEE_ALL = ["admin", "office", "leader", "inspector"]
MATRIX: list[tuple[str, str, dict[str, int]]] = [
    ("regions:list", "", expect(ALL)),
    ("units:list", "", expect(ALL)),
    ("points:list", "", expect(ALL)),
    # p1 sits in 东湖1格 (grid), owned by 市城管局 (unit).
    (
        "points:detail",
        "p1",
        expect(
            [*SEE_ALL, "unit", "street", "community", "grid"], hidden=["unit_other", "street_other", "grid2"]
        ),
    ),
    (
        "points:edit",
        "p1",
        expect(
            ["admin", "office", "street", "community"],
            forbidden=["leader", "inspector", "unit", "grid"],
            hidden=["unit_other", "street_other", "grid2"],
        ),
    ),
    (
        "regions:detail",
        "grid",
        expect(
            [*SEE_ALL, "unit", "street", "community", "grid"], hidden=["unit_other", "street_other", "grid2"]
        ),
    ),
    (
        "regions:edit",
        "grid",
        expect(
            ["admin", "office", "street", "community"],
            forbidden=["leader", "inspector", "unit", "grid"],
            hidden=["unit_other", "street_other", "grid2"],
        ),
    ),
    # A 街道 sees its own node but may not rename it.
    (
        "regions:edit",
        "street",
        expect(
            ["admin", "office"],
            forbidden=["leader", "inspector", "street"],
            hidden=["unit", "unit_other", "street_other", "community", "grid", "grid2"],
        ),
    ),
    (
        "units:detail",
        "unit_city",
        expect(
            [*SEE_ALL, "unit", "street", "community", "grid"], hidden=["unit_other", "street_other", "grid2"]
        ),
    ),
    (
        "units:edit",
        "unit_city",
        expect(
            ["admin", "office", "unit"],
            forbidden=["leader", "inspector", "street", "community", "grid"],
            hidden=["unit_other", "street_other", "grid2"],
        ),
    ),
]


@pytest.mark.parametrize(("url_name", "target", "expected"), MATRIX, ids=[f"{u}:{t}" for u, t, _ in MATRIX])
def test_page_access_matrix(
    login: Any, world: World, url_name: str, target: str, expected: dict[str, int]
) -> None:
    args = [getattr(world, target).pk] if target else []
    url = reverse(url_name, args=args)
    got = {name: login(name).get(url).status_code for name in expected}
    assert got == expected


def test_anonymous_is_sent_to_login_with_next(client: Any, world: World) -> None:
    url = reverse("points:detail", args=[world.p1.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_grid_worker_point_list_shows_only_their_grid(login: Any, world: World) -> None:
    response = login("grid").get(reverse("points:list"))
    assert list(response.context["page"].object_list) == [world.p1]


def test_street_point_list_shows_its_subtree(login: Any, world: World) -> None:
    response = login("street").get(reverse("points:list"))
    assert set(response.context["page"].object_list) == {world.p1, world.p2, world.p3}


def test_point_list_filters_by_region_subtree_and_type(login: Any, world: World) -> None:
    client = login("office")
    by_region = client.get(reverse("points:list"), {"region": world.community.pk})
    assert set(by_region.context["page"].object_list) == {world.p1, world.p2}
    by_type = client.get(reverse("points:list"), {"type": "toilet"})
    assert list(by_type.context["page"].object_list) == [world.p3]


def test_region_filter_offers_only_visible_regions(login: Any, world: World) -> None:
    client = login("street_other")
    response = client.get(reverse("points:list"), {"region": world.community.pk})
    assert list(response.context["page"].object_list) == []
    assert "region" in response.context["filter"].errors


def test_htmx_request_gets_only_the_results_partial(login: Any, world: World) -> None:
    response = login("office").get(reverse("points:list"), {"q": "东湖"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "东湖农贸市场" in html
    assert "<html" not in html


@pytest.mark.parametrize("url_name", ["points:list", "regions:list", "units:list"])
def test_list_page_query_count_does_not_grow_with_rows(login: Any, world: World, url_name: str) -> None:
    client = login("office")
    client.get(reverse(url_name))  # warm up session and content types
    forget_all_numbers()  # every number computed, none remembered
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url_name))
    for _ in range(15):
        PointFactory(grid=world.grid3, responsible_unit=world.unit_market)
    forget_all_numbers()  # every number computed, none remembered
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert len(many) == len(few)


def test_point_edit_saves_and_redirects(login: Any, world: World) -> None:
    client = login("street")
    data = {
        "name": "东湖农贸市场(新)",
        "type": "market",
        "address": "东湖路8号",
        "grid": world.grid2.pk,
        "lat": "30.100000",
        "lng": "120.100000",
        "responsible_unit": world.unit_city.pk,
        "is_active": "on",
    }
    response = client.post(reverse("points:edit", args=[world.p1.pk]), data)
    assert response.status_code == 302
    world.p1.refresh_from_db()
    assert (world.p1.name, world.p1.grid_id) == ("东湖农贸市场(新)", world.grid2.pk)


def test_point_edit_rejects_bad_coordinates_in_chinese_and_changes_nothing(login: Any, world: World) -> None:
    client = login("office")
    data = {
        "name": "改名",
        "type": "market",
        "grid": world.grid.pk,
        "lat": "95",
        "lng": "",
        "is_active": "on",
    }
    response = client.post(reverse("points:edit", args=[world.p1.pk]), data)
    assert response.status_code == 200
    assert "确保该值小于或等于90" in response.content.decode()
    assert Point.objects.get(pk=world.p1.pk).name == "东湖农贸市场"


def test_unit_staff_edit_only_contacts(login: Any, world: World) -> None:
    client = login("unit")
    page = client.get(reverse("units:edit", args=[world.unit_city.pk]))
    assert "name" not in page.context["form"].fields
    response = client.post(
        reverse("units:edit", args=[world.unit_city.pk]),
        {
            "principal_name": "李四",
            "principal_phone": "13900139000",
            "liaison_name": "",
            "liaison_phone": "",
            "webhook_kind": "",
            "webhook_url": "",
            "name": "被篡改",
        },
    )
    assert response.status_code == 302
    world.unit_city.refresh_from_db()
    assert (world.unit_city.principal_name, world.unit_city.name) == ("李四", "市城管局")


def test_unit_edit_rejects_bad_phone(login: Any, world: World) -> None:
    response = login("unit").post(
        reverse("units:edit", args=[world.unit_city.pk]),
        {"principal_name": "李四", "principal_phone": "12345"},
    )
    assert response.status_code == 200
    assert "请输入11位手机号" in response.content.decode()


def test_community_assigns_and_removes_a_grid_worker(
    login: Any, world: World, actors: dict[str, Any]
) -> None:
    client = login("community")
    url = reverse("regions:workers", args=[world.grid.pk])
    client.post(url, {"username": "t_grid2"}, headers={"HX-Request": "true"})
    assert world.grid.assignments.filter(worker=actors["grid2"]).exists()
    client.post(url, {"username": "t_grid2", "action": "remove"}, headers={"HX-Request": "true"})
    assert not world.grid.assignments.filter(worker=actors["grid2"]).exists()


def test_assigning_an_unknown_worker_says_so(login: Any, world: World) -> None:
    response = login("office").post(reverse("regions:workers", args=[world.grid.pk]), {"username": "nobody"})
    assert "找不到用户名为「nobody」的网格员" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "status"), [("anon", 302), ("grid2", 404), ("leader", 403), ("grid", 403), ("street", 200)]
)
def test_worker_assignment_access(login: Any, world: World, name: str, status: int) -> None:
    response = login(name).post(reverse("regions:workers", args=[world.grid.pk]), {"username": "t_grid2"})
    assert response.status_code == status


def test_region_list_counts_points_in_the_whole_subtree(login: Any, world: World) -> None:
    page = login("office").get(reverse("regions:list")).context["page"]
    counts = {row.region.name: row.point_count for row in page}
    assert counts["清河市"] == 4
    assert counts["东湖街道"] == 3
    assert counts["东湖社区"] == 2
    assert counts["西山1格"] == 1


def test_region_list_counts_only_visible_points(login: Any, world: World) -> None:
    page = login("unit").get(reverse("regions:list")).context["page"]
    assert {row.region.name: row.point_count for row in page} == {"东湖1格": 1, "湖滨1格": 1}


def test_region_detail_child_counts_are_not_multiplied_by_workers(
    login: Any, world: World, actors: dict[str, Any]
) -> None:
    GridAssignment.objects.create(grid=world.grid, worker=actors["grid2"])
    children = login("office").get(reverse("regions:detail", args=[world.community.pk])).context["children"]
    assert [(c.region.name, c.point_count, c.region.worker_count) for c in children] == [
        ("东湖1格", 1, 2),
        ("东湖2格", 1, 1),
    ]
