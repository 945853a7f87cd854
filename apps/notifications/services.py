"""Writes for notifications: deliver (`notify`) and mark read.

Channels: only the in-app inbox exists today. E-mail and WeCom / DingTalk group-robot webhooks are meant to
hang off `notify` later, without changing its callers: after the in-app rows are written, `notify` would
enqueue one Celery task per extra channel with `transaction.on_commit`, passing the new notification ids, so a
rolled-back caller sends nothing and a retried task reads the same rows. The dedupe key then also keeps those
channels from sending twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.core.numbers import forget_numbers, namespace_of
from apps.notifications.models import Notification


def notify(
    *,
    recipients: Iterable[User] | QuerySet[User],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str = "",
    key_is_new: bool = False,
    at: datetime | None = None,
) -> int:
    """Deliver one notification to each active recipient; returns how many were actually created.

    With a `dedupe_key`, a recipient who already has a notification with that key gets nothing, so a periodic
    job may retry freely; `key_is_new` says the key names something written in this very transaction (a
    ticket event), so nobody can hold it yet and there is nothing to look up. `link` must be a relative URL on
    this site. `at` dates it (default: now), for a step that records its own time.
    """
    # Validate the shared fields once; only the recipient differs between the rows.
    Notification(kind=kind, title=title, body=body, link=link, dedupe_key=dedupe_key).full_clean(
        exclude=["recipient"], validate_unique=False, validate_constraints=False
    )
    # The database, not possibly stale objects, decides who is active (a query of people: in that query).
    if isinstance(recipients, QuerySet):
        ids = set(recipients.filter(is_active=True).values_list("pk", flat=True))
    else:
        wanted = {user.pk for user in recipients}
        ids = set(User.objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True))
    if dedupe_key and not key_is_new and ids:
        ids -= set(
            Notification.objects.filter(dedupe_key=dedupe_key, recipient_id__in=ids).values_list(
                "recipient_id", flat=True
            )
        )
    if not ids:
        return 0
    now = at or timezone.now()
    rows = [
        Notification(
            recipient_id=pk,
            kind=kind,
            title=title,
            body=body,
            link=link,
            dedupe_key=dedupe_key,
            created_at=now,
        )
        for pk in sorted(ids)
    ]
    # The pre-check above makes the count right; ignore_conflicts still keeps a concurrent duplicate out.
    # One insert (bulk_create is atomic by itself), inside whatever step is telling people: no savepoint.
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(dedupe_key))
    _unread_changed()
    return len(rows)


@transaction.atomic
def notification_mark_read(*, notification: Notification, actor: User) -> Notification:
    """Mark the actor's own notification read; reading it again keeps the first time."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("只能标记自己的通知。")
    if notification.read_at is None:
        now = timezone.now()
        # Conditional update: a concurrent read (another tab) keeps its earlier timestamp.
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
            notification.read_at = now
            _unread_changed()
        else:
            notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor read; returns how many changed."""
    changed = Notification.objects.visible_to(actor).unread().update(read_at=timezone.now())
    _unread_changed()
    return changed


def _unread_changed() -> None:
    """Bulk writes send no signal: forget the remembered unread counts (the bell) ourselves."""
    forget_numbers(namespace_of(Notification))
