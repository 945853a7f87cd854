"""/patrols/coverage/: the week per grid worst first, its links, weeks and regions, paging, flat query counts.

`grid` works 东湖1格 (p1 东湖农贸市场), `grid2` works 东湖2格 (p2 东湖路); `street` has 东湖街道,
`street_other` 西山街道. The week looked at is 2026-W48 (Monday 23 – Sunday 29 November 2026, Shanghai time).
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.core.numbers import forget_all_numbers
from apps.patrols.views.coverage import GRIDS_PER_PAGE, WORKERS_PER_PAGE
from apps.regions.models import GridAssignment, Region
from apps.regions.services import grid_assign_worker, region_create
from tests.conftest import World
from tests.patrols.conftest import COVERAGE, FINDINGS, PATROLS, WEEK, Week, at, find, page, text, walk
from tests.patrols.factories import Templates
from tests.regions.factories import PointFactory

pytestmark = pytest.mark.django_db


# --- coverage ---


def test_coverage_counts_the_week_per_grid_worst_first(login: Any, week: Week) -> None:
    response = page(login("office"), COVERAGE, week=WEEK)
    rows = {g.name: g for g in response.context["page"]}
    dong = rows["东湖1格"]
    assert (dong.patrols, dong.visited, dong.due, dong.percent) == (
        1,
        1,
        1,
        100,
    )  # last week's walk not counted
    assert (dong.findings, dong.reported, dong.fixed) == (2, 1, 1)
    assert (rows["东湖2格"].visited, rows["东湖2格"].due, rows["东湖2格"].percent) == (0, 1, 0)
    assert [g.name for g in response.context["page"]][-1] == "东湖1格"
    assert [g.name for g in response.context["idle"]] == ["东湖2格", "湖滨1格", "西山1格"]
    html = text(response)
    assert "本周未巡 3" in html
    # The idle grids are a view of the one table, not a second list of the same grids.
    assert html.count(">东湖2格</a>") == 1
    idle_only = page(login("office"), COVERAGE, week=WEEK, idle="1")
    assert [g.name for g in idle_only.context["page"]] == ["东湖2格", "湖滨1格", "西山1格"]
    assert "每个在用点位每周至少巡查一次" in html  # the rule is written on the page, without internal talk
    assert "约定" not in html
    workers = {w.name: (w.patrols, w.visited, w.findings) for w in response.context["workers"]}
    assert workers == {"t_grid": (1, 1, 2), "t_grid2": (0, 0, 0)}


def test_coverage_links_to_the_grids_patrols_and_findings_of_the_week(
    login: Any, world: World, week: Week
) -> None:
    html = text(page(login("office"), COVERAGE, week=WEEK))
    assert f"{PATROLS}?grid={world.grid.pk}&amp;since=2026-11-23&amp;until=2026-11-29" in html
    assert f"{FINDINGS}?grid={world.grid.pk}&amp;since=2026-11-23&amp;until=2026-11-29" in html
    patrols = page(login("office"), PATROLS, grid=world.grid.pk, since="2026-11-23", until="2026-11-29")
    assert [p.pk for p in patrols.context["page"]] == [week.patrol.pk]
    assert reverse("patrols:detail", args=[week.patrol.uuid]) in text(patrols)


def test_coverage_defaults_to_this_week_and_links_the_neighbours(login: Any, week: Week) -> None:
    with time_machine.travel(at(29, 23, 30), tick=False):  # Sunday night: still W48
        response = login("office").get(COVERAGE)
    assert response.context["week_label"] == WEEK
    assert response.context["is_this_week"]
    assert response.context["totals"].patrolled == 1
    assert "week=2026-W47" in response.context["links"]["previous"]
    assert "week=2026-W49" in response.context["links"]["next"]


def test_coverage_takes_a_region_and_a_date_for_the_week(login: Any, world: World, week: Week) -> None:
    response = page(login("office"), COVERAGE, week="2026-11-29", region=world.community.pk)
    assert response.context["week_label"] == WEEK
    assert sorted(g.name for g in response.context["page"]) == ["东湖1格", "东湖2格"]
    assert "region=" in response.context["links"]["next"]


def test_a_bad_week_is_explained_and_this_week_shown(login: Any, week: Week) -> None:
    with time_machine.travel(at(25, 12), tick=False):
        response = page(login("office"), COVERAGE, week="2026-W99")
    assert response.status_code == 200
    assert "格式如 2026-W48" in text(response)
    assert response.context["week_label"] == WEEK


def test_street_staff_see_their_territory_only(login: Any, week: Week) -> None:
    response = page(login("street"), COVERAGE, week=WEEK)
    assert sorted(g.name for g in response.context["page"]) == ["东湖1格", "东湖2格", "湖滨1格"]


def test_coverage_pages_its_grids_and_workers_separately(
    login: Any, actors: dict[str, User], world: World, week: Week
) -> None:
    community = Region.objects.get(pk=world.community.pk)
    for n in range(16):
        grid = region_create(parent=community, code=f"GP{n:02}", name=f"分页网格{n:02}")
        PointFactory(grid=grid, type="main_road")
        worker = User.objects.create_user(username=f"t_page{n:02}")
        GridAssignment.objects.create(grid=grid, worker=worker)
    client = login("office")
    first = page(client, COVERAGE, week=WEEK)
    assert len(first.context["page"]) == 15
    assert first.context["page"].paginator.count == 20  # the world's four grids and sixteen more
    assert len(first.context["workers"]) == 15
    assert first.context["workers"].paginator.count == 18
    second = page(client, COVERAGE, week=WEEK, page=2, wpage=2)
    assert len(second.context["page"]) == 5
    assert len(second.context["workers"]) == 3
    names = {g.name for g in first.context["page"]} | {g.name for g in second.context["page"]}
    assert len(names) == 20  # no grid on both pages, none left out


def test_coverage_query_count_does_not_grow(
    login: Any, actors: dict[str, User], world: World, templates: Templates, week: Week
) -> None:
    client = login("office")

    def count() -> int:
        forget_all_numbers()  # every number computed, none remembered
        with CaptureQueriesContext(connection) as queries:
            assert page(client, COVERAGE, week=WEEK).status_code == 200
        return len(queries)

    count()  # warm up the session and the user's roles
    few = count()
    community = Region.objects.get(pk=world.community.pk)
    for n in range(5):
        grid = region_create(parent=community, code=f"GX{n}", name=f"新网格{n}")
        point = PointFactory(grid=grid, type="main_road")
        grid_assign_worker(grid=grid, worker=actors["grid"], actor=actors["office"])
        patrol = walk(actors["grid"], point, templates, when=at(24, 9))
        find(actors["grid"], point, templates, when=at(24, 10), patrol=patrol)
    assert count() == few


def test_coverage_html_stays_within_a_page_however_many_workers(
    login: Any, actors: dict[str, User], world: World, week: Week
) -> None:
    client = login("office")

    def rendered() -> tuple[int, int, int]:
        forget_all_numbers()  # every number computed, none remembered
        with CaptureQueriesContext(connection) as queries:
            html = text(page(client, COVERAGE, week=WEEK))
        return html.count('data-label="覆盖率"'), html.count('data-label="负责网格"'), len(queries)

    rendered()  # warm up the session and the user's roles
    _, _, few = rendered()
    community = Region.objects.get(pk=world.community.pk)
    for n in range(40):
        grid = region_create(parent=community, code=f"GW{n:02}", name=f"多人网格{n:02}")
        PointFactory(grid=grid, type="main_road")
        GridAssignment.objects.create(grid=grid, worker=User.objects.create_user(username=f"t_many{n:02}"))
    grids, workers, queries = rendered()
    assert (grids, workers) == (GRIDS_PER_PAGE, WORKERS_PER_PAGE)  # 44 grids and 42 workers, a page of each
    assert queries == few


def test_the_weeks_coverage_is_remembered_until_a_patrol_changes(
    login: Any, actors: dict[str, User], world: World, templates: Templates, week: Week
) -> None:
    client = login("office")

    def east_2() -> tuple[int, tuple[int, int]]:
        response = page(client, COVERAGE, week=WEEK)
        grid = next(g for g in response.context["page"] if g.name == "东湖2格")
        worker = next(w for w in response.context["workers"] if w.name == "t_grid2")
        return grid.visited, (worker.patrols, worker.visited)

    assert east_2() == (0, (0, 0))
    with CaptureQueriesContext(connection) as again:
        assert east_2() == (0, (0, 0))
    assert not [q for q in again.captured_queries if "patrols_patrolvisit" in q["sql"]]  # remembered
    walk(actors["grid2"], world.p2, templates, when=at(24, 9))
    assert east_2() == (1, (1, 1))  # the new patrol is counted at once
