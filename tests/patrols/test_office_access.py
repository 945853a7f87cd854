"""/patrols/ office pages: who may open each, what other territories see, and the navigation by role.

`grid` works 东湖1格 (p1 东湖农贸市场), `grid2` works 东湖2格 (p2 东湖路); `street` has 东湖街道,
`street_other` 西山街道. The week looked at is 2026-W48 (Monday 23 – Sunday 29 November 2026, Shanghai time).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from apps.regions.models import Region
from tests.conftest import World
from tests.patrols.conftest import COVERAGE, FINDINGS, PATROLS, TEMPLATES, WEEK, Week, page, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [COVERAGE, FINDINGS, PATROLS, TEMPLATES])
def test_anonymous_visitors_are_sent_to_log_in(login: Any, url: str) -> None:
    response = login("anon").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_who_may_open_each_page(login: Any, week: Week) -> None:
    finding = reverse("patrols:finding", args=[week.reported.uuid])
    patrol = reverse("patrols:detail", args=[week.patrol.uuid])
    urls = {"coverage": COVERAGE, "patrols": PATROLS, "templates": TEMPLATES, "findings": FINDINGS}
    urls |= {"finding": finding, "patrol": patrol}
    expected = {
        "office": dict.fromkeys(urls, 200),
        "admin": dict.fromkeys(urls, 200),
        "leader": dict.fromkeys(urls, 200),
        "inspector": dict.fromkeys(urls, 200),
        "street": dict.fromkeys(urls, 200),
        "community": dict.fromkeys(urls, 200),
        "street_other": {**dict.fromkeys(urls, 200), "finding": 404, "patrol": 404},
        "grid": {
            "coverage": 403,
            "patrols": 403,
            "templates": 403,
            "findings": 200,
            "finding": 200,
            "patrol": 200,
        },
        "grid2": {
            "coverage": 403,
            "patrols": 403,
            "templates": 403,
            "findings": 200,
            "finding": 404,
            "patrol": 404,
        },
        "unit": dict.fromkeys(urls, 403),
        "unit_other": dict.fromkeys(urls, 403),
    }
    actual = {name: {key: login(name).get(url).status_code for key, url in urls.items()} for name in expected}
    assert actual == expected


def test_other_territory_sees_none_of_the_data(login: Any, week: Week) -> None:
    client = login("street_other")
    coverage = page(client, COVERAGE, week=WEEK)
    assert [g.name for g in coverage.context["page"]] == ["西山1格"]
    assert "东湖1格" not in text(coverage)
    assert list(page(client, FINDINGS).context["page"]) == []
    assert list(page(client, PATROLS).context["page"]) == []
    # A region outside the territory is refused, not used.
    refused = page(client, COVERAGE, week=WEEK, region=Region.objects.get(name="东湖街道").pk)
    assert "所选区域不存在或不在您的辖区内" in text(refused)
    assert [g.name for g in refused.context["page"]] == ["西山1格"]


def test_a_grid_worker_sees_only_findings_of_their_grid(login: Any, week: Week) -> None:
    assert {f.pk for f in page(login("grid"), FINDINGS).context["page"]} == {week.reported.pk, week.fixed.pk}
    assert list(page(login("grid2"), FINDINGS).context["page"]) == []


def test_the_photo_of_a_finding_follows_the_finding(login: Any, week: Week) -> None:
    url = reverse("patrols:finding-photo", args=[week.reported.photos.get().pk])
    assert {name: login(name).get(url).status_code for name in ("grid", "office", "grid2", "unit")} == {
        "grid": 200,
        "office": 200,
        "grid2": 404,
        "unit": 404,
    }


# --- navigation ---


def test_navigation_offers_the_patrol_pages_by_role(login: Any, world: World) -> None:
    def labels(name: str) -> list[str]:
        return [item["label"] for item in login(name).get(reverse("home")).context["nav_items"]]

    assert {"巡查覆盖", "巡查发现", "巡查模板"} <= set(labels("office"))
    for name in ("leader", "inspector", "street", "community"):
        assert {"巡查覆盖", "巡查发现"} <= set(labels(name))
        assert "巡查模板" not in labels(name)
    assert "手机巡查" in labels("grid")
    assert not {"巡查覆盖", "巡查发现", "巡查模板", "手机巡查"} & set(labels("unit"))


def test_only_the_most_specific_nav_entry_is_highlighted(login: Any, world: World) -> None:
    nav = login("office").get(FINDINGS).context["nav_items"]
    assert [item["label"] for item in nav if item["active"]] == ["巡查发现"]


def test_the_phone_entry_points_at_the_phone_app(login: Any, world: World) -> None:
    nav = login("grid").get(reverse("home")).context["nav_items"]
    assert next(item["url"] for item in nav if item["label"] == "手机巡查") == "/m/"


def test_the_phone_entry_survives_without_the_phone_apps_url_name(
    login: Any, world: World, monkeypatch: Any
) -> None:
    from apps.accounts import context_processors

    def reverse_without_mobile(name: str, *args: Any, **kwargs: Any) -> str:
        if name == "mobile:home":
            raise NoReverseMatch(name)
        return reverse(name, *args, **kwargs)

    monkeypatch.setattr(context_processors, "reverse", reverse_without_mobile)
    nav = login("grid").get(reverse("home")).context["nav_items"]
    assert next(item["url"] for item in nav if item["label"] == "手机巡查") == "/m/"
