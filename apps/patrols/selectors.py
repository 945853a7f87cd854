"""Weekly patrol coverage per grid and per grid worker, computed with a fixed number of grouped queries.

Our choice, not a rule of the standard: every active point of a grid is due once a week. A grid's coverage is
the share of its active points that a patrol started in the week visited (a point visited twice counts once;
a point since moved to another grid counts for the grid it is in now, never twice). Weeks are ISO weeks,
Monday 00:00 to the next Monday 00:00 in the city's time zone (settings.TIME_ZONE), judged by the server's
start time of the patrol and the server's receipt time of the finding — never the phone's clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils import timezone

from apps.accounts.models import User
from apps.core.dates import day_start
from apps.patrols.choices import Outcome
from apps.patrols.models import Finding, Patrol, PatrolVisit
from apps.patrols.permissions import my_grid_ids
from apps.regions.choices import Level
from apps.regions.models import GridAssignment, Point, Region
from apps.tickets.choices import FINISHED, TicketStatus
from apps.tickets.models import Ticket
from apps.tickets.querysets import TicketQuerySet


def week_start_of(day: date) -> date:
    """The Monday of the ISO week the day falls in."""
    return day - timedelta(days=day.weekday())


def current_week_start(now: datetime | None = None) -> date:
    """The Monday of this week in the city's time zone."""
    local = timezone.localtime(now or timezone.now(), timezone.get_default_timezone())
    return week_start_of(local.date())


def week_bounds(week_start: date) -> tuple[datetime, datetime]:
    """Monday 00:00 and the next Monday 00:00 of the week, aware, in the city's time zone."""
    return day_start(week_start), day_start(week_start + timedelta(days=7))


def iso_week_label(week_start: date) -> str:
    """The week as `<input type="week">` writes it: 2026-W48."""
    year, week, _ = week_start.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class GridCoverage:
    """One grid's week: its place, workers, patrols, points visited out of points due, and findings."""

    pk: int
    name: str
    community: str
    street: str
    workers: list[str] = field(default_factory=list)
    patrols: int = 0
    visited: int = 0
    due: int = 0
    findings: int = 0
    reported: int = 0
    fixed: int = 0

    @property
    def rate(self) -> float | None:
        """Visited / due, or None for a grid without active points (nothing is due there)."""
        return self.visited / self.due if self.due else None

    @property
    def percent(self) -> int | None:
        """The rate as a whole percentage, rounded down so that 99.6% is never shown as done."""
        return None if self.rate is None else int(self.rate * 100)


@dataclass
class WorkerWeek:
    """One grid worker's week in the grids looked at."""

    pk: int
    name: str
    grids: list[str] = field(default_factory=list)
    patrols: int = 0
    visited: int = 0
    findings: int = 0


@dataclass(frozen=True)
class CoverageTotals:
    """The sums over the grids shown."""

    grids: int
    patrolled: int
    visited: int
    due: int

    @property
    def percent(self) -> int | None:
        """Visited / due over every grid, rounded down."""
        return int(self.visited * 100 / self.due) if self.due else None


def _ancestor_name(depth: int) -> Subquery:
    """The name of the grid's ancestor at a tree depth, read from the materialised path in the same query."""
    prefix = Substr(OuterRef("path"), 1, depth * Region.steplen)
    return Subquery(Region.objects.filter(path=prefix).order_by().values("name")[:1])


def _in_week(week_start: date, field_name: str = "started_at") -> Q:
    """The condition that a datetime field (a patrol's server start unless told) lies in the week."""
    start, end = week_bounds(week_start)
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


def _grouped(rows: QuerySet, key: str, **counts: Count) -> dict[int, dict[str, int]]:
    """`{key value: {count name: n}}` from one GROUP BY query."""
    return {row[key]: row for row in rows.values(key).annotate(**counts).order_by()}


def coverage(grids: QuerySet[Region], week_start: date) -> list[GridCoverage]:
    """Every grid of `grids` with its week's numbers, worst coverage first (grids with nothing due last).

    Six queries whatever the number of grids: the grids with their community and street, active points,
    workers, patrols, distinct points visited, findings.
    """
    ids = grids.order_by().values("pk")
    rows = grids.order_by().annotate(
        community_name=_ancestor_name(Level.COMMUNITY.depth), street_name=_ancestor_name(Level.STREET.depth)
    )
    result = {
        row["pk"]: GridCoverage(
            pk=row["pk"],
            name=row["name"],
            community=row["community_name"] or "",
            street=row["street_name"] or "",
        )
        for row in rows.values("pk", "name", "community_name", "street_name")
    }
    due = _grouped(Point.objects.active().filter(grid__in=ids), "grid_id", n=Count("pk"))
    patrols = _grouped(Patrol.objects.filter(_in_week(week_start), grid__in=ids), "grid_id", n=Count("pk"))
    visits = PatrolVisit.objects.filter(
        _in_week(week_start, "patrol__started_at"),
        patrol__grid__in=ids,
        point__is_active=True,
        point__grid=F("patrol__grid"),
    )
    visited = _grouped(visits, "patrol__grid_id", n=Count("point", distinct=True))
    findings = _grouped(
        Finding.objects.filter(_in_week(week_start, "created_at"), grid__in=ids),
        "grid_id",
        n=Count("pk"),
        reported=Count("pk", filter=Q(outcome=Outcome.REPORTED)),
        fixed=Count("pk", filter=Q(outcome=Outcome.FIXED)),
    )
    for grid_id, workers in _workers_by_grid(ids).items():
        result[grid_id].workers = [name for _, name in workers]
    for pk, row in result.items():
        row.due = due.get(pk, {}).get("n", 0)
        row.patrols = patrols.get(pk, {}).get("n", 0)
        row.visited = visited.get(pk, {}).get("n", 0)
        found = findings.get(pk, {})
        row.findings, row.reported, row.fixed = (
            found.get("n", 0),
            found.get("reported", 0),
            found.get("fixed", 0),
        )
    return sorted(result.values(), key=_worst_first)


