"""Named reads for tickets; `visible_to(user)` is the one gate.

Who sees which tickets: the office, leaders and inspectors all of them; 街道/社区 staff those in
their territory; a unit's staff those currently assigned to their unit; a grid worker those in
their grids; everyone the ones they reported.
"""

from __future__ import annotations

from datetime import datetime
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from apps.accounts.roles import Role
from apps.regions.scope import AnyUser, territory_scope
from apps.tickets.choices import CLOCK_RUNNING, FINISHED


def clock_running_q() -> Q:
    """Held by the unit (待签收, 整改中): the deadline applies."""
    return Q(status__in=CLOCK_RUNNING)


def overdue_q(now: datetime) -> Q:
    """Held by the unit past the deadline."""
    return clock_running_q() & Q(deadline__lt=now)


def finished_q() -> Q:
    """Closed or void."""
    return Q(status__in=FINISHED)


class ProblemCategoryQuerySet(models.QuerySet):
    """Reads over problem categories."""

    def active(self) -> ProblemCategoryQuerySet:
        """Categories still in use."""
        return self.filter(is_active=True)

    def leaves(self) -> ProblemCategoryQuerySet:
        """小类 only: what a ticket is filed under."""
        return self.filter(parent__isnull=False)


class TicketQuerySet(models.QuerySet):
    """Reads over tickets."""

    def visible_to(self, user: AnyUser) -> TicketQuerySet:
        """Tickets the user may see (see the module docstring)."""
        if not user.is_authenticated:
            return self.none()
        scope = territory_scope(user)
        if scope.everything:
            return self
        conditions = []
        # Only 街道/社区 staff see by territory; a unit's pairings (挂钩) do not open other units' tickets.
        if user.has_role(Role.STREET, Role.COMMUNITY) and user.scope_region is not None:  # type: ignore[union-attr]
            conditions.append(Q(region__path__startswith=user.scope_region.path))  # type: ignore[union-attr]
        if scope.grid_ids:
            conditions += [Q(region_id__in=scope.grid_ids), Q(point__grid_id__in=scope.grid_ids)]
        if scope.unit_id:
            conditions.append(Q(responsible_unit_id=scope.unit_id))
        conditions.append(Q(reporter_id=user.pk))
        return self.filter(reduce(or_, conditions))

    def unfinished(self) -> TicketQuerySet:
        """Not closed and not void."""
        return self.exclude(finished_q())

    def finished(self) -> TicketQuerySet:
        """Closed or void."""
        return self.filter(finished_q())

    def clock_running(self) -> TicketQuerySet:
        """Held by the unit (待签收, 整改中): the deadline applies."""
        return self.filter(clock_running_q())

    def overdue(self, now: datetime) -> TicketQuerySet:
        """Held by the unit past the deadline."""
        return self.filter(overdue_q(now))

    def for_unit(self, unit_id: int) -> TicketQuerySet:
        """Currently assigned to a unit."""
        return self.filter(responsible_unit_id=unit_id)
