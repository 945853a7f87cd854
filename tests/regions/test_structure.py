"""The territory's structure in numbers lives on the region list, scoped like the list itself."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.conftest import World


def test_region_list_counts_the_whole_city_for_the_office(login: Any, world: World) -> None:
    structure = login("office").get(reverse("regions:list")).context["structure"]
    assert [lv["n"] for lv in structure["levels"]] == [1, 1, 2, 3, 4]
    s = structure
    assert (s["point_count"], s["worker_count"], s["grids_without_worker"]) == (4, 2, 2)
    assert structure["points_by_district"] == [{"name": "东城区", "pk": world.district.pk, "n": 4}]
    assert {row["label"]: row["n"] for row in structure["points_by_type"]}["农贸市场"] == 1


def test_region_list_counts_only_the_street_territory_for_its_staff(login: Any, world: World) -> None:
    structure = login("street").get(reverse("regions:list")).context["structure"]
    s = structure
    assert (s["point_count"], s["worker_count"], s["grids_without_worker"]) == (3, 2, 1)


def test_the_structure_numbers_left_the_home(login: Any, world: World) -> None:
    page = login("office").get(reverse("home")).content.decode()
    assert "点位类型分布" not in page
    assert "点位类型分布" in login("office").get(reverse("regions:list")).content.decode()


def test_grids_without_a_worker_link_lands_on_exactly_those_grids(login: Any, world: World) -> None:
    client = login("office")
    structure = client.get(reverse("regions:list")).context["structure"]
    page = client.get(reverse("regions:list") + "?level=grid&staffed=false").context["page"]
    assert [r.region.name for r in page] == ["湖滨1格", "西山1格"]
    assert page.paginator.count == structure["grids_without_worker"]
    staffed = client.get(reverse("regions:list") + "?staffed=true").context["page"]
    assert [r.region.name for r in staffed] == ["东湖1格", "东湖2格"]


def test_an_htmx_swap_of_the_region_list_skips_the_structure(login: Any, world: World) -> None:
    response = login("office").get(reverse("regions:list") + "?level=grid", HTTP_HX_REQUEST="true")
    assert "structure" not in response.context
