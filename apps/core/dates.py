"""Calendar days as moments: the city's local midnight, which date filters and week reports start from."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone


def day_start(day: date) -> datetime:
    """Midnight at the start of a calendar day in the city's time zone, aware."""
    return timezone.make_aware(datetime.combine(day, time.min))
