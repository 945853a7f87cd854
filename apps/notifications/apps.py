"""App configuration for apps.notifications."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications (站内通知): a low-level inbox other apps write to through `notify`."""

    name = "apps.notifications"
    label = "notifications"
    verbose_name = "通知"

    def ready(self) -> None:
        """The bell's unread count is remembered until a notification changes."""
        from apps.core.numbers import remember_numbers_of
        from apps.notifications.models import Notification

        remember_numbers_of(Notification)
