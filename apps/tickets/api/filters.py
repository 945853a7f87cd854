"""Query filters for the tickets API; every filter narrows a queryset already limited by visible_to."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters

from apps.core.dates import day_start
from apps.core.filters import DateFilter
from apps.regions.models import Region
from apps.tickets.choices import Supervision, TicketSource, TicketStatus
from apps.tickets.models import Ticket
from apps.tickets.querysets import overdue_q


class IdFilter(filters.NumberFilter):
    """A whole-number id, checked against nothing: the queryset is already limited to what the caller sees.

    Not marked with extend_schema_field: the schema reads the type from the method's hint or the model
    field, and keeps the label as the parameter's description.
    """

    field_class = forms.IntegerField


class TicketFilter(filters.FilterSet):
    """Filter by state, supervision, category (a 大类 takes in its 小类), source, place, unit, date, text."""

    status = filters.MultipleChoiceFilter(label="状态（可多选）", choices=TicketStatus.choices)
    overdue = filters.BooleanFilter(label="已超期", method="filter_overdue")
    supervision = filters.TypedChoiceFilter(label="督办级别", choices=Supervision.choices, coerce=int)
    # Plain ids: categories are reference data, and a unit filters by regions its territory does not cover.
    category = IdFilter(label="问题类别（大类含其小类）", method="filter_category")
    source = filters.ChoiceFilter(label="来源", choices=TicketSource.choices)
    region = IdFilter(label="所在区域（含下级）", method="filter_region")
    unit = IdFilter(label="责任单位", method="filter_unit")
    created_after = DateFilter(label="上报日期起（含）", method="filter_created_after")
    created_before = DateFilter(label="上报日期止（含）", method="filter_created_before")
    q = filters.CharFilter(label="工单编号或标题", method="search")

    class Meta:
        model = Ticket
        fields = [
            "status",
            "overdue",
            "supervision",
            "category",
            "source",
            "region",
            "unit",
            "created_after",
            "created_before",
            "q",
        ]

    # django-filter never calls a method with an empty value, so none of them checks for None.

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        """Held by the unit past the deadline (or, for `false`, everything else)."""
        overdue = overdue_q(timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_category(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        """The 小类 itself, or every 小类 under a 大类."""
        return queryset.filter(Q(category_id=value) | Q(category__parent_id=value))

    def filter_region(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        """Anywhere in the region's subtree; an unknown id matches nothing."""
        path = Region.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(region__path__startswith=path) if path else queryset.none()

    def filter_unit(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        """Currently assigned to the unit."""
        return queryset.filter(responsible_unit_id=value)

    def filter_created_after(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        """Reported on or after the local day (a range on created_at, so the index serves it)."""
        return queryset.filter(created_at__gte=day_start(value))

    def filter_created_before(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        """Reported on or before the local day."""
        return queryset.filter(created_at__lt=day_start(value + timedelta(days=1)))

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Match the ticket number or title."""
        value = value.strip()
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))
