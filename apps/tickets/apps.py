"""App configuration for apps.tickets."""

from django.apps import AppConfig


class TicketsConfig(AppConfig):
    """Rectification tickets (整改工单): lifecycle, working-day deadlines, escalation, recurrence."""

    name = "apps.tickets"
    verbose_name = "整改工单"

    def ready(self) -> None:
        """Connect the routing cache's invalidation signals."""
        from apps.tickets import routing  # noqa: F401
