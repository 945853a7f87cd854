"""Users with roles, created through the same service the app uses."""

from collections.abc import Iterable
from itertools import count
from typing import Any

from django.contrib.auth.models import Permission

from apps.accounts.models import User
from apps.regions.services import staff_create

PASSWORD = "pw-for-tests-1"
_seq = count(1)


def make_user(*roles: str, username: str | None = None, **fields: Any) -> User:
    """A user holding the given roles (and the unit or territory they need), through staff_create."""
    return staff_create(username=username or f"user{next(_seq)}", password=PASSWORD, roles=roles, **fields)


def admin_staff(*roles: str, perms: Iterable[str], **fields: Any) -> User:
    """A user with the roles who may sign in to the admin, holding the given model permissions (codenames)."""
    user = make_user(*roles, **fields)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.filter(codename__in=list(perms)))
    return user


def roles_of(users: Iterable[User]) -> list[set[str]]:
    """The role codes of each user, for readable assertions."""
    return [set(u.role_codes) for u in users]
