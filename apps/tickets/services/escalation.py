"""The periodic deadline watch: a warning at 80 % of the allowed working time, 黄牌 once overdue, 红牌 once
overdue by the allowed time again. Supervision only ever goes up; 挂牌督办 and shelved (挂账) tickets are
left alone.

Who is told: the responsible unit's active staff accounts (role 责任单位, that unit). A unit's 负责人 and
联络员 are only names and phone numbers on the Unit, not accounts, so they get no in-app notification;
they hear of it through their unit's staff.

Safe to run twice at once and to retry: every change is a conditional UPDATE (only if the ticket is still
as it was read), its event and notification are written in the same transaction, and notifications carry a
dedupe key per ticket and level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.calendars.worktime import ONE_MINUTE, work_calendar
from apps.core.numbers import forget_numbers, namespace_of
from apps.notifications.services import notify
from apps.tickets.models import CLOCK_RUNNING, EventAction, Supervision, Ticket
from apps.tickets.services.records import record

# Warn once four fifths of the allowed time are used, i.e. when left * 5 <= allowed (integers, no rounding).
WARN_PARTS = 5
FIELDS = ("number", "title", "deadline", "allowed_minutes", "dispatched_at", "supervision", "warned_at")


@dataclass
class EscalationResult:
    """What one run did: ids of the tickets warned and raised, and how many candidates it looked at."""

    checked: int = 0
    warned: list[int] = field(default_factory=list)
    yellow: list[int] = field(default_factory=list)
    red: list[int] = field(default_factory=list)
    notifications: int = 0


def tickets_escalate(*, now: datetime | None = None) -> EscalationResult:
    """Warn tickets near their deadline, raise overdue ones to 黄牌 / 红牌; one transaction per change."""
    watch = _Watch(now or timezone.now())
    for ticket in _candidates(watch.now).iterator(chunk_size=1000):
        watch.check(ticket)
    return watch.result


def _candidates(now: datetime) -> QuerySet[Ticket]:
    """Running tickets overdue below 红牌, or not yet due and not yet warned: SQL does the sieving."""
    overdue = Q(deadline__lt=now, supervision__lt=Supervision.RED)
    not_yet_warned = Q(deadline__gte=now, warned_at__isnull=True)
    return (
        Ticket.objects.filter(status__in=CLOCK_RUNNING, deadline__isnull=False, allowed_minutes__gt=0)
        .filter(overdue | not_yet_warned)
        .select_related("responsible_unit")
        .only(*FIELDS, "responsible_unit__id", "responsible_unit__name")
        .order_by("pk")
    )


class _Watch:
    """One run: its time, one calendar snapshot, unit staff looked up so far, and the tally."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.calendar = work_calendar()  # one snapshot, not a cache round trip per ticket
        self.result = EscalationResult()
        self.staff: dict[int, list[User]] = {}

    def check(self, ticket: Ticket) -> None:
        """Act on one candidate; the cheap wall-clock tests come before any calendar arithmetic."""
        self.result.checked += 1
        if ticket.deadline is None or not ticket.allowed_minutes:
            return
        if ticket.deadline < self.now:
            self._check_overdue(ticket, ticket.deadline, ticket.allowed_minutes)
        else:
            self._check_due_soon(ticket, ticket.deadline, ticket.allowed_minutes)

    def _check_due_soon(self, ticket: Ticket, deadline: datetime, allowed: int) -> None:
        """Warn when at most a fifth of the allowed working time is left."""
        # Working time never outruns the clock: too little wall time since dispatch, too little work used.
        since = self.now - ticket.dispatched_at if ticket.dispatched_at else None
        if since is not None and since * WARN_PARTS < allowed * (WARN_PARTS - 1) * ONE_MINUTE:
            return
        left = self.calendar.between(self.now, deadline) // ONE_MINUTE
        if left * WARN_PARTS <= allowed and self._warn(ticket, deadline, left):
            self.result.warned.append(ticket.pk)

    def _check_overdue(self, ticket: Ticket, deadline: datetime, allowed: int) -> None:
        """黄牌 once overdue; 红牌 once the working time past the deadline reaches the allowed time."""
        if ticket.supervision >= Supervision.YELLOW and self.now - deadline < allowed * ONE_MINUTE:
            return  # 黄牌 already, and even counting every minute as worked, not late enough for 红牌
        overdue = self.calendar.between(deadline, self.now) // ONE_MINUTE
        level = Supervision.RED if overdue >= allowed else Supervision.YELLOW
        if level > ticket.supervision and self._raise(ticket, level, overdue):
            (self.result.red if level == Supervision.RED else self.result.yellow).append(ticket.pk)

    @transaction.atomic
    def _warn(self, ticket: Ticket, deadline: datetime, left: int) -> bool:
        """Mark the ticket warned unless another run already did; record it and tell the unit."""
        marked = Ticket.objects.filter(_unchanged(ticket), warned_at__isnull=True)
        if not marked.update(warned_at=self.now, updated_at=self.now):
            return False
        local = timezone.localtime(deadline)
        text = f"处置时限已用去八成，将于 {local:%Y-%m-%d %H:%M} 到期，剩余工作时间约 {_duration(left)}。"
        record(ticket, None, EventAction.WARN, at=self.now, unit=ticket.responsible_unit, comment=text)
        # The deadline is part of the key: an approved extension or a resume resets warned_at and earns a
        # fresh warning for the new deadline, while a retry for the same deadline is still deduplicated.
        key = f"ticket-{ticket.pk}-warn-{local:%Y%m%d%H%M}"
        self._tell_unit(ticket, "ticket_due_soon", f"工单即将超期：{ticket.number}", text, key)
        return True

    @transaction.atomic
    def _raise(self, ticket: Ticket, level: Supervision, overdue: int) -> bool:
        """Raise supervision unless it is already that high (another run, a leader); record, tell the unit."""
        raised = Ticket.objects.filter(_unchanged(ticket), supervision__lt=level)
        if not raised.update(supervision=level, updated_at=self.now):
            return False
        # An update() sends no signal; the overdue counts by level changed.
        forget_numbers(namespace_of(Ticket))
        before = Supervision(ticket.supervision).label
        ticket.supervision = level
        deadline = f"{timezone.localtime(ticket.deadline):%Y-%m-%d %H:%M}"
        if level == Supervision.RED:
            allowed = _duration(ticket.allowed_minutes or 0)
            why = f"整改时限（{deadline}）已过 {_duration(overdue)}（按工作时间计），不少于处置时限 {allowed}"
        else:
            why = f"已超过整改时限（{deadline}）"
        text = f"{why}，系统将督办由{before}升为{level.label}。"
        record(ticket, None, EventAction.ESCALATE, at=self.now, unit=ticket.responsible_unit, comment=text)
        name = "red" if level == Supervision.RED else "yellow"
        title = f"工单超期{level.label}督办：{ticket.number}"
        self._tell_unit(ticket, f"ticket_{name}", title, text, f"ticket-{ticket.pk}-{name}")
        return True

    def _tell_unit(self, ticket: Ticket, kind: str, title: str, text: str, key: str) -> None:
        """Notify the responsible unit's active staff accounts (looked up once per unit per run)."""
        unit_id = ticket.responsible_unit_id
        if unit_id is None:
            return
        if unit_id not in self.staff:
            accounts = User.objects.filter(unit_id=unit_id, role_grants__role=Role.UNIT, is_active=True)
            self.staff[unit_id] = list(accounts.distinct())
        self.result.notifications += notify(
            recipients=self.staff[unit_id],
            kind=kind,
            title=title,
            body=f"{ticket.title}：{text}",
            link=reverse("tickets:detail", args=[ticket.pk]),
            dedupe_key=key,
        )


def _unchanged(ticket: Ticket) -> Q:
    """The ticket is still as it was read: held by the unit, with the same deadline."""
    return Q(pk=ticket.pk, status__in=CLOCK_RUNNING, deadline=ticket.deadline)


def _duration(minutes: int) -> str:
    """Working minutes for people: 「48 分钟」, 「1.5 小时」, 「4 小时」."""
    if minutes < 60:
        return f"{minutes} 分钟"
    return f"{minutes / 60:.1f}".removesuffix(".0") + " 小时"
