"""Ticket deadlines on the working calendar: set at dispatch, shifted after 挂账, measured for escalation."""

from __future__ import annotations

from datetime import datetime

from apps.calendars.worktime import add_work_time, deadline_after, work_minutes_between
from apps.tickets.models import ProblemCategory, Ticket

# When a category has no time limit at all, the unit gets five working days (the common 诉求件 limit is ten;
# five keeps 创卫 problems moving). The office can always set an explicit deadline at dispatch.
FALLBACK_LIMIT = (5, "work_day")


def deadline_for(category: ProblemCategory, start: datetime) -> tuple[datetime, int]:
    """The deadline from the category's time limit, and the working minutes it allows."""
    value, unit = category.time_limit or FALLBACK_LIMIT
    deadline = deadline_after(start, value, unit)
    return deadline, max(work_minutes_between(start, deadline), 1)


def allowed_until(start: datetime, deadline: datetime) -> int:
    """Working minutes between dispatch and an explicitly chosen deadline (at least one)."""
    return max(work_minutes_between(start, deadline), 1)


def shifted_after_pause(deadline: datetime, paused_at: datetime, resumed_at: datetime) -> datetime:
    """The deadline moved on by the working time spent shelved (挂账): the pause is not charged."""
    remaining = work_minutes_between(paused_at, deadline)
    return add_work_time(resumed_at, remaining) if remaining > 0 else resumed_at


def handling_minutes(ticket: Ticket) -> int | None:
    """Working minutes from the last dispatch to the accepted submission; None if either is unknown."""
    if ticket.dispatched_at is None or ticket.submitted_at is None:
        return None
    return work_minutes_between(ticket.dispatched_at, ticket.submitted_at)
