"""Who may change what in the territory: 404 if you can't see it (visible_to), 403 if you can't change it."""

from __future__ import annotations

from apps.accounts.models import Role, User
from apps.regions.models import Point, Region, Unit


def _manages_subtree(user: User, region: Region, *, include_own: bool) -> bool:
    """True when the region lies in the 街道/社区 user's territory (their own node only if include_own)."""
    own = user.scope_region
    if own is None or not user.has_role(Role.STREET, Role.COMMUNITY):
        return False
    if region.pk == own.pk:
        return include_own
    return region.path.startswith(own.path)


def can_change_region(user: User, region: Region) -> bool:
    """The office changes any region; 街道/社区 staff the regions below their own (grids, communities)."""
    return user.manages_everything or _manages_subtree(user, region, include_own=False)


def can_change_unit(user: User, unit: Unit) -> bool:
    """The office changes any unit; unit staff keep their own unit's contacts up to date."""
    return user.manages_everything or (user.has_role(Role.UNIT) and user.unit_id == unit.pk)


def can_change_point(user: User, point: Point) -> bool:
    """The office changes any point; 街道/社区 staff the points in their territory."""
    return user.manages_everything or _manages_subtree(user, point.grid, include_own=True)
