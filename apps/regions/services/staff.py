"""Staff placed in the territory: the rules that tie a role to a unit or to a region of a given level.

These live in regions, not accounts, because accounts (users, roles) is the layer below regions: accounts
may not know what a 街道 or a unit is. The writes stay accounts' own (user_create, user_set_roles); these
services check placement, call them, then drop the cached territory scope.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.services import user_create, user_set_roles
from apps.regions.models import Level, Region, Unit
from apps.regions.scope import forget_scope

# The level a territorial role's 管辖区域 must be, and what to say when it is not.
SCOPE_LEVEL_OF_ROLE = {
    Role.STREET: (Level.STREET, "街道角色须指定一个街道作为管辖区域。"),
    Role.COMMUNITY: (Level.COMMUNITY, "社区角色须指定一个社区作为管辖区域。"),
}


def staff_check_placement(*, roles: Iterable[str], unit: Unit | None, scope_region: Region | None) -> None:
    """Unit staff need a unit; 街道 staff a 街道; 社区 staff a 社区 (raises ValidationError by field)."""
    role_set = set(roles)
    errors = {}
    if Role.UNIT in role_set and unit is None:
        errors["unit"] = "责任单位角色须指定所属单位。"
    for role, (level, message) in SCOPE_LEVEL_OF_ROLE.items():
        if role in role_set and (scope_region is None or scope_region.level != level):
            errors["scope_region"] = message
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str,
    roles: Iterable[str],
    real_name: str = "",
    mobile: str = "",
    unit: Unit | None = None,
    scope_region: Region | None = None,
    is_superuser: bool = False,
) -> User:
    """Create a user with roles and their unit or territory; placement is checked before any write."""
    role_set = set(roles)
    staff_check_placement(roles=role_set, unit=unit, scope_region=scope_region)
    return user_create(
        username=username,
        password=password,
        roles=role_set,
        real_name=real_name,
        mobile=mobile,
        unit_id=unit.pk if unit else None,
        scope_region_id=scope_region.pk if scope_region else None,
        is_superuser=is_superuser,
    )


@transaction.atomic
def staff_set_roles(*, user: User, roles: Iterable[str]) -> User:
    """Replace a user's roles when their unit and territory allow them; the user's scope is recomputed."""
    role_set = set(roles)
    staff_check_placement(roles=role_set, unit=user.unit, scope_region=user.scope_region)
    user_set_roles(user=user, roles=role_set)
    forget_scope(user)
    return user
