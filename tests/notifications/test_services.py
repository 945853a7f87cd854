"""notify and mark-read: active recipients only, never the same keyed reminder twice, own rows only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import User
from apps.notifications.models import Notification
from apps.notifications.services import notification_mark_read, notifications_mark_all_read, notify
from tests.notifications.factories import NotificationFactory


def test_notify_creates_one_notification_per_active_recipient(actors: dict[str, User]) -> None:
    created = notify(
        recipients=[actors["unit"], actors["unit_other"]],
        kind="ticket_due_soon",
        title="工单即将到期",
        body="工单 GD-001 将于明天到期。",
        link="/tickets/1/",
    )
    assert created == 2
    rows = Notification.objects.order_by("recipient__username")
    assert [(n.recipient, n.title, n.link, n.read_at) for n in rows] == [
        (actors["unit"], "工单即将到期", "/tickets/1/", None),
        (actors["unit_other"], "工单即将到期", "/tickets/1/", None),
    ]


def test_notify_skips_inactive_users(actors: dict[str, User]) -> None:
    User.objects.filter(pk=actors["unit_other"].pk).update(is_active=False)
    # The stale in-memory object still says active: the database decides.
    assert actors["unit_other"].is_active
    created = notify(recipients=[actors["unit"], actors["unit_other"]], kind="ticket_due_soon", title="到期")
    assert created == 1
    assert list(Notification.objects.values_list("recipient", flat=True)) == [actors["unit"].pk]


def test_notify_counts_a_recipient_listed_twice_once(actors: dict[str, User]) -> None:
    assert notify(recipients=[actors["unit"], actors["unit"]], kind="ticket_due_soon", title="到期") == 1


def test_notify_accepts_a_queryset_and_no_recipients(actors: dict[str, User]) -> None:
    assert notify(recipients=User.objects.none(), kind="ticket_due_soon", title="到期") == 0
    assert (
        notify(recipients=User.objects.filter(unit__isnull=False), kind="ticket_due_soon", title="到期") == 2
    )


def test_the_same_dedupe_key_is_delivered_once_even_when_the_job_retries(actors: dict[str, User]) -> None:
    kwargs = {"kind": "weekly_digest", "title": "本周调度", "dedupe_key": "digest:2025-W10"}
    assert notify(recipients=[actors["unit"]], **kwargs) == 1
    assert notify(recipients=[actors["unit"]], **kwargs) == 0
    # A retry that reaches one more person delivers to just that person, and says so.
    assert notify(recipients=[actors["unit"], actors["unit_other"]], **kwargs) == 1
    assert Notification.objects.filter(dedupe_key="digest:2025-W10").count() == 2


def test_without_a_dedupe_key_every_call_delivers(actors: dict[str, User]) -> None:
    assert notify(recipients=[actors["unit"]], kind="ticket_returned", title="工单被退回") == 1
    assert notify(recipients=[actors["unit"]], kind="ticket_returned", title="工单被退回") == 1
    assert Notification.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"title": ""}, "title"),
        ({"link": "https://evil.example.com/"}, "link"),
        ({"kind": "Ticket Due"}, "kind"),
    ],
)
def test_notify_refuses_bad_input_and_writes_nothing(
    actors: dict[str, User], fields: dict[str, str], error_field: str
) -> None:
    kwargs = {"kind": "ticket_due_soon", "title": "到期", **fields}
    with pytest.raises(ValidationError) as caught:
        notify(recipients=[actors["unit"]], **kwargs)
    assert error_field in caught.value.message_dict
    assert not Notification.objects.exists()


def test_mark_read_sets_the_time_once(actors: dict[str, User]) -> None:
    notification = NotificationFactory(recipient=actors["unit"])
    notification_mark_read(notification=notification, actor=actors["unit"])
    first = Notification.objects.get(pk=notification.pk).read_at
    assert first is not None
    again = notification_mark_read(
        notification=Notification.objects.get(pk=notification.pk), actor=actors["unit"]
    )
    assert again.read_at == first


def test_only_the_recipient_may_mark_a_notification_read(actors: dict[str, User]) -> None:
    notification = NotificationFactory(recipient=actors["unit"])
    with pytest.raises(PermissionDenied):
        notification_mark_read(notification=notification, actor=actors["admin"])
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_mark_all_read_changes_only_the_actors_unread_notifications(actors: dict[str, User]) -> None:
    NotificationFactory.create_batch(3, recipient=actors["unit"])
    already = NotificationFactory(recipient=actors["unit"])
    notification_mark_read(notification=already, actor=actors["unit"])
    others = NotificationFactory(recipient=actors["office"])
    assert notifications_mark_all_read(actor=actors["unit"]) == 3
    assert not Notification.objects.visible_to(actors["unit"]).unread().exists()
    assert Notification.objects.get(pk=others.pk).read_at is None
    assert notifications_mark_all_read(actor=actors["unit"]) == 0
