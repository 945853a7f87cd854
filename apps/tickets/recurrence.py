"""The same problem at the same place: an unfinished ticket a new report joins, or a closed one it repeats.

"Same problem, same place" is one rule for both: the same 小类, and the same point — or, for a report
made away from any point, a ticket located within 30 m. A report that matches an unfinished ticket
(挂账 included: the problem is still there) joins it as a further report (find_open_duplicate); a new
ticket that matches one closed in the last 30 days is a 反弹 (find_recurrence).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal

from apps.tickets.models import Ticket, TicketStatus
from apps.tickets.querysets import TicketQuerySet

WINDOW = timedelta(days=30)
RADIUS_M = 30.0
# About 30 m in degrees of latitude; longitude degrees shrink with latitude, so the box is widened there.
LAT_DEGREES = Decimal("0.00028")


def find_open_duplicate(
    *, category_id: int, point_id: int | None, lat: Decimal | None, lng: Decimal | None
) -> Ticket | None:
    """The oldest unfinished ticket for the same problem at the same place, if any."""
    unfinished = Ticket.objects.filter(category_id=category_id).unfinished()
    return _at_same_place(unfinished, point_id, lat, lng, newest_first=False)


def find_recurrence(ticket: Ticket, now: datetime) -> Ticket | None:
    """The most recently closed ticket this one repeats, if any."""
    closed = Ticket.objects.filter(
        category_id=ticket.category_id,
        status=TicketStatus.CLOSED,
        closed_at__gte=now - WINDOW,
        closed_at__lte=now,
    ).exclude(pk=ticket.pk)
    return _at_same_place(closed, ticket.point_id, ticket.lat, ticket.lng, newest_first=True)


def _at_same_place(
    tickets: TicketQuerySet,
    point_id: int | None,
    lat: Decimal | None,
    lng: Decimal | None,
    *,
    newest_first: bool,
) -> Ticket | None:
    """The first of `tickets` at the same point, or within RADIUS_M when there is no point."""
    order = ("-closed_at",) if newest_first else ("created_at", "pk")
    if point_id:
        return tickets.filter(point_id=point_id).order_by(*order).first()
    if lat is None or lng is None:
        return None
    lng_degrees = LAT_DEGREES / Decimal(max(math.cos(math.radians(float(lat))), 0.01))
    nearby = tickets.filter(
        lat__range=(lat - LAT_DEGREES, lat + LAT_DEGREES),
        lng__range=(lng - lng_degrees, lng + lng_degrees),
    ).order_by(*order)
    return next((t for t in nearby if distance_m(lat, lng, t) <= RADIUS_M), None)


def distance_m(lat: Decimal, lng: Decimal, other: Ticket) -> float:
    """Great-circle distance in metres from a place to a located ticket (haversine)."""
    lat1, lng1, lat2, lng2 = (math.radians(float(v)) for v in (lat, lng, other.lat, other.lng))  # type: ignore[arg-type]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))
