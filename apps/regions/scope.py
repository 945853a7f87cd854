"""What part of the territory a user sees, computed once per request and kept on the user object."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeAlias

from apps.accounts.roles import Role
from apps.regions.choices import PairingKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

AnyUser: TypeAlias = "User | AnonymousUser"


@dataclass(frozen=True)
class TerritoryScope:
    """The union of what each of a user's roles lets them see."""

    everything: bool = False
    subtree_paths: tuple[str, ...] = ()
    grid_ids: frozenset[int] = frozenset()
    unit_id: int | None = None

    def territorial(self) -> TerritoryScope:
        """The same scope without the unit part: what the user's territory alone covers."""
        return replace(self, unit_id=None)

    @property
    def is_empty(self) -> bool:
        """True when the user sees nothing at all."""
        return not (self.everything or self.subtree_paths or self.grid_ids or self.unit_id)


NOTHING = TerritoryScope()
EVERYTHING = TerritoryScope(everything=True)


def territory_scope(user: AnyUser) -> TerritoryScope:
    """Compute (or reuse) the user's scope; roles add up, none of them narrows another."""
    if not user.is_authenticated:
        return NOTHING
    cached: TerritoryScope | None = getattr(user, "_territory_scope", None)
    if cached is None:
        cached = _compute(user)
        user._territory_scope = cached  # type: ignore[union-attr,attr-defined]
    return cached


def forget_scope(user: AnyUser) -> None:
    """Drop the cached scope after the user's roles, unit, territory or grids changed."""
    user.__dict__.pop("_territory_scope", None)


def _compute(user: User) -> TerritoryScope:
    """Build the scope from roles, scope region, grid assignments and the unit's pairings."""
    from apps.regions.models import GridAssignment, Pairing

    if user.sees_everything:
        return EVERYTHING
    paths: list[str] = []
    if user.has_role(Role.STREET, Role.COMMUNITY) and user.scope_region is not None:
        paths.append(user.scope_region.path)
    grid_ids: frozenset[int] = frozenset()
    if user.has_role(Role.GRID_WORKER):
        grid_ids = frozenset(GridAssignment.objects.filter(worker=user).values_list("grid_id", flat=True))
    unit_id = user.unit_id if user.has_role(Role.UNIT) else None
    if unit_id:
        paths += Pairing.objects.filter(unit_id=unit_id, kind=PairingKind.UNIT).values_list(
            "region__path", flat=True
        )
    return TerritoryScope(subtree_paths=tuple(sorted(set(paths))), grid_ids=grid_ids, unit_id=unit_id)
