"""Who holds a role: the active accounts a message or a piece of work goes to."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.accounts.models import Role, User


def unit_staff(unit_id: int) -> QuerySet[User]:
    """The active 责任单位 accounts of one unit."""
    return User.objects.filter(unit_id=unit_id, role_grants__role=Role.UNIT, is_active=True).distinct()


def office_staff() -> QuerySet[User]:
    """The active 创卫办 accounts (not the system administrators)."""
    return User.objects.filter(role_grants__role=Role.OFFICE, is_active=True).distinct()
