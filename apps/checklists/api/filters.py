"""Query filters for the campaigns API; choice lists only offer what the caller can see."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.checklists.choices import CampaignStatus, EvidenceStatus, TaskStatus
from apps.checklists.models import Campaign, Evidence, Task


def _visible_campaigns(request: HttpRequest | None) -> QuerySet[Campaign]:
    if request is None:
        return Campaign.objects.none()
    return Campaign.objects.visible_to(request.user)


def _visible_tasks(request: HttpRequest | None) -> QuerySet[Task]:
    if request is None:
        return Task.objects.none()
    return Task.objects.visible_to(request.user)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """A whole-number id, checked against nothing: the queryset is already limited to what the caller sees."""

    field_class = forms.IntegerField


class CampaignFilter(filters.FilterSet):
    """Filter campaigns by status."""

    status = filters.ChoiceFilter(label="状态", choices=CampaignStatus.choices)

    class Meta:
        model = Campaign
        fields = ["status"]


class TaskFilter(filters.FilterSet):
    """Filter tasks by campaign, status, lead unit, overdue and item code/title."""

    campaign = filters.ModelChoiceFilter(label="创建周期", queryset=_visible_campaigns)
    status = filters.ChoiceFilter(label="状态", choices=TaskStatus.choices)
    # A plain id, not a choice among visible units: a supporting unit filters by a lead unit it cannot "see".
    lead_unit = IdFilter(label="牵头单位", field_name="lead_unit_id")
    overdue = filters.BooleanFilter(label="已逾期", method="filter_overdue")
    q = filters.CharFilter(label="条款编码或标题", method="search")

    class Meta:
        model = Task
        fields = ["campaign", "status", "lead_unit", "overdue", "q"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        """Deadline passed and not done (or the opposite for `false`)."""
        today = timezone.localdate()
        if value:
            return queryset.overdue(today)  # type: ignore[attr-defined]
        return queryset.exclude(pk__in=Task.objects.overdue(today).values("pk"))

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Match the item's code or title."""
        value = value.strip()
        return queryset.filter(Q(item__code__icontains=value) | Q(item__title__icontains=value))


class EvidenceFilter(filters.FilterSet):
    """Filter evidence by task, review status and campaign."""

    task = filters.ModelChoiceFilter(label="任务", queryset=_visible_tasks)
    status = filters.ChoiceFilter(label="审核状态", choices=EvidenceStatus.choices)
    campaign = filters.ModelChoiceFilter(
        label="创建周期", queryset=_visible_campaigns, field_name="task__campaign"
    )

    class Meta:
        model = Evidence
        fields = ["task", "status", "campaign"]
