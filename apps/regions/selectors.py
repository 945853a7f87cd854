"""The territory's structure in numbers (levels, units, points, workers), for the region list page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from apps.accounts.models import Role, User
from apps.regions.choices import Level, PointType
from apps.regions.models import GridAssignment, Point, Region, Unit


def _type_counts(points: Any) -> list[dict[str, Any]]:
    """Points per type, every type listed (zero included) in the enum's order."""
    counts = dict(points.values_list("type").annotate(n=Count("pk")).order_by())
    return [{"type": t.value, "label": str(t.label), "n": counts.get(t.value, 0)} for t in PointType]


def structure_overview(user: User) -> dict[str, Any]:
    """What the user's territory is made of: regions per level, units, points by type and district."""
    regions = Region.objects.visible_to(user)
    level_counts = dict(regions.values_list("level").annotate(n=Count("pk")).order_by())
    grids = regions.grids()
    points = Point.objects.visible_to(user).active()
    districts = list(regions.filter(level=Level.DISTRICT))
    per_district_count = points.count_under(districts)
    workers = (
        User.objects.filter(role_grants__role=Role.GRID_WORKER, is_active=True)
        if user.sees_everything
        else GridAssignment.objects.filter(grid__in=grids.values("pk")).values("worker")
    )
    return {
        "levels": [{"label": str(lv.label), "n": level_counts.get(lv.value, 0)} for lv in Level],
        "unit_count": Unit.objects.visible_to(user).active().count(),
        "point_count": points.count(),
        "points_by_type": _type_counts(points),
        "points_by_district": [
            {"name": d.name, "pk": d.pk, "n": per_district_count.get(d.pk, 0)} for d in districts
        ],
        "worker_count": workers.distinct().count(),
        "grids_without_worker": grids.filter(assignments__isnull=True).count(),
    }
