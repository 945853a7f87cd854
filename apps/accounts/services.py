"""Writes to users and their roles."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from apps.accounts.models import Role, User, UserRole
from apps.regions.models import Level, Region, Unit
from apps.regions.scope import forget_scope


def _check_role_requirements(*, roles: set[str], unit: Unit | None, scope_region: Region | None) -> None:
    """Unit staff need a unit; 街道 staff a 街道; 社区 staff a 社区."""
    errors = {}
    if Role.UNIT in roles and unit is None:
        errors["unit"] = "责任单位角色须指定所属单位。"
    if Role.STREET in roles and (scope_region is None or scope_region.level != Level.STREET):
        errors["scope_region"] = "街道角色须指定一个街道作为管辖区域。"
    if Role.COMMUNITY in roles and (scope_region is None or scope_region.level != Level.COMMUNITY):
        errors["scope_region"] = "社区角色须指定一个社区作为管辖区域。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_create(
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
    """Create a user with roles; role requirements (unit, territory) are checked before any write."""
    role_set = set(roles)
    _check_role_requirements(roles=role_set, unit=unit, scope_region=scope_region)
    user = User(
        username=username,
        real_name=real_name,
        mobile=mobile,
        unit=unit,
        scope_region=scope_region,
        is_superuser=is_superuser,
        is_staff=is_superuser or bool(role_set & {Role.ADMIN}),
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in sorted(role_set)])
    return user


@transaction.atomic
def users_bulk_create(*, users: list[User], role: str) -> list[User]:
    """Save many prepared users (password already hashed) with one role each, in two queries; by username.

    For seeding hundreds of staff at once: no per-row validation or hashing, so the caller checks a sample.
    """
    User.objects.bulk_create(users)
    saved = list(User.objects.filter(username__in=[user.username for user in users]).order_by("username"))
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for user in saved])
    return saved


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[str]) -> User:
    """Replace a user's roles."""
    role_set = set(roles)
    _check_role_requirements(roles=role_set, unit=user.unit, scope_region=user.scope_region)
    user.role_grants.exclude(role__in=role_set).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in role_set], ignore_conflicts=True)
    user.__dict__.pop("role_codes", None)
    forget_scope(user)
    return user


def api_token_issue(*, user: User) -> Token:
    """The user's API token for the PWA and machine clients, created on first sign-in and then reused."""
    token, _ = Token.objects.get_or_create(user=user)
    return token
