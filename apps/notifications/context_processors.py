"""The unread count shown on the bell in every page's top bar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from apps.core.numbers import remembered_about
from apps.notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """`unread_notifications`: the signed-in user's unread count, counted at most once and only if shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: htmx fragments and other pages without the top bar never pay for the query; remembered until a
    # notification is written or read (apps/core/numbers.py), as every page shows it.
    return {"unread_notifications": SimpleLazyObject(lambda: _unread(user))}


def _unread(user: Any) -> int:
    return remembered_about(
        Notification,
        f"unread:{user.pk}",
        lambda: Notification.objects.visible_to(user).unread().count(),
        now=timezone.now(),
    )
