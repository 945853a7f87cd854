"""Who may patrol where: a grid worker in the grids assigned to them, nobody else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from apps.accounts.models import Role, User
from apps.regions.models import Region
from apps.regions.scope import territory_scope


def my_grid_ids(user: User) -> set[int]:
    """The grids the user is assigned to as a 网格员."""
    if not user.is_authenticated or not user.has_role(Role.GRID_WORKER):
        return set()
    return set(territory_scope(user).grid_ids)  # read once per request, with the rest of the scope


def is_grid_worker(user: User) -> bool:
    """Has the 网格员 role (the phone pages are theirs)."""
    return user.is_authenticated and user.has_role(Role.GRID_WORKER)


def require_patrols_in(user: User, grid: Region) -> None:
    """Refuse patrolling or filing in a grid that is not the worker's own."""
    if grid.pk not in my_grid_ids(user):
        raise PermissionDenied(f"「{grid.name}」不是您负责的网格，不能在此巡查或上报。")
