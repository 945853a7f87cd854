"""Celery tasks for tickets: thin wrappers that call a service."""

from __future__ import annotations

from celery import shared_task

from apps.tickets.services.escalation import tickets_escalate


# No retries: beat runs this every 15 minutes and every change it makes is conditional and deduplicated, so
# the next run simply picks up whatever a failed one missed.
@shared_task
def escalate_tickets() -> dict[str, int]:
    """The deadline watch (CELERY_BEAT_SCHEDULE "tickets-escalate"); returns how many tickets it changed."""
    result = tickets_escalate()
    return {
        "checked": result.checked,
        "warned": len(result.warned),
        "yellow": len(result.yellow),
        "red": len(result.red),
        "notifications": result.notifications,
    }
