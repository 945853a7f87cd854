"""Weekly coverage maths: ISO weeks in Shanghai time, distinct active points, findings, workers.

`grid` works 东湖1格 (p1), `grid2` works 东湖2格 (p2); 湖滨1格 (p3) and 西山1格 (p4) have no worker. The week
looked at is 2026-W48: Monday 23 November to Sunday 29 November 2026.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.patrols.models import Finding, Outcome, Patrol
from apps.patrols.selectors import (
    coverage,
    current_week_start,
    iso_week_label,
    totals,
    unpatrolled,
    week_bounds,
    week_start_of,
    worker_stats,
)
from apps.patrols.services import PhotoUpload, finding_submit, patrol_finish, patrol_start, patrol_visit
from apps.regions.models import GridAssignment, Point, Region
from apps.regions.services import grid_assign_worker, region_create
from tests.conftest import World
from tests.patrols.factories import Templates, photo
from tests.regions.factories import PointFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
W48 = date(2026, 11, 23)


def at(day: int, hour: int, minute: int = 0, *, month: int = 11) -> datetime:
    """A moment in Shanghai time in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def walk(worker: User, grid: Region, points: Sequence[Point], *, when: datetime) -> Patrol:
    """A finished patrol started at `when`, visiting the points (no check results)."""
    patrol, _ = patrol_start(worker=worker, uuid=uuid.uuid4(), grid=grid, now=when)
    for point in points:
        patrol_visit(worker=worker, patrol=patrol, point=point, results={}, now=when + timedelta(minutes=5))
    return patrol_finish(worker=worker, patrol=patrol, now=when + timedelta(minutes=30))


def find(worker: User, point: Point, templates: Templates, *, when: datetime, outcome: str) -> Finding:
    """A 暴露垃圾 finding at the point, received at `when`."""
    after = [PhotoUpload(uuid.uuid4(), photo())] if outcome == Outcome.FIXED else []
    finding, _ = finding_submit(
        worker=worker,
        uuid=uuid.uuid4(),
        category=templates.categories.garbage,
        outcome=outcome,
        point=point,
        photos=[PhotoUpload(uuid.uuid4(), photo())],
        after_photos=after,
        now=when,
    )
    return finding


def by_name(rows: Sequence[Any]) -> dict[str, Any]:
    return {row.name: row for row in rows}


def grids() -> Any:
    return Region.objects.grids()


# --- weeks ---


def test_weeks_run_monday_to_monday_in_shanghai_time() -> None:
    assert week_start_of(date(2026, 11, 29)) == W48  # a Sunday
    assert week_start_of(W48) == W48
    start, end = week_bounds(W48)
    assert (start, end) == (at(23, 0), at(30, 0))
    assert start.utcoffset() == timedelta(hours=8)
    assert iso_week_label(W48) == "2026-W48"
    assert iso_week_label(date(2026, 12, 28)) == "2026-W53"  # 2026 has 53 ISO weeks


def test_this_week_is_judged_in_shanghai_not_utc() -> None:
    # Monday 00:30 in Shanghai is still Sunday in UTC: the new week has begun here.
    assert current_week_start(at(30, 0, 30)) == date(2026, 11, 30)
    assert current_week_start(at(29, 23, 30)) == W48


def test_a_patrol_on_sunday_night_belongs_to_that_week(actors: dict[str, User], world: World) -> None:
    walk(actors["grid"], world.grid, [world.p1], when=at(29, 23, 30))  # Sunday 23:30, 15:30 UTC
    walk(actors["grid2"], world.grid2, [world.p2], when=at(30, 0, 30))  # Monday 00:30, Sunday 16:30 UTC
    this_week = by_name(coverage(grids(), W48))
    next_week = by_name(coverage(grids(), W48 + timedelta(days=7)))
    assert (this_week["东湖1格"].patrols, this_week["东湖2格"].patrols) == (1, 0)
    assert (next_week["东湖1格"].patrols, next_week["东湖2格"].patrols) == (0, 1)


# --- coverage per grid ---


def test_coverage_counts_distinct_active_points_of_the_weeks_patrols(
    actors: dict[str, User], world: World
) -> None:
    second = PointFactory(name="东湖公厕", grid=world.grid)
    switched_off = PointFactory(name="旧点位", grid=world.grid)
    walk(actors["grid"], world.grid, [world.p1, switched_off], when=at(24, 9))
    walk(actors["grid"], world.grid, [world.p1], when=at(26, 9))  # p1 again: still one point
    walk(actors["grid"], world.grid, [second], when=at(18, 9))  # last week: not counted
    Point.objects.filter(pk=switched_off.pk).update(is_active=False)

    row = by_name(coverage(grids(), W48))["东湖1格"]
    assert (row.patrols, row.visited, row.due) == (2, 1, 2)
    assert (row.rate, row.percent) == (0.5, 50)
    assert (row.community, row.street, row.workers) == ("东湖社区", "东湖街道", ["t_grid"])


