"""Writes to users and their roles.

accounts sits below regions (DESIGN.md §3), so nothing here knows about units or region levels: a user's unit
and territory arrive as ids, and the rules that tie a role to a unit or to a level of region are checked by
`apps.regions.services.staff` (staff_create, staff_set_roles) before it calls these.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from rest_framework.authtoken.models import Token

from apps.accounts.models import User, UserRole
from apps.accounts.roles import Role


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    roles: Iterable[str],
    real_name: str = "",
    mobile: str = "",
    unit_id: int | None = None,
    scope_region_id: int | None = None,
    is_superuser: bool = False,
) -> User:
    """Create a validated user with roles; people placed in the territory go through regions' staff_create."""
    role_set = set(roles)
    user = User(
        username=username,
        real_name=real_name,
        mobile=mobile,
        unit_id=unit_id,
        scope_region_id=scope_region_id,
        is_superuser=is_superuser,
        is_staff=is_superuser or Role.ADMIN in role_set,
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
    """Replace a user's roles (no placement check: regions' staff_set_roles does that first)."""
    role_set = set(roles)
    user.role_grants.exclude(role__in=role_set).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in role_set], ignore_conflicts=True)
    user.__dict__.pop("role_codes", None)
    return user


def api_token_issue(*, user: User) -> Token:
    """The user's API token for the PWA and machine clients, created on first sign-in and then reused."""
    token, _ = Token.objects.get_or_create(user=user)
    return token
