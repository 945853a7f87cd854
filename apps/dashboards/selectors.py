"""Numbers for each role's home page; every read goes through visible_to."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.regions.models import GridAssignment, Level, Point, PointType, Region, Unit
from apps.regions.querysets import ancestor_paths
from apps.tickets.selectors import unit_kpis


def _type_counts(points: Any) -> list[dict[str, Any]]:
    """Points per type, every type listed (zero included) in the enum's order."""
    counts = dict(points.values_list("type").annotate(n=Count("pk")).order_by())
    return [{"type": t.value, "label": str(t.label), "n": counts.get(t.value, 0)} for t in PointType]


def city_overview(user: User) -> dict[str, Any]:
    """City-wide totals for the office, leaders and inspectors."""
    regions = Region.objects.visible_to(user)
    level_counts = dict(regions.values_list("level").annotate(n=Count("pk")).order_by())
    grids = regions.grids()
    points = Point.objects.visible_to(user).active()
    districts = list(regions.filter(level=Level.DISTRICT))
    per_district_count = points.count_under(districts)
    per_district = [{"name": d.name, "pk": d.pk, "n": per_district_count.get(d.pk, 0)} for d in districts]
    return {
        "levels": [{"label": str(lv.label), "n": level_counts.get(lv.value, 0)} for lv in Level],
        "unit_count": Unit.objects.visible_to(user).active().count(),
        "point_count": points.count(),
        "points_by_type": _type_counts(points),
        "points_by_district": per_district,
        "worker_count": User.objects.filter(role_grants__role=Role.GRID_WORKER, is_active=True).count(),
        "grids_without_worker": grids.filter(assignments__isnull=True).count(),
    }


def territory_overview(user: User) -> dict[str, Any]:
    """A 街道/社区 staff member's territory: children, grids, points and uncovered grids."""
    root = user.scope_region
    if root is None:
        return {}
    regions = Region.objects.visible_to(user).subtree_of(root)
    grids = regions.grids()
    uncovered = grids.filter(assignments__isnull=True)
    points = Point.objects.visible_to(user).active().in_region(root)
    children = regions.filter(depth=root.depth + 1)
    return {
        "root": root,
        "children": children,
        "grid_count": grids.count(),
        "point_count": points.count(),
        "points_by_type": _type_counts(points),
        "uncovered_count": uncovered.count(),
        "uncovered_grids": uncovered.annotate(point_count=Count("points"))[:20],
        "worker_count": GridAssignment.objects.filter(grid__in=grids.values("pk"))
        .values("worker")
        .distinct()
        .count(),
    }


# The unit's ticket figures cover the last quarter: long enough to mean something, short enough to move.
KPI_WINDOW = timedelta(days=90)


def unit_overview(user: User) -> dict[str, Any]:
    """A unit staff member's unit: its points by type and its paired territory."""
    unit = user.unit
    if unit is None:
        return {}
    points = Point.objects.visible_to(user).active().filter(responsible_unit=unit)
    since = timezone.now() - KPI_WINDOW
    return {
        "unit": unit,
        "point_count": points.count(),
        "points_by_type": _type_counts(points),
        "pairings": unit.pairings.select_related("region"),
        "kpi": unit_kpis(units=[unit], since=since)[unit.pk],
        "kpi_days": KPI_WINDOW.days,
    }


def grid_worker_overview(user: User) -> dict[str, Any]:
    """A grid worker's grids, each with its points counted by type."""
    grids = list(
        Region.objects.visible_to(user)
        .filter(assignments__worker=user)
        .annotate(point_count=Count("points", filter=Q(points__is_active=True)))
    )
    rows = (
        Point.objects.visible_to(user)
        .active()
        .filter(grid__in=[g.pk for g in grids])
        .values("grid_id", "type")
        .annotate(n=Count("pk"))
        .order_by("grid_id", "type")
    )
    labels = dict(PointType.choices)
    by_grid: dict[int, list[str]] = {}
    for row in rows:
        by_grid.setdefault(row["grid_id"], []).append(f"{labels[row['type']]} {row['n']}")
    # Ancestors are shown as text, not links, so their names need no scope check.
    names = dict(Region.objects.ancestors_of(*grids).values_list("path", "name"))
    for grid in grids:
        grid.type_summary = " · ".join(by_grid.get(grid.pk, []))
        grid.ancestry = " / ".join(names[path] for path in ancestor_paths(grid.path)[1:] if path in names)
    return {"grids": grids, "point_count": sum(g.point_count for g in grids)}
