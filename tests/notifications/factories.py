"""Notifications written straight to the table (tests of `notify` itself go through the service)."""

import factory

from apps.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    kind = "ticket_due_soon"
    title = factory.Sequence(lambda n: f"工单即将到期 {n}")
    body = "请在期限内完成整改。"
    link = "/tasks/"
