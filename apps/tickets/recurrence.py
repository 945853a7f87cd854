"""反弹: a new problem of the same category at the same point (or within 30 m) soon after a closure."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal

from apps.tickets.models import Ticket, TicketStatus

WINDOW = timedelta(days=30)
RADIUS_M = 30.0
# About 30 m in degrees of latitude; longitude degrees shrink with latitude, so the box is widened there.
LAT_DEGREES = Decimal("0.00028")


def find_recurrence(ticket: Ticket, now: datetime) -> Ticket | None:
    """The most recently closed ticket this one repeats, if any."""
    closed = Ticket.objects.filter(
        category_id=ticket.category_id,
        status=TicketStatus.CLOSED,
        closed_at__gte=now - WINDOW,
        closed_at__lte=now,
    ).exclude(pk=ticket.pk)
    if ticket.point_id:
        return closed.filter(point_id=ticket.point_id).order_by("-closed_at").first()
    if ticket.lat is None or ticket.lng is None:
        return None
    lng_degrees = LAT_DEGREES / Decimal(max(math.cos(math.radians(float(ticket.lat))), 0.01))
    nearby = closed.filter(
        lat__range=(ticket.lat - LAT_DEGREES, ticket.lat + LAT_DEGREES),
        lng__range=(ticket.lng - lng_degrees, ticket.lng + lng_degrees),
    ).order_by("-closed_at")
    return next((t for t in nearby if distance_m(ticket, t) <= RADIUS_M), None)


def distance_m(a: Ticket, b: Ticket) -> float:
    """Great-circle distance in metres between two located tickets (haversine)."""
    lat1, lng1, lat2, lng2 = (math.radians(float(v)) for v in (a.lat, a.lng, b.lat, b.lng))  # type: ignore[arg-type]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))
