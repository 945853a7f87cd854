"""Writes to territory, units, points, grid assignments and pairings."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from apps.accounts.models import User
from apps.core.exceptions import DomainError
from apps.core.numbers import forget_numbers, namespace_of
from apps.core.permissions import require
from apps.regions.models import GridAssignment, Level, Pairing, Point, Region, Unit
from apps.regions.permissions import can_change_point, can_change_region, can_change_unit
from apps.regions.scope import forget_scope

POINT_EDITABLE = ("name", "type", "address", "grid", "lat", "lng", "responsible_unit", "is_active")
UNIT_CONTACT_FIELDS = (
    "principal_name",
    "principal_phone",
    "liaison_name",
    "liaison_phone",
    "webhook_kind",
    "webhook_url",
)
UNIT_EDITABLE = ("name", "short_name", "type", "region", "is_active", *UNIT_CONTACT_FIELDS)
REGION_EDITABLE = ("name", "boundary", "centre_lat", "centre_lng")


def _apply(instance: Any, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """Set the allowed fields and validate the row; unknown fields are a programming error."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise DomainError(f"不可修改的字段：{', '.join(sorted(unknown))}")
    for field, value in data.items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()


@transaction.atomic
def region_create(*, parent: Region | None, code: str, name: str, **fields: Any) -> Region:
    """Add a region one level below its parent (or a 市 at the root); used by seeding and imports."""
    if parent is not None and parent.level == Level.GRID:
        raise DomainError("网格下不能再建下级区域。")
    level = Level.CITY if parent is None else Level.at_depth(parent.depth + 1)
    region = Region(code=code, name=name, level=level, **fields)
    region.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return Region.objects.add_root(instance=region)
    return Region.objects.add_child(parent, instance=region)


def region_relevel(*, region: Region) -> None:
    """After a move in the admin's tree: the region's level follows the depth it landed at."""
    region.refresh_from_db()
    level = Level.at_depth(region.depth)
    if region.level != level:
        Region.objects.filter(pk=region.pk).update(level=level)
    forget_numbers(namespace_of(Region))  # a move rewrites paths with update(): the choices changed


@transaction.atomic
def region_update(*, region: Region, actor: User, data: dict[str, Any]) -> Region:
    """Rename or re-draw a region."""
    require(can_change_region(actor, region))
    _apply(region, data, REGION_EDITABLE)
    return region


@transaction.atomic
def unit_update(*, unit: Unit, actor: User, data: dict[str, Any]) -> Unit:
    """Edit a unit; its own staff may change only the contact fields."""
    require(can_change_unit(actor, unit))
    allowed = UNIT_EDITABLE if actor.manages_everything else UNIT_CONTACT_FIELDS
    _apply(unit, data, allowed)
    return unit


@transaction.atomic
def point_create(*, actor: User, data: dict[str, Any]) -> Point:
    """Add a point in a grid the actor manages."""
    point = Point(code=data.pop("code", ""))
    for field, value in data.items():
        setattr(point, field, value)
    point.full_clean()
    require(can_change_point(actor, point))
    point.save()
    return point


@transaction.atomic
def point_update(*, point: Point, actor: User, data: dict[str, Any]) -> Point:
    """Edit a point; moving it to another grid needs rights over both grids."""
    require(can_change_point(actor, point))
    _apply(point, data, POINT_EDITABLE)
    require(can_change_point(actor, point))
    return point


@transaction.atomic
def grid_assign_worker(*, grid: Region, worker: User, actor: User) -> GridAssignment:
    """Assign a grid worker to a grid (idempotent)."""
    require(can_change_region(actor, grid))
    assignment = GridAssignment(grid=grid, worker=worker)
    assignment.full_clean(validate_unique=False)
    assignment, _ = GridAssignment.objects.get_or_create(grid=grid, worker=worker)
    forget_scope(worker)
    return assignment


@transaction.atomic
def grid_unassign_worker(*, grid: Region, worker: User, actor: User) -> None:
    """Take a grid worker off a grid."""
    require(can_change_region(actor, grid))
    GridAssignment.objects.filter(grid=grid, worker=worker).delete()
    forget_scope(worker)


@transaction.atomic
def pairing_create(
    *,
    region: Region,
    kind: str,
    actor: User,
    user: User | None = None,
    unit: Unit | None = None,
    note: str = "",
) -> Pairing:
    """Pair a leader, unit or grid chief with a region (idempotent)."""
    require(can_change_region(actor, region))
    pairing = Pairing(region=region, kind=kind, user=user, unit=unit, note=note)
    pairing.full_clean(validate_unique=False, validate_constraints=False)
    existing = Pairing.objects.filter(region=region, kind=kind, user=user, unit=unit).first()
    if existing:
        return existing
    pairing.save()
    _forget_paired(pairing, actor)
    return pairing


@transaction.atomic
def pairing_remove(*, pairing: Pairing, actor: User) -> None:
    """End a leader's, unit's or grid chief's pairing with a region."""
    require(can_change_region(actor, pairing.region))
    pairing.delete()
    _forget_paired(pairing, actor)


def _forget_paired(pairing: Pairing, actor: User) -> None:
    """Drop the cached scopes a pairing feeds: the paired person's and the actor's (unit staff's)."""
    forget_scope(actor)
    if pairing.user is not None:
        forget_scope(pairing.user)
