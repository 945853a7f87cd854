"""Benchmark tickets: many tickets in every state, written in bulk (`seed_demo_tickets --no-events`).

The services are the only way real tickets change; this module writes rows directly because a benchmark needs
200,000 of them in about a minute. The rows keep numbers per day and deadlines on the working calendar, but
not the demo's story (times on working hours, each step by its own actor, photos): the demo city's tickets are
told through the services by apps/tickets/demo/story.py.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.calendars.worktime import work_minutes_between
from apps.regions.models import Point, Unit
from apps.tickets.deadlines import deadline_for, handling_minutes
from apps.tickets.models import (
    EventAction,
    ProblemCategory,
    Supervision,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketSource,
    TicketStatus,
)

S = TicketStatus
BATCH = 5000
# Share of each state in a city that has been running tickets for half a year.
STATE_WEIGHTS = {
    S.CLOSED: 55,
    S.IN_PROGRESS: 12,
    S.DISPATCHED: 6,
    S.SUBMITTED: 6,
    S.FILED: 4,
    S.REPORTED: 5,
    S.SHELVED: 2,
    S.VOID: 3,
}
SOURCE_WEIGHTS = {TicketSource.PATROL: 60, TicketSource.INSPECTION: 15, TicketSource.ANFANG: 8,
                  TicketSource.COMPLAINT: 10, TicketSource.MEDIA: 2, TicketSource.LEADER: 2,
                  TicketSource.OFFICE: 3}  # fmt: skip
OPEN_RECENT = (S.REPORTED, S.FILED, S.DISPATCHED, S.IN_PROGRESS, S.SUBMITTED)
HELD = (S.DISPATCHED, S.IN_PROGRESS, S.SUBMITTED, S.CLOSED, S.SHELVED)


@dataclass
class Pools:
    """What generated tickets draw from."""

    categories: list[ProblemCategory]
    points: list[Point]
    units_by_type: dict[str, list[Unit]]
    all_units: list[Unit]
    office: User | None


@contextmanager
def _explicit_timestamps() -> Iterator[None]:
    """Let bulk_create keep the generated created_at (auto_now_add would overwrite it with now)."""
    field = Ticket._meta.get_field("created_at")
    field.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        field.auto_now_add = True  # type: ignore[attr-defined]


def _pools() -> Pools:
    """Load categories, points, units and the office account once."""
    units = list(Unit.objects.filter(is_active=True))
    by_type: dict[str, list[Unit]] = {}
    for unit in units:
        by_type.setdefault(unit.type, []).append(unit)
    categories = list(ProblemCategory.objects.active().leaves().select_related("parent"))
    points = list(Point.objects.filter(is_active=True).select_related("grid"))
    office = User.objects.filter(role_grants__role=Role.OFFICE).order_by("pk").first()
    return Pools(categories, points, by_type, units, office)


def build_bench_tickets(
    *, count: int, now: datetime | None = None, seed: int = 20261123, events: bool = True
) -> Counter[str]:
    """Write `count` tickets (and their events unless `events` is False); returns how many per state."""
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
    pools = _pools()
    if not pools.categories or not pools.points or not pools.all_units:
        raise ValueError("需要先有问题类别、点位和责任单位：请先运行 seed_demo 和 load_problem_categories。")
    counters: Counter[str] = Counter(dict(TicketCounter.objects.values_list("day", "last")))  # type: ignore[arg-type]
    states: Counter[str] = Counter()
    with _explicit_timestamps():
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            with transaction.atomic():
                tickets = [_ticket(rng, pools, now, counters) for _ in range(size)]
                Ticket.objects.bulk_create(tickets, batch_size=BATCH)
                if events:
                    TicketEvent.objects.bulk_create(
                        [e for t in tickets for e in _events(t, pools.office)], batch_size=BATCH
                    )
            states.update(t.status for t in tickets)
    _save_counters(counters)
    _analyze()
    return states


def _analyze() -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load, as autovacuum would only later."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tickets_ticket, tickets_ticketevent")


def _ticket(rng: random.Random, pools: Pools, now: datetime, counters: Counter[str]) -> Ticket:
    """One ticket with a consistent state, dates and deadline."""
    category = rng.choice(pools.categories)
    point = rng.choice(pools.points)
    status = rng.choices(list(STATE_WEIGHTS), weights=list(STATE_WEIGHTS.values()))[0]
    source = rng.choices(list(SOURCE_WEIGHTS), weights=list(SOURCE_WEIGHTS.values()))[0]
    # Open work is recent (a few days, some of it overdue); finished work spreads over half a year.
    days = 7 if status in OPEN_RECENT else 180
    created = now - timedelta(minutes=rng.randint(60, days * 24 * 60))
    day = timezone.localdate(created)
    counters[day] += 1  # type: ignore[index]
    ticket = Ticket(
        number=f"ZG-{day:%Y%m%d}-{counters[day]:04d}",  # type: ignore[index]
        source=source,
        category=category,
        title=f"{point.name}{category.name}",
        description=f"{point.address or point.name}发现{category.name}，请及时处理。",
        region=point.grid,
        point=point,
        lat=point.lat,
        lng=point.lng,
        status=status,
        created_at=created,
    )
    if status in HELD:
        _hold(ticket, rng, pools, now)
    return ticket


def _hold(ticket: Ticket, rng: random.Random, pools: Pools, now: datetime) -> None:
    """Dispatch the ticket to a unit and move its dates along to its state."""
    unit_type = ticket.category.unit_type
    ticket.responsible_unit = rng.choice(pools.units_by_type.get(unit_type) or pools.all_units)
    ticket.dispatched_at = ticket.created_at + timedelta(minutes=rng.randint(10, 240))
    ticket.deadline, ticket.allowed_minutes = deadline_for(ticket.category, ticket.dispatched_at)
    _supervise(ticket, now)
    if ticket.status == S.DISPATCHED:
        return
    ticket.accepted_at = ticket.dispatched_at + timedelta(minutes=rng.randint(5, 120))
    if ticket.status in (S.SUBMITTED, S.CLOSED):
        late = rng.random() < 0.2
        span = ticket.deadline - ticket.dispatched_at
        ticket.submitted_at = min(
            ticket.dispatched_at + span * (1.3 if late else rng.uniform(0.2, 0.95)), now
        )
    if ticket.status == S.CLOSED and ticket.submitted_at:
        ticket.closed_at = min(ticket.submitted_at + timedelta(hours=rng.randint(1, 30)), now)
        ticket.closed_on_time = ticket.submitted_at <= ticket.deadline
        ticket.handling_minutes = handling_minutes(ticket)
        ticket.rework_count = 1 if rng.random() < 0.08 else 0
    if ticket.status == S.SHELVED:
        ticket.paused_at = ticket.accepted_at + timedelta(hours=rng.randint(1, 48))


def _supervise(ticket: Ticket, now: datetime) -> None:
    """Held past the deadline: the level the 15-minute watch would have raised it to by now."""
    if ticket.status in (S.DISPATCHED, S.IN_PROGRESS) and ticket.deadline and ticket.deadline < now:
        overdue = work_minutes_between(ticket.deadline, now)
        allowed = ticket.allowed_minutes or 1
        ticket.supervision = Supervision.RED if overdue >= allowed else Supervision.YELLOW


def _events(ticket: Ticket, office: User | None) -> list[TicketEvent]:
    """The timeline that leads to the ticket's state."""
    steps: list[tuple[str, datetime | None, str, str]] = [
        (EventAction.CREATE, ticket.created_at, "", S.REPORTED)
    ]
    if ticket.status != S.REPORTED:
        steps.append((EventAction.FILE, ticket.created_at + timedelta(minutes=5), S.REPORTED, S.FILED))
    if ticket.dispatched_at:
        steps.append((EventAction.DISPATCH, ticket.dispatched_at, S.FILED, S.DISPATCHED))
    if ticket.accepted_at:
        steps.append((EventAction.ACCEPT, ticket.accepted_at, S.DISPATCHED, S.IN_PROGRESS))
    if ticket.paused_at:
        steps.append((EventAction.SHELVE_APPROVE, ticket.paused_at, S.IN_PROGRESS, S.SHELVED))
    if ticket.submitted_at:
        steps.append((EventAction.SUBMIT, ticket.submitted_at, S.IN_PROGRESS, S.SUBMITTED))
    if ticket.closed_at:
        steps.append((EventAction.PASS, ticket.closed_at, S.SUBMITTED, S.CLOSED))
    if ticket.status == S.VOID:
        steps.append((EventAction.VOID, ticket.created_at + timedelta(hours=2), S.FILED, S.VOID))
    return [
        TicketEvent(ticket=ticket, actor=office, at=at, action=action, from_status=before, to_status=after,
                    unit=ticket.responsible_unit if action != EventAction.CREATE else None)
        for action, at, before, after in steps
        if at is not None
    ]  # fmt: skip


def _save_counters(counters: Counter[str]) -> None:
    """Keep the per-day counters ahead of the generated numbers, so real tickets never collide."""
    for day, last in counters.items():
        TicketCounter.objects.update_or_create(day=day, defaults={"last": last})
