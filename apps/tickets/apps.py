"""App configuration for apps.tickets."""

from django.apps import AppConfig


class TicketsConfig(AppConfig):
    """Rectification tickets (整改工单): lifecycle, working-day deadlines, escalation, recurrence."""

    name = "apps.tickets"
    verbose_name = "整改工单"

    def ready(self) -> None:
        """Connect the signals that drop the routing table and the numbers remembered about tickets."""
        from apps.core.numbers import remember_numbers_of
        from apps.tickets import routing  # noqa: F401
        from apps.tickets.models import ProblemCategory, Ticket

        remember_numbers_of(Ticket, ProblemCategory)
