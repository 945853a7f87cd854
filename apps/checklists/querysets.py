"""Named reads for campaigns, tasks, evidence and exports; `visible_to(user)` is the one gate for each.

Who sees what: the office, leaders and inspectors see every campaign, task and piece of evidence; a unit's
staff see the tasks their unit leads or supports (and that evidence); everyone else sees none of it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from apps.accounts.roles import Role
from apps.checklists.choices import SLOT_FILLED, EvidenceStatus, TaskStatus
from apps.regions.scope import AnyUser


def _unit_of(user: AnyUser) -> int | None:
    """The unit whose tasks the user works on, if they hold the unit role."""
    if user.is_authenticated and user.has_role(Role.UNIT):  # type: ignore[union-attr]
        return user.unit_id  # type: ignore[union-attr]
    return None


def sees_all_tasks(user: AnyUser) -> bool:
    """Office, leaders and inspectors see the whole campaign."""
    return bool(user.is_authenticated and user.sees_everything)  # type: ignore[union-attr]


class StandardQuerySet(models.QuerySet):
    """Reads over standards."""

    def visible_to(self, user: AnyUser) -> StandardQuerySet:
        """The standards are read by the same people as the campaigns that run on them."""
        if sees_all_tasks(user) or _unit_of(user):
            return self
        return self.none()


class CampaignQuerySet(models.QuerySet):
    """Reads over campaigns."""

    def visible_to(self, user: AnyUser) -> CampaignQuerySet:
        """Campaigns are city-wide: everyone who sees all tasks, and every unit's staff."""
        if sees_all_tasks(user) or _unit_of(user):
            return self
        return self.none()


class TaskQuerySet(models.QuerySet):
    """Reads over tasks."""

    def visible_to(self, user: AnyUser) -> TaskQuerySet:
        """All tasks for the office and leaders; a unit's own and supported tasks for its staff."""
        if sees_all_tasks(user):
            return self
        unit_id = _unit_of(user)
        if not unit_id:
            return self.none()
        supported = self.model.supporting_units.through.objects.filter(unit_id=unit_id).values("task_id")
        return self.filter(Q(lead_unit_id=unit_id) | Q(pk__in=supported))

    def led_by(self, unit: Any) -> TaskQuerySet:
        """Tasks a unit leads."""
        return self.filter(lead_unit=unit)

    def open(self) -> TaskQuerySet:
        """Tasks not yet done."""
        return self.exclude(status=TaskStatus.DONE)

    def overdue(self, today: date) -> TaskQuerySet:
        """Open tasks whose deadline has passed."""
        return self.open().filter(deadline__lt=today)

    def due_within(self, today: date, days: int) -> TaskQuerySet:
        """Open tasks due from today up to `days` days ahead (today included, overdue ones not)."""
        return self.open().filter(deadline__gte=today, deadline__lte=today + timedelta(days=days))

    def with_returned_evidence(self) -> TaskQuerySet:
        """Tasks with a slot whose evidence was returned and nothing newer uploaded for it yet."""
        from apps.checklists.models import Evidence

        return self.filter(pk__in=Evidence.objects.returned_slots().values("task_id"))

    def due_first(self) -> TaskQuerySet:
        """Soonest deadline first, then in the standard's order."""
        return self.order_by("deadline", "item__order", "pk")


class EvidenceQuerySet(models.QuerySet):
    """Reads over uploaded evidence."""

    def visible_to(self, user: AnyUser) -> EvidenceQuerySet:
        """Evidence of the tasks the user can see."""
        from apps.checklists.models import Task

        if sees_all_tasks(user):
            return self
        return self.filter(task__in=Task.objects.visible_to(user).values("pk"))

    def pending(self) -> EvidenceQuerySet:
        """Waiting for the office's review."""
        return self.filter(status=EvidenceStatus.PENDING)

    def returned_slots(self) -> EvidenceQuerySet:
        """Returned evidence whose slot (requirement × year) has nothing pending or approved: to redo."""
        # Coalesce lets a slot without a year (NULL) match itself in the subquery.
        newer = (
            self.model.objects.filter(
                task=OuterRef("task"), requirement=OuterRef("requirement"), status__in=SLOT_FILLED
            )
            .annotate(slot_year=Coalesce("year", Value(0)))
            .filter(slot_year=OuterRef("slot_year"))
        )
        return (
            self.filter(status=EvidenceStatus.RETURNED)
            .annotate(slot_year=Coalesce("year", Value(0)))
            .exclude(Exists(newer))
        )

    def approved(self) -> EvidenceQuerySet:
        """Passed review: what goes into the binder."""
        return self.filter(status=EvidenceStatus.APPROVED)


class BinderExportQuerySet(models.QuerySet):
    """Reads over binder exports."""

    def visible_to(self, user: AnyUser) -> BinderExportQuerySet:
        """Binders hold the whole campaign: only those who see every task see them."""
        return self if sees_all_tasks(user) else self.none()
