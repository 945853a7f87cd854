"""The report form's 点位 field: a search limited to the chosen region and to what the user may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from apps.regions.models import PointType
from apps.tickets.models import ProblemCategory, Ticket
from tests.conftest import World
from tests.regions.factories import PointFactory

OPTIONS = reverse("tickets:point_options")
CREATE = reverse("tickets:create")


def shown(response: Any) -> list[str]:
    return [p.name for p in response.context["points"]]


def test_only_the_chosen_regions_points_are_offered_and_searched(login: Any, world: World) -> None:
    PointFactory(name="东湖菜场", type=PointType.MARKET, grid=world.grid)
    client = login("office")
    assert shown(client.get(OPTIONS, {"region": world.grid.pk})) == ["东湖农贸市场", "东湖菜场"]
    assert shown(client.get(OPTIONS, {"region": world.grid.pk, "point_q": "菜场"})) == ["东湖菜场"]
    assert shown(client.get(OPTIONS, {"region": world.street.pk})) == [
        "东湖农贸市场",
        "东湖菜场",
        "东湖路",
        "湖滨公厕",
    ]
    assert shown(client.get(OPTIONS, {"region": "x"})) == []


def test_the_form_page_lists_no_points_until_a_region_is_chosen(login: Any, world: World) -> None:
    html = login("office").get(CREATE).content.decode()
    assert 'name="point"' in html  # the 不指定点位 choice only
    assert "东湖农贸市场" not in html
    assert "先选择所在区域" in html


def test_a_long_list_is_cut_and_says_so(login: Any, world: World, django_assert_max_num_queries: Any) -> None:
    for n in range(25):
        PointFactory(name=f"东湖商铺{n:02d}", type=PointType.SMALL_FOOD, grid=world.grid)
    client = login("office")
    with django_assert_max_num_queries(8):
        response = client.get(OPTIONS, {"region": world.grid.pk})
    assert len(shown(response)) == 20
    assert "只列出前 20 个" in response.content.decode()


def test_a_grid_worker_sees_only_their_grids_points(login: Any, world: World) -> None:
    client = login("grid")
    assert shown(client.get(OPTIONS, {"region": world.grid.pk})) == ["东湖农贸市场"]
    assert shown(client.get(OPTIONS, {"region": world.grid2.pk})) == []  # not theirs: nothing offered


@pytest.mark.parametrize(("who", "status"), [("anon", 302), ("unit", 403)])
def test_who_may_not_report_gets_no_points(login: Any, world: World, who: str, status: int) -> None:
    assert login(who).get(OPTIONS, {"region": world.grid.pk}).status_code == status


def test_a_point_outside_the_region_is_still_refused_on_save(login: Any, world: World) -> None:
    parent = ProblemCategory.objects.create(code="P-SR", name="市容环境")
    garbage = ProblemCategory.objects.create(code="P-SR-01", name="暴露垃圾", parent=parent)
    data = {
        "source": "office",
        "category": garbage.pk,
        "title": "x",
        "region": world.grid.pk,
        "point": world.p2.pk,
    }
    response = login("office").post(CREATE, data)
    assert response.status_code == 200
    assert "所选点位不在该区域内" in response.content.decode()
    assert not Ticket.objects.exists()