def test_a_point_moved_away_counts_only_where_it_is_now(actors: dict[str, User], world: World) -> None:
    walk(actors["grid"], world.grid, [world.p1], when=at(24, 9))
    Point.objects.filter(pk=world.p1.pk).update(grid=world.grid2)
    rows = by_name(coverage(grids(), W48))
    assert (rows["东湖1格"].visited, rows["东湖1格"].due) == (0, 0)
    assert (rows["东湖2格"].visited, rows["东湖2格"].due) == (0, 2)


def test_worst_coverage_comes_first_and_grids_with_nothing_due_last(
    actors: dict[str, User], world: World
) -> None:
    PointFactory(name="东湖2格第二点", grid=world.grid2)
    walk(actors["grid"], world.grid, [world.p1], when=at(24, 9))  # 1/1
    walk(actors["grid2"], world.grid2, [world.p2], when=at(24, 9))  # 1/2
    Point.objects.filter(pk=world.p4.pk).update(is_active=False)  # 西山1格: nothing due
    names = [row.name for row in coverage(grids(), W48)]
    assert names == ["湖滨1格", "东湖2格", "东湖1格", "西山1格"]
    assert by_name(coverage(grids(), W48))["西山1格"].percent is None


def test_findings_of_the_week_are_counted_by_outcome(
    actors: dict[str, User], world: World, templates: Templates
) -> None:
    find(actors["grid"], world.p1, templates, when=at(24, 10), outcome=Outcome.REPORTED)
    find(actors["grid"], world.p1, templates, when=at(25, 10), outcome=Outcome.FIXED)
    find(actors["grid"], world.p1, templates, when=at(25, 11), outcome=Outcome.FIXED)
    find(actors["grid"], world.p1, templates, when=at(22, 23, 59), outcome=Outcome.FIXED)  # Sunday before
    row = by_name(coverage(grids(), W48))["东湖1格"]
    assert (row.findings, row.reported, row.fixed) == (3, 1, 2)


def test_unpatrolled_and_totals_come_from_the_rows(actors: dict[str, User], world: World) -> None:
    walk(actors["grid"], world.grid, [world.p1], when=at(24, 9))
    rows = coverage(grids(), W48)
    assert [row.name for row in unpatrolled(rows)] == ["东湖2格", "湖滨1格", "西山1格"]
    summary = totals(rows)
    assert (summary.grids, summary.patrolled, summary.visited, summary.due, summary.percent) == (
        4,
        1,
        1,
        4,
        25,
    )


def test_coverage_is_limited_to_the_grids_given(actors: dict[str, User], world: World) -> None:
    rows = coverage(Region.objects.grids().filter(path__startswith=world.street_b.path), W48)
    assert [row.name for row in rows] == ["西山1格"]


def test_coverage_takes_the_same_queries_for_many_grids(actors: dict[str, User], world: World) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            coverage(grids(), W48)
            worker_stats(grids(), W48)
        return len(captured)

    walk(actors["grid"], world.grid, [world.p1], when=at(24, 9))
    few = queries()
    for n in range(5):
        extra = region_create(
            parent=Region.objects.get(pk=world.community.pk), code=f"GX{n}", name=f"新网格{n}"
        )
        point = PointFactory(grid=extra)
        grid_assign_worker(grid=extra, worker=actors["grid2"], actor=actors["office"])
        walk(actors["grid2"], extra, [point], when=at(25, 9))
    assert queries() == few


# --- per worker ---


def test_worker_stats_count_patrols_points_and_findings_fewest_patrols_first(
    actors: dict[str, User], world: World, templates: Templates
) -> None:
    walk(actors["grid"], world.grid, [world.p1], when=at(24, 9))
    walk(actors["grid"], world.grid, [world.p1], when=at(25, 9))
    find(actors["grid"], world.p1, templates, when=at(25, 10), outcome=Outcome.REPORTED)
    rows = worker_stats(grids(), W48)
    assert [(w.name, w.grids, w.patrols, w.visited, w.findings) for w in rows] == [
        ("t_grid2", ["东湖2格"], 0, 0, 0),
        ("t_grid", ["东湖1格"], 2, 1, 1),
    ]


def test_a_worker_no_longer_assigned_still_shows_for_the_week(actors: dict[str, User], world: World) -> None:
    walk(actors["grid"], world.grid, [world.p1], when=at(24, 9))
    GridAssignment.objects.filter(worker=actors["grid"]).delete()
    rows = {w.name: w for w in worker_stats(grids(), W48)}
    assert (rows["t_grid"].grids, rows["t_grid"].patrols) == ([], 1)
    assert by_name(coverage(grids(), W48))["东湖1格"].workers == []


def test_worker_stats_only_count_the_grids_given(actors: dict[str, User], world: World) -> None:
    walk(actors["grid"], world.grid, [world.p1], when=at(24, 9))
    only_grid2 = Region.objects.filter(pk=world.grid2.pk)
    assert [(w.name, w.patrols) for w in worker_stats(only_grid2, W48)] == [("t_grid2", 0)]
