"""What the ticket pages share: the visible ticket or 404, durations as text, who may report."""

from __future__ import annotations

from datetime import timedelta

from django.shortcuts import get_object_or_404

from apps.accounts.http import AuthenticatedRequest
from apps.accounts.models import User
from apps.tickets.forms import reportable_regions
from apps.tickets.models import Ticket


def visible_ticket(request: AuthenticatedRequest, pk: int) -> Ticket:
    """The ticket with what its pages show alongside, if the user can see it; else 404."""
    tickets = Ticket.objects.visible_to(request.user).select_related(
        "category__parent",
        "region",
        "point__grid",
        "responsible_unit",
        "assignee",
        "reporter",
        "recurrence_of",
    )
    return get_object_or_404(tickets, pk=pk)


def duration_text(delta: timedelta) -> str:
    """A duration for people: 「2天3小时」, 「3小时20分钟」, 「45分钟」."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{minutes}分钟" if minutes else f"{hours}小时"
    return f"{minutes}分钟"


def may_report(user: User) -> bool:
    """True when there is at least one region the user may report a problem in."""
    return reportable_regions(user).exists()
