"""The ticket list's filters, shared by the page and its export; choices offer only what the user sees."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.db.models import Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django_filters import rest_framework as filters

from apps.calendars.worktime import add_work_time
from apps.core.dates import day_start
from apps.core.filters import DateFilter
from apps.core.forms import DateInput
from apps.core.numbers import remembered_about
from apps.regions.choices import Level
from apps.regions.models import Region, Unit
from apps.regions.scope import territory_scope
from apps.tickets.choices import Supervision, TicketSource, TicketStatus
from apps.tickets.forms import category_choices
from apps.tickets.models import Ticket
from apps.tickets.querysets import clock_running_q, finished_q, overdue_q


def _visible_regions(request: HttpRequest) -> QuerySet[Region]:
    """Districts, streets and communities for those with a territory; their grids for grid workers."""
    scope = territory_scope(request.user)
    regions = Region.objects.visible_to(request.user).order_by("path")
    if scope.everything or scope.subtree_paths:
        # Grids would make the list thousands long; a community narrows just as well.
        return regions.exclude(level=Level.GRID)
    return regions.grids()


def _choices(rows: QuerySet[Any], viewer: int, now: datetime) -> list[tuple[str, str]]:
    """(pk, name) of each row the viewer sees, remembered until one of them changes: the list page shows
    these on every request, and model choices built every time were a third of its filters' cost."""

    def compute() -> list[tuple[str, str]]:
        return [(str(pk), name) for pk, name in rows.values_list("pk", "name")]

    return remembered_about(rows.model, f"choices:{viewer}", compute, now=now)


# The homes link to "due within 24 working hours"; a choice, not free text, keeps the filters short.
DUE_WITHIN_HOURS = (24,)


class TicketFilter(filters.FilterSet):
    """Status, overdue, supervision, category (大类 includes its 小类), source, region, unit, dates, text."""

    q = filters.CharFilter(label="编号/标题", method="search")
    status = filters.ChoiceFilter(label="状态", choices=TicketStatus.choices, empty_label="全部")
    overdue = filters.BooleanFilter(
        label="超期",
        method="filter_overdue",
        widget=forms.Select(choices=[("", "全部"), ("true", "已超期"), ("false", "未超期")]),
    )
    supervision = filters.ChoiceFilter(label="督办", choices=Supervision.choices, empty_label="全部")
    category = filters.ChoiceFilter(
        label="问题类别",
        choices=lambda: category_choices(leaves_only=False),
        method="filter_category",
        empty_label="全部",
    )
    source = filters.ChoiceFilter(label="来源", choices=TicketSource.choices, empty_label="全部")
    # Their choices are the user's, set in __init__.
    region = filters.ChoiceFilter(label="区域", method="filter_region", empty_label="全部")
    unit = filters.ChoiceFilter(label="责任单位", field_name="responsible_unit_id", empty_label="全部")
    open = filters.BooleanFilter(
        label="办结",
        method="filter_open",
        widget=forms.Select(choices=[("", "全部"), ("true", "未办结"), ("false", "已办结或作废")]),
    )
    due_within = filters.ChoiceFilter(
        label="即将到期",
        choices=[(str(hours), f"{hours} 工作时内") for hours in DUE_WITHIN_HOURS],
        method="filter_due_within",
        empty_label="全部",
    )
    mine = filters.BooleanFilter(
        label="上报人",
        method="filter_mine",
        widget=forms.Select(choices=[("", "全部"), ("true", "我上报的")]),
    )
    since = DateFilter(label="上报自", method="filter_since", widget=DateInput())
    until = DateFilter(label="上报至", method="filter_until", widget=DateInput())

    class Meta:
        model = Ticket
        fields = ["q", "status", "overdue", "supervision", "category", "source", "region", "unit"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = timezone.now()
        if self.request is None:
            self.filters["region"].extra["choices"] = self.filters["unit"].extra["choices"] = []
            return
        user = self.request.user
        scope = territory_scope(user)
        units = Unit.objects.visible_to(user).order_by("type", "name")
        self.filters["unit"].extra["choices"] = _choices(units, user.pk, self.now)
        if scope.everything or scope.subtree_paths or scope.grid_ids:
            regions = _visible_regions(self.request)
            self.filters["region"].extra["choices"] = _choices(regions, user.pk, self.now)
        else:
            # Unit staff have no territory: the region choice would be empty.
            del self.filters["region"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A ticket number (or its tail) or words of the title."""
        text = value.strip()
        return queryset.filter(Q(number__icontains=text) | Q(title__icontains=text)) if text else queryset

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        """Held by the unit past the deadline, or everything else."""
        if value is None:
            return queryset
        overdue = overdue_q(self.now)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_open(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        """Not yet closed or void (挂账 counts as open: the problem is still there)."""
        if value is None:
            return queryset
        return queryset.exclude(finished_q()) if value else queryset.filter(finished_q())

    def filter_due_within(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Held by the unit, not yet overdue, with the deadline within that many working hours."""
        until = add_work_time(self.now, int(value) * 60)
        return queryset.filter(clock_running_q(), deadline__gte=self.now, deadline__lt=until)

    def filter_mine(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        """Reported by the signed-in user."""
        if not value or self.request is None:
            return queryset
        return queryset.filter(reporter_id=self.request.user.pk)

    def filter_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The category itself and, for a 大类, every 小类 under it."""
        return queryset.filter(Q(category_id=value) | Q(category__parent_id=value))

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Anywhere in the subtree of the region (one of the choices, so one the user sees)."""
        path = Region.objects.filter(pk=value).values("path")[:1]
        return queryset.filter(region__path__startswith=Subquery(path))

    def filter_since(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        """Reported on or after the day (local time)."""
        return queryset.filter(created_at__gte=day_start(value))

    def filter_until(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        """Reported on or before the day (local time)."""
        return queryset.filter(created_at__lt=day_start(value + timedelta(days=1)))