def _worst_first(row: GridCoverage) -> tuple[bool, float, int, str, str, str]:
    """Lowest coverage first, then fewest patrols; a grid with nothing due goes to the end."""
    return (row.rate is None, row.rate or 0.0, row.patrols, row.street, row.community, row.name)


def _workers_by_grid(grid_ids: QuerySet) -> dict[int, list[tuple[int, str]]]:
    """The grid workers assigned to each grid, as (user id, display name), by name."""
    assignments = GridAssignment.objects.filter(grid__in=grid_ids).values_list(
        "grid_id", "worker_id", "worker__real_name", "worker__username"
    )
    workers: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for grid_id, worker_id, real_name, username in assignments:
        workers[grid_id].append((worker_id, real_name or username))
    return {grid_id: sorted(names, key=lambda pair: pair[1]) for grid_id, names in workers.items()}


def unpatrolled(rows: Iterable[GridCoverage]) -> list[GridCoverage]:
    """The grids nobody patrolled in the week (computed from `coverage`, no query)."""
    return [row for row in rows if not row.patrols]


def totals(rows: Iterable[GridCoverage]) -> CoverageTotals:
    """Grids, grids patrolled, points visited and due, summed (no query)."""
    shown = list(rows)
    return CoverageTotals(
        grids=len(shown),
        patrolled=sum(1 for row in shown if row.patrols),
        visited=sum(row.visited for row in shown),
        due=sum(row.due for row in shown),
    )


def worker_stats(grids: QuerySet[Region], week_start: date) -> list[WorkerWeek]:
    """Each grid worker assigned to, or active in, the grids: patrols, distinct points walked, findings.

    Fewest patrols first, so the workers to follow up with come on top. Five queries whatever the numbers.
    """
    ids = grids.order_by().values("pk")
    grid_names = dict(grids.order_by().values_list("pk", "name"))
    result: dict[int, WorkerWeek] = {}
    for grid_id, workers in _workers_by_grid(ids).items():
        for worker_id, name in workers:
            result.setdefault(worker_id, WorkerWeek(pk=worker_id, name=name)).grids.append(
                grid_names[grid_id]
            )
    patrols = _grouped(Patrol.objects.filter(_in_week(week_start), grid__in=ids), "worker_id", n=Count("pk"))
    visits = PatrolVisit.objects.filter(_in_week(week_start, "patrol__started_at"), patrol__grid__in=ids)
    visited = _grouped(visits, "patrol__worker_id", n=Count("point", distinct=True))
    findings = _grouped(
        Finding.objects.filter(_in_week(week_start, "created_at"), grid__in=ids), "worker_id", n=Count("pk")
    )
    # Someone who patrolled here without (or no longer with) an assignment still shows, under their name.
    missing = (set(patrols) | set(findings)) - set(result)
    for user in User.objects.filter(pk__in=missing).only("pk", "real_name", "username"):
        result[user.pk] = WorkerWeek(pk=user.pk, name=user.display_name)
    for pk, row in result.items():
        row.patrols = patrols.get(pk, {}).get("n", 0)
        row.visited = visited.get(pk, {}).get("n", 0)
        row.findings = findings.get(pk, {}).get("n", 0)
        row.grids.sort()
    return sorted(result.values(), key=lambda row: (row.patrols, row.visited, row.name))


def rechecks_waiting(user: User) -> TicketQuerySet:
    """Tickets in the worker's grids waiting for 核查 (a ticket's grid read as ticket_grid_id reads it)."""
    grids = my_grid_ids(user)
    in_my_grids = Q(point__grid_id__in=grids) | Q(point__isnull=True, region_id__in=grids)
    return Ticket.objects.visible_to(user).filter(in_my_grids, status=TicketStatus.SUBMITTED)


def worker_week(user: User, now: datetime) -> dict[str, Any]:
    """A grid worker's week: patrol progress in their grids, re-checks waiting, their open reports."""
    grids = Region.objects.visible_to(user).grids().filter(assignments__worker=user)
    rows = coverage(grids, current_week_start(now))
    open_reports = Ticket.objects.visible_to(user).filter(reporter=user).exclude(status__in=FINISHED)
    return {
        "grids": rows,
        "coverage": totals(rows),
        "rechecks": rechecks_waiting(user).count(),
        "open_reports": open_reports.count(),
    }
