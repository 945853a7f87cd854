"""Who is told when a ticket changes hands: an in-app notification, written in the step's own transaction.

派遣 and 返工 go to the unit's staff; 退回 and requests for 延期 or 挂账 to the office; 提交整改 to
whoever may re-check (the grid's workers and the office); the office's decisions on a request back to the
unit. Each notification is keyed by the event, so a retried step never tells anyone twice.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.selectors import office_staff, unit_staff
from apps.notifications.services import notify
from apps.tickets.models import Ticket, TicketEvent
from apps.tickets.permissions import ticket_grid_id


def tell_unit(ticket: Ticket, event: TicketEvent, title: str) -> int:
    """The responsible unit's staff: work has arrived or come back to them."""
    if ticket.responsible_unit_id is None:
        return 0
    return _send(ticket, event, unit_staff(ticket.responsible_unit_id), title)


def tell_office(ticket: Ticket, event: TicketEvent, title: str) -> int:
    """The office: a unit hands a ticket back or asks for a decision."""
    return _send(ticket, event, office_staff(), title)


def tell_recheckers(ticket: Ticket, event: TicketEvent, title: str) -> int:
    """Whoever may 核查 a submitted fix: the grid workers of the ticket's grid, and the office."""
    grid_id = ticket_grid_id(ticket)
    workers = Q(grid_assignments__grid_id=grid_id, is_active=True) if grid_id else Q(pk__in=[])
    people = User.objects.filter(workers | Q(pk__in=office_staff().values("pk"))).distinct()
    return _send(ticket, event, people, title)


def _send(ticket: Ticket, event: TicketEvent, people: QuerySet[User], title: str) -> int:
    """One notification per person, never to the one who acted, dated when the step happened."""
    body = f"{ticket.title}" + (f"：{event.comment}" if event.comment else "")
    return notify(
        recipients=people.exclude(pk=event.actor_id) if event.actor_id else people,
        kind=f"ticket_{event.action}",
        title=f"{title}：{ticket.number}",
        body=body[:2000],
        link=reverse("tickets:detail", args=[ticket.pk]),
        dedupe_key=f"ticket-event-{event.pk}",
        key_is_new=True,  # the event was written in this step's transaction
        at=event.at,
    )
