"""Benchmark patrol results: a year of patrols, visits and check results, written in bulk
(`seed_demo_patrols --bulk-checks N`).

Real patrols only change through the services (apps/patrols/services/patrols.py); this module writes rows
directly because a benchmark needs a million results in a few minutes. The rows keep the rules the pages
rely on: each patrol is walked by a worker assigned to its grid, visits only that grid's active points, each
visit records every check item its point type is walked with, and the times run in order (start < visits <
end ≤ now), on working days. No findings, photos or tracks: the demo fortnight (services/demo.py) tells those.
"""

from __future__ import annotations

import math
import random
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from apps.calendars.worktime import add_work_time, is_workday
from apps.patrols.models import CheckItem, CheckResult, Patrol, PatrolCheck, PatrolVisit
from apps.patrols.templates_for import items_for_point
from apps.regions.models import GridAssignment, Point

SEED = 20261201
DAYS = 365
# Patrols written per round trip: about 70 results each in the demo city, so ~35,000 rows per batch.
BATCH = 500
SHARE_WALKED = 0.85  # points of the grid a patrol reaches
# Generated newest first until the target is met: a little more than the target is planned over the year,
# so the recent weeks (the ones the pages show) are always full and only the oldest days are cut.
HEADROOM = 1.15
RESULTS = [CheckResult.OK, CheckResult.PROBLEM, CheckResult.NOT_APPLICABLE]
RESULT_WEIGHTS = [90, 5, 5]


@dataclass
class Walk:
    """One planned patrol: who, where, when, and the (point, check item ids) of each visit."""

    worker_id: int
    grid_id: int
    started_at: datetime
    visits: list[tuple[int, datetime, list[int]]]
    ended_at: datetime

    @property
    def checks(self) -> int:
        """How many results the patrol records."""
        return sum(len(items) for _, _, items in self.visits)


@dataclass
class City:
    """What the generated patrols draw from: workers and active points (with their items) per grid."""

    workers: dict[int, list[int]]
    points: dict[int, list[tuple[int, list[int]]]]

    @property
    def grids(self) -> list[int]:
        """Grids that have both a worker and points to walk."""
        return sorted(grid for grid in self.workers if self.points.get(grid))


def _city() -> City:
    """Load the assignments, active points and each point type's check items once."""
    workers: dict[int, list[int]] = {}
    for grid_id, worker_id in GridAssignment.objects.order_by("grid_id", "pk").values_list(
        "grid_id", "worker_id"
    ):
        workers.setdefault(grid_id, []).append(worker_id)
    items: dict[str, list[int]] = {}
    points: dict[int, list[tuple[int, list[int]]]] = {}
    rows = (
        Point.objects.active().filter(grid_id__in=workers).order_by("pk").values_list("pk", "grid_id", "type")
    )
    for pk, grid_id, kind in rows:
        if kind not in items:
            items[kind] = [item.pk for item in items_for_point(Point(type=kind))]
        if items[kind]:
            points.setdefault(grid_id, []).append((pk, items[kind]))
    return City(workers, points)


def build_bench_patrols(*, checks: int, now: datetime | None = None, seed: int = SEED) -> Counter[str]:
    """Write about `checks` results (exactly, when the year holds enough) with their patrols and visits.

    Returns the counts of patrols, visits and checks written.
    """
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
    city = _city()
    if not city.grids or not CheckItem.objects.filter(is_active=True).exists():
        raise ValueError("需要先有网格员、点位和巡查模板：请先运行 seed_demo 和 load_check_templates。")
    walks = list(_plan(rng, city, checks, now))
    walks.reverse()  # oldest first, so ids grow with time as they do in a city that patrols every day
    counts: Counter[str] = Counter()
    with transaction.atomic():
        for start in range(0, len(walks), BATCH):
            counts.update(_write(rng, walks[start : start + BATCH]))
    _analyze()
    return counts


