"""Filters shared by the list pages and the API; choice lists only offer what the user can see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django_filters import rest_framework as filters

from apps.regions.choices import Level, PointType, UnitType
from apps.regions.models import GridAssignment, Point, Region, Unit
from apps.regions.scope import territory_scope


def visible_regions(request: HttpRequest | None) -> QuerySet[Region]:
    """Districts, streets and communities the user sees (grids have their own choice)."""
    if request is None:
        return Region.objects.none()
    return Region.objects.visible_to(request.user).exclude(level=Level.GRID)


def visible_grids(request: HttpRequest | None) -> QuerySet[Region]:
    """The grids the user sees."""
    if request is None:
        return Region.objects.none()
    return Region.objects.visible_to(request.user).grids()


def _visible_units(request: HttpRequest | None) -> QuerySet[Unit]:
    if request is None:
        return Unit.objects.none()
    return Unit.objects.visible_to(request.user)


class SearchMixin(filters.FilterSet):
    """A free-text `q` over name and code."""

    q = filters.CharFilter(label="搜索", method="search")
    search_fields: tuple[str, ...] = ("name__icontains", "code__icontains")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Match any of the search fields."""
        query = Q()
        for field in self.search_fields:
            query |= Q(**{field: value.strip()})
        return queryset.filter(query)


class RegionFilter(SearchMixin):
    """Filter regions by level, parent and text."""

    level = filters.ChoiceFilter(label="层级", choices=Level.choices)
    within = filters.ModelChoiceFilter(label="所属区域", queryset=visible_regions, method="filter_within")
    staffed = filters.BooleanFilter(
        label="网格员",
        method="filter_staffed",
        widget=forms.Select(
            choices=[("", "全部"), ("true", "已配网格员的网格"), ("false", "未配网格员的网格")]
        ),
    )

    class Meta:
        model = Region
        fields = ["q", "level", "within", "staffed"]

    def filter_within(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        """Strictly below the chosen region."""
        return queryset.filter(path__startswith=value.path).exclude(pk=value.pk)

    def filter_staffed(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        """Grids with (or without) an assigned grid worker; other levels drop out."""
        if value is None:
            return queryset
        assigned = Exists(GridAssignment.objects.filter(grid=OuterRef("pk")))
        return queryset.filter(level=Level.GRID).filter(assigned if value else ~assigned)


class UnitFilter(SearchMixin):
    """Filter units by type and text."""

    search_fields = (
        "name__icontains",
        "short_name__icontains",
        "principal_name__icontains",
        "liaison_name__icontains",
    )
    type = filters.ChoiceFilter(label="单位类型", choices=UnitType.choices)

    class Meta:
        model = Unit
        fields = ["q", "type"]


class PointFilter(SearchMixin):
    """Filter points by type, region subtree, unit and text."""

    search_fields = ("name__icontains", "code__icontains", "address__icontains")
    type = filters.ChoiceFilter(label="点位类型", choices=PointType.choices)
    region = filters.ModelChoiceFilter(label="所属区域", queryset=visible_regions, method="filter_region")
    grid = filters.ModelChoiceFilter(label="网格", queryset=visible_grids, field_name="grid")
    unit = filters.ModelChoiceFilter(label="责任单位", queryset=_visible_units, field_name="responsible_unit")
    is_active = filters.BooleanFilter(
        label="状态", widget=forms.Select(choices=[("", "全部"), ("true", "在用"), ("false", "停用")])
    )

    class Meta:
        model = Point
        fields = ["q", "type", "region", "grid", "unit", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = territory_scope(self.request.user) if self.request else None
        if scope is not None and not (scope.everything or scope.subtree_paths):
            # Grid workers and unit staff see no districts or streets: a region choice would be empty.
            del self.filters["region"]

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        """Points anywhere under the region."""
        return queryset.filter(grid__path__startswith=value.path)
