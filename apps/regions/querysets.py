"""Named reads for territory, units and points; `visible_to(user)` is the one gate for every scoped row."""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Any

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from treebeard.mp_tree import MP_NodeManager, MP_NodeQuerySet

from apps.regions.choices import Level
from apps.regions.scope import AnyUser, TerritoryScope, territory_scope


def ancestor_paths(path: str, steplen: int = 4) -> list[str]:
    """Materialised paths of every ancestor of a node, root first."""
    return [path[:end] for end in range(steplen, len(path), steplen)]


def _any(conditions: list[Q]) -> Q:
    """OR the conditions together; an empty list matches nothing."""
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


class RegionQuerySet(MP_NodeQuerySet):
    """Reads over the territory tree."""

    def visible_to(self, user: AnyUser) -> RegionQuerySet:
        """Regions the user may see: all for office and leaders, else their subtree, grids or pairs."""
        return self.within(territory_scope(user))

    def within(self, scope: TerritoryScope) -> RegionQuerySet:
        """Regions inside a computed scope."""
        if scope.everything:
            return self
        conditions = [Q(path__startswith=path) for path in scope.subtree_paths]
        if scope.grid_ids:
            conditions.append(Q(pk__in=scope.grid_ids))
        if scope.unit_id:
            from apps.regions.models import Point

            conditions.append(
                Q(pk__in=Point.objects.filter(responsible_unit_id=scope.unit_id).values("grid_id"))
            )
        return self.filter(_any(conditions))

    def subtree_of(self, region: Any) -> RegionQuerySet:
        """The region and everything under it."""
        return self.filter(path__startswith=region.path)

    def grids(self) -> RegionQuerySet:
        """Only the leaves (网格)."""
        return self.filter(level=Level.GRID)

    def ancestors_of(self, *regions: Any) -> RegionQuerySet:
        """Every ancestor of the given regions, root first, in one query."""
        return self.filter(path__in={p for region in regions for p in ancestor_paths(region.path)})

    def with_parent_id(self) -> RegionQuerySet:
        """Annotate `parent_id` from the materialised path in the same query."""
        parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - self.model.steplen)
        parent = self.model.objects.filter(path=parent_path).values("pk")[:1]
        return self.annotate(parent_id=Subquery(parent))


class RegionManager(MP_NodeManager):
    """treebeard's manager, handing out our queryset so `visible_to` chains from `Region.objects`."""

    def get_queryset(self) -> RegionQuerySet:
        return RegionQuerySet(self.model, using=self._db).order_by("path")

    def visible_to(self, user: AnyUser) -> RegionQuerySet:
        """Shortcut for `Region.objects.all().visible_to(user)`."""
        return self.get_queryset().visible_to(user)

    def ancestors_of(self, *regions: Any) -> RegionQuerySet:
        """Shortcut for `Region.objects.all().ancestors_of(...)`."""
        return self.get_queryset().ancestors_of(*regions)

    def grids(self) -> RegionQuerySet:
        """Shortcut for `Region.objects.all().grids()`."""
        return self.get_queryset().grids()


class PointQuerySet(models.QuerySet):
    """Reads over points (点位)."""

    def visible_to(self, user: AnyUser) -> PointQuerySet:
        """Points in the user's territory, grids, or owned by their unit."""
        return self.within(territory_scope(user))

    def within(self, scope: TerritoryScope) -> PointQuerySet:
        """Points inside a computed scope."""
        if scope.everything:
            return self
        conditions = [Q(grid__path__startswith=path) for path in scope.subtree_paths]
        if scope.grid_ids:
            conditions.append(Q(grid_id__in=scope.grid_ids))
        if scope.unit_id:
            conditions.append(Q(responsible_unit_id=scope.unit_id))
        return self.filter(_any(conditions))

    def active(self) -> PointQuerySet:
        """Points still in use."""
        return self.filter(is_active=True)

    def in_region(self, region: Any) -> PointQuerySet:
        """Points anywhere under a region."""
        return self.filter(grid__path__startswith=region.path)

    def count_under(self, regions: Iterable[Any]) -> dict[int, int]:
        """Points in each region's whole subtree, keyed by region id; one query per tree depth present."""
        steplen = self.model._meta.get_field("grid").related_model.steplen
        pk_by_path_per_depth: dict[int, dict[str, int]] = {}
        for region in regions:
            pk_by_path_per_depth.setdefault(region.depth, {})[region.path] = region.pk
        counts: dict[int, int] = {}
        for depth, pk_by_path in pk_by_path_per_depth.items():
            rows = (
                self.annotate(prefix=Substr("grid__path", 1, depth * steplen))
                .filter(prefix__in=list(pk_by_path))
                .values_list("prefix")
                .annotate(n=Count("pk"))
                .order_by()
            )
            counts.update({pk_by_path[prefix]: n for prefix, n in rows})
        return counts


class UnitQuerySet(models.QuerySet):
    """Reads over responsible units."""

    def visible_to(self, user: AnyUser) -> UnitQuerySet:
        """Own unit for unit staff; for territorial staff the units working in their territory."""
        scope = territory_scope(user)
        if scope.everything:
            return self
        conditions = []
        if scope.unit_id:
            conditions.append(Q(pk=scope.unit_id))
        if scope.subtree_paths or scope.grid_ids:
            from apps.regions.models import Pairing, Point, Region

            territory = scope.territorial()
            points = Point.objects.within(territory).values("responsible_unit_id")
            regions = Region.objects.get_queryset().within(territory).values("pk")
            conditions += [
                Q(pk__in=points),
                Q(region__in=regions),
                Q(pk__in=Pairing.objects.filter(region__in=regions, unit__isnull=False).values("unit_id")),
            ]
        return self.filter(_any(conditions))

    def active(self) -> UnitQuerySet:
        """Units still in use."""
        return self.filter(is_active=True)

    def city_level(self) -> UnitQuerySet:
        """City departments: filed without a region or under the city itself (see Unit.region's help text)."""
        return self.filter(Q(region__isnull=True) | Q(region__depth=1))

    def the_one_of_type(self, unit_type: str) -> Any:
        """The single active city-level unit of a type, or None when there is none or more than one."""
        if not unit_type:
            return None
        units = list(self.active().city_level().filter(type=unit_type)[:2])
        return units[0] if len(units) == 1 else None


class GridAssignmentQuerySet(models.QuerySet):
    """Reads over grid-worker assignments."""

    def visible_to(self, user: AnyUser) -> GridAssignmentQuerySet:
        """Assignments on grids the user can see."""
        from apps.regions.models import Region

        scope = territory_scope(user)
        if scope.everything:
            return self
        return self.filter(grid__in=Region.objects.visible_to(user))


class PairingQuerySet(models.QuerySet):
    """Reads over 包保/挂钩 pairings."""

    def visible_to(self, user: AnyUser) -> PairingQuerySet:
        """Pairings on regions the user can see, or naming the user or their unit."""
        from apps.regions.models import Region

        scope = territory_scope(user)
        if scope.everything:
            return self
        conditions = [Q(region__in=Region.objects.visible_to(user)), Q(user_id=getattr(user, "pk", None))]
        if scope.unit_id:
            conditions.append(Q(unit_id=scope.unit_id))
        return self.filter(_any(conditions))
