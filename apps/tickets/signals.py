"""Numbers remembered from tickets (the home pages' counts, apps/core/numbers.py) are dropped when a ticket is
written; services write with save(), and the one update() of many rows (escalation) says so itself."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.core.numbers import forget_numbers
from apps.tickets.models import Ticket


@receiver([post_save, post_delete], sender=Ticket, dispatch_uid="ticket-numbers-changed")
def _ticket_changed(**kwargs: object) -> None:
    """Any saved or deleted ticket."""
    forget_numbers("tickets")
