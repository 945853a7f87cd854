"""App configuration for apps.tickets."""

from django.apps import AppConfig


class TicketsConfig(AppConfig):
    """Rectification tickets (整改工单): lifecycle, working-day deadlines, escalation, recurrence."""

    name = "apps.tickets"
    verbose_name = "整改工单"

    def ready(self) -> None:
        """Connect the signals that drop the routing table and the remembered ticket numbers."""
        from apps.tickets import routing, signals  # noqa: F401