def _plan(rng: random.Random, city: City, target: int, now: datetime) -> Iterator[Walk]:
    """Patrols from today back over the year, each grid walked on a share of working days, until `target`."""
    grids = city.grids
    diligence = {grid: rng.uniform(0.4, 1.0) for grid in grids}  # some grids walked far more than others
    per_walk = {grid: SHARE_WALKED * sum(len(items) for _, items in city.points[grid]) for grid in grids}
    today = timezone.localdate(now)
    days = [today - timedelta(days=n) for n in range(DAYS)]
    workdays = [day for day in days if is_workday(day)]
    capacity = len(workdays) * sum(diligence[grid] * per_walk[grid] for grid in grids)
    scale = HEADROOM * target / capacity
    slots = max(1, math.ceil(scale * max(diligence.values())))  # patrols a grid may get in one day
    left = target
    for day in workdays:
        for slot in range(slots):
            for grid in grids:
                if rng.random() >= scale * diligence[grid] / slots:
                    continue
                walk = _walk(rng, city, grid, _start(rng, day, slot, slots))
                if walk.ended_at > now:
                    continue
                if walk.checks >= left:
                    yield _trimmed(walk, left)
                    return
                left -= walk.checks
                yield walk


def _start(rng: random.Random, day: date, slot: int, slots: int) -> datetime:
    """A start on working time (never in the lunch break) within the slot's share of the working day."""
    morning = timezone.make_aware(datetime.combine(day, time(8, 30)))
    window = max(30, 360 // slots)
    return add_work_time(morning, slot * window + rng.randint(1, window))


def _walk(rng: random.Random, city: City, grid: int, start: datetime) -> Walk:
    """One patrol of the grid by one of its workers: most of its points, a few minutes apart."""
    walked = [point for point in city.points[grid] if rng.random() < SHARE_WALKED] or city.points[grid][:1]
    visits = []
    at = start
    for point_id, items in walked:
        at += timedelta(minutes=rng.randint(3, 12))
        visits.append((point_id, at, items))
    ended = at + timedelta(minutes=rng.randint(5, 20))
    return Walk(rng.choice(city.workers[grid]), grid, start, visits, ended)


def _trimmed(walk: Walk, left: int) -> Walk:
    """The walk cut short after `left` results (the last patrol written, so the total is exact)."""
    visits = []
    for point_id, at, items in walk.visits:
        if left <= 0:
            break
        visits.append((point_id, at, items[:left]))
        left -= len(items)
    walk.visits = visits
    walk.ended_at = visits[-1][1] + timedelta(minutes=5)
    return walk


def _write(rng: random.Random, walks: list[Walk]) -> Counter[str]:
    """One batch: patrols, then their visits, then the results, each in one bulk insert."""
    patrols = Patrol.objects.bulk_create(
        [
            Patrol(
                uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                worker_id=walk.worker_id,
                grid_id=walk.grid_id,
                started_at=walk.started_at,
                client_started_at=walk.started_at,
                ended_at=walk.ended_at,
                client_ended_at=walk.ended_at,
            )
            for walk in walks
        ]
    )
    visits = PatrolVisit.objects.bulk_create(
        [
            PatrolVisit(patrol_id=patrol.pk, point_id=point_id, visited_at=at)
            for patrol, walk in zip(patrols, walks, strict=True)
            for point_id, at, _ in walk.visits
        ]
    )
    items = [items for walk in walks for _, _, items in walk.visits]
    results = iter(rng.choices(RESULTS, weights=RESULT_WEIGHTS, k=sum(map(len, items))))
    checks = PatrolCheck.objects.bulk_create(
        [
            PatrolCheck(visit_id=visit.pk, item_id=item_id, result=next(results))
            for visit, visit_items in zip(visits, items, strict=True)
            for item_id in visit_items
        ],
        batch_size=10_000,
    )
    return Counter(patrols=len(patrols), visits=len(visits), checks=len(checks))


def _analyze() -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load, as autovacuum would only later."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE patrols_patrol, patrols_patrolvisit, patrols_patrolcheck")
