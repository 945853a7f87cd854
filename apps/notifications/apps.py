"""App configuration for apps.notifications."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications (站内通知): a low-level inbox other apps write to through `notify`."""

    name = "apps.notifications"
    label = "notifications"
    verbose_name = "通知"
