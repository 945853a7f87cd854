"""`visible_to(user)` for patrols and findings: the office, leaders and inspectors see all; 街道/社区 staff
their territory; grid workers their grids; everyone what they did themselves. Units see findings only as
the tickets they were sent."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from apps.accounts.roles import Role
from apps.regions.scope import AnyUser, territory_scope


def _visible(user: AnyUser) -> Q | None:
    """The condition on `grid` and `worker`; None means everything, an impossible Q means nothing."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    scope = territory_scope(user)
    if scope.everything:
        return None
    conditions = [Q(worker_id=user.pk)]
    if user.has_role(Role.STREET, Role.COMMUNITY) and user.scope_region is not None:  # type: ignore[union-attr]
        conditions.append(Q(grid__path__startswith=user.scope_region.path))  # type: ignore[union-attr]
    if scope.grid_ids:
        conditions.append(Q(grid_id__in=scope.grid_ids))
    return reduce(or_, conditions)


class PatrolQuerySet(models.QuerySet):
    """Reads over patrols."""

    def visible_to(self, user: AnyUser) -> PatrolQuerySet:
        """Patrols the user may see (see the module docstring)."""
        condition = _visible(user)
        return self if condition is None else self.filter(condition)

    def finished(self) -> PatrolQuerySet:
        """Patrols the worker has ended."""
        return self.filter(ended_at__isnull=False)


class FindingQuerySet(models.QuerySet):
    """Reads over findings."""

    def visible_to(self, user: AnyUser) -> FindingQuerySet:
        """Findings the user may see (see the module docstring)."""
        condition = _visible(user)
        return self if condition is None else self.filter(condition)
