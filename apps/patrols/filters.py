"""Filters of the findings and patrols lists; choice lists only offer what the user can see."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django_filters import rest_framework as filters

from apps.accounts.models import User
from apps.core.dates import day_start
from apps.core.filters import DateFilter
from apps.core.forms import DateInput
from apps.patrols.choices import Outcome
from apps.patrols.models import Finding, Patrol
from apps.regions.filters import visible_grids, visible_regions
from apps.regions.models import Region
from apps.regions.scope import territory_scope
from apps.tickets.forms import category_choices


def _visible_workers(request: HttpRequest | None) -> QuerySet[User]:
    """The grid workers assigned to grids the user sees."""
    if request is None:
        return User.objects.none()
    grids = Region.objects.visible_to(request.user).grids().order_by().values("pk")
    return User.objects.filter(grid_assignments__grid__in=grids).distinct().order_by("real_name", "username")


class TerritoryFilters(filters.FilterSet):
    """Dates on `date_field`, region subtree, grid and worker: shared by the findings and patrols lists."""

    date_field = "created_at"

    since = DateFilter(label="日期自", method="filter_since", widget=DateInput())
    until = DateFilter(label="日期至", method="filter_until", widget=DateInput())
    region = filters.ModelChoiceFilter(
        label="区域", queryset=visible_regions, method="filter_region", empty_label="全部"
    )
    grid = filters.ModelChoiceFilter(label="网格", queryset=visible_grids, empty_label="全部")
    worker = filters.ModelChoiceFilter(label="网格员", queryset=_visible_workers, empty_label="全部")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = territory_scope(self.request.user) if self.request else None
        if scope is not None and not (scope.everything or scope.subtree_paths):
            # Grid workers have no district, street or community to choose: the grid choice is theirs.
            del self.filters["region"]

    def filter_since(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        """On or after the day (local time)."""
        return queryset.filter(**{f"{self.date_field}__gte": day_start(value)})

    def filter_until(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        """On or before the day (local time)."""
        return queryset.filter(**{f"{self.date_field}__lt": day_start(value + timedelta(days=1))})

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        """Anywhere in the region's subtree."""
        return queryset.filter(grid__path__startswith=value.path)


class FindingFilter(TerritoryFilters):
    """Findings by date received, place, category (大类 includes its 小类), outcome, ticket, worker, text."""

    q = filters.CharFilter(label="搜索", method="search")
    category = filters.ChoiceFilter(
        label="问题类别",
        choices=lambda: category_choices(leaves_only=False),
        method="filter_category",
        empty_label="全部",
    )
    outcome = filters.ChoiceFilter(label="处理方式", choices=Outcome.choices, empty_label="全部")
    has_ticket = filters.BooleanFilter(
        label="工单",
        field_name="ticket",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.Select(choices=[("", "全部"), ("true", "已生成工单"), ("false", "无工单")]),
    )

    class Meta:
        model = Finding
        fields = ["q", "since", "until", "region", "grid", "category", "outcome", "has_ticket", "worker"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Words of the description, a point's name, or a ticket number."""
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(description__icontains=text)
            | Q(point__name__icontains=text)
            | Q(ticket__number__icontains=text)
        )

    def filter_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The category itself and, for a 大类, every 小类 under it."""
        return queryset.filter(Q(category_id=value) | Q(category__parent_id=value))


class PatrolFilter(TerritoryFilters):
    """Patrols by the day they started (server time), place and worker."""

    date_field = "started_at"

    class Meta:
        model = Patrol
        fields = ["since", "until", "region", "grid", "worker"]
