"""The same problem at the same place: an unfinished ticket a new report joins, or a closed one it repeats.

"Same problem, same place" is one rule for both: the same 小类, and the same point — or, for a report
made away from any point, a ticket located within 30 m. A report that matches an unfinished ticket
(挂账 included: the problem is still there) joins it as a further report; a new ticket that matches one
closed in the last 30 days is a 反弹. A report asks both at once (find_same_problem: one read of the few
tickets of that problem at that place); a ticket opened otherwise asks the second (find_recurrence).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from apps.tickets.choices import FINISHED, EventAction
from apps.tickets.models import Ticket, TicketEvent, TicketStatus
from apps.tickets.querysets import TicketQuerySet, finished_q

WINDOW = timedelta(days=30)
RADIUS_M = 30.0
# About 30 m in degrees of latitude; longitude degrees shrink with latitude, so the box is widened there.
LAT_DEGREES = Decimal("0.00028")


@dataclass(frozen=True)
class SameProblem:
    """What a new report meets at its place: an unfinished ticket to join, a closed one it repeats."""

    unfinished: Ticket | None
    recently_closed: Ticket | None


def find_same_problem(
    *, category_id: int, point_id: int | None, lat: Decimal | None, lng: Decimal | None, now: datetime
) -> SameProblem:
    """The oldest unfinished and the latest recently closed ticket of the problem there, in one query."""
    recent = Q(status=TicketStatus.CLOSED, closed_at__gte=now - WINDOW, closed_at__lte=now)
    # Reported by `now` (the timeline's first step, on event_ticket_at_idx): a report entered after the fact,
    # as the demo's past days are, never joins a ticket that did not exist yet when it was seen.
    reported_by_then = TicketEvent.objects.filter(
        ticket=OuterRef("pk"), action=EventAction.CREATE, at__lte=now
    )
    open_then = ~finished_q() & Q(Exists(reported_by_then))
    tickets = Ticket.objects.filter(category_id=category_id).filter(open_then | recent)
    here = _all_at_same_place(tickets, point_id, lat, lng)
    unfinished = [ticket for ticket in here if ticket.status not in FINISHED]
    closed = [ticket for ticket in here if ticket.status == TicketStatus.CLOSED]
    return SameProblem(
        unfinished=min(unfinished, key=lambda ticket: (ticket.created_at, ticket.pk), default=None),
        recently_closed=max(closed, key=lambda ticket: ticket.closed_at or now, default=None),
    )


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
    """The first of `tickets` at the same place (the database orders them and, at a point, stops at one)."""
    here = _here(tickets, point_id, lat, lng)
    if here is None:
        return None
    here = here.order_by(*(("-closed_at",) if newest_first else ("created_at", "pk")))
    if point_id:
        return here.first()
    return next((ticket for ticket in here if _near(ticket, lat, lng)), None)


def _all_at_same_place(
    tickets: TicketQuerySet, point_id: int | None, lat: Decimal | None, lng: Decimal | None
) -> list[Ticket]:
    """Every one of `tickets` at the same place."""
    here = _here(tickets, point_id, lat, lng)
    if here is None:
        return []
    return [ticket for ticket in here if point_id or _near(ticket, lat, lng)]


def _here(
    tickets: TicketQuerySet, point_id: int | None, lat: Decimal | None, lng: Decimal | None
) -> TicketQuerySet | None:
    """`tickets` at the same point, or in a box of RADIUS_M around the place (None: no place to compare)."""
    if point_id:
        return tickets.filter(point_id=point_id)
    if lat is None or lng is None:
        return None
    lng_degrees = LAT_DEGREES / Decimal(max(math.cos(math.radians(float(lat))), 0.01))
    return tickets.filter(
        lat__range=(lat - LAT_DEGREES, lat + LAT_DEGREES),
        lng__range=(lng - lng_degrees, lng + lng_degrees),
    )


def _near(ticket: Ticket, lat: Decimal | None, lng: Decimal | None) -> bool:
    """Within RADIUS_M of the place (the box is wider than the circle)."""
    return lat is not None and lng is not None and distance_m(lat, lng, ticket) <= RADIUS_M


def distance_m(lat: Decimal, lng: Decimal, other: Ticket) -> float:
    """Great-circle distance in metres from a place to a located ticket (haversine)."""
    lat1, lng1, lat2, lng2 = (math.radians(float(v)) for v in (lat, lng, other.lat, other.lng))  # type: ignore[arg-type]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))
