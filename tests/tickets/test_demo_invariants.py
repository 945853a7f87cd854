"""The demo's tickets obey the rules real tickets obey: `make run`'s seeds on a test database, then every
ticket walked: steps in order and on working time, each step by the right person, counts backed by events.

Working time is the calendar's: WORKING_HOURS (08:30–12:00, 13:30–17:30) on working days (调休 included).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from io import StringIO
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.calendars.demo_clock import DemoClock
from apps.calendars.worktime import work_calendar
from apps.regions.models import GridAssignment
from apps.tickets.deadlines import deadline_for
from apps.tickets.models import (
    CLOCK_RUNNING,
    EventAction,
    PhotoKind,
    Supervision,
    Ticket,
    TicketEvent,
    TicketStatus,
)

pytestmark = pytest.mark.django_db

A = EventAction
S = TicketStatus
OFFICE_STEPS = {A.FILE, A.DISPATCH, A.VOID, A.SHELVE_APPROVE, A.SHELVE_REFUSE, A.EXTENSION_APPROVE,
                A.EXTENSION_REFUSE, A.RESUME, A.SUPERVISE}  # fmt: skip
UNIT_STEPS = {A.ACCEPT, A.RETURN, A.SUBMIT, A.SHELVE_REQUEST, A.EXTENSION_REQUEST}
RECHECK_STEPS = {A.PASS, A.REWORK}
# Fields stamped by a step, and the step whose last event must carry the same moment.
STAMPS = (("dispatched_at", A.DISPATCH), ("accepted_at", A.ACCEPT), ("submitted_at", A.SUBMIT),
          ("closed_at", A.PASS), ("paused_at", A.SHELVE_APPROVE))  # fmt: skip


def seed_the_demo(settings: Any, tmp_path: Path) -> datetime:
    """The Makefile's run target, minus migrate and runserver; returns the moment it started."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    started = timezone.now()
    for command, *args in (
        ("seed_demo", "--if-empty"),
        ("seed_demo_campaign",),
        ("load_problem_categories",),
        ("load_check_templates",),
        ("seed_demo_tickets", "--if-empty"),
        ("seed_demo_patrols", "--if-empty"),
    ):
        call_command(command, *args, stdout=StringIO())
    return started


def on_working_time(moment: datetime) -> bool:
    """Inside one of the day's working periods (ends included) on a working day."""
    local = timezone.localtime(moment)
    return any(opens <= local <= closes for opens, closes in work_calendar().spans(local.date()))


class Walk:
    """Collects every broken rule, so one run names them all instead of stopping at the first."""

    def __init__(self) -> None:
        self.broken: Counter[str] = Counter()
        self.examples: dict[str, str] = {}

    def check(self, ok: bool, rule: str, ticket: Ticket) -> None:
        if not ok:
            self.broken[rule] += 1
            self.examples.setdefault(rule, ticket.number)

    def report(self) -> str:
        return "\n".join(
            f"{rule}: {n} 张（如 {self.examples[rule]}）" for rule, n in self.broken.most_common()
        )


def walk_ticket(
    walk: Walk, ticket: Ticket, events: list[TicketEvent], now: datetime, grids: set[tuple], watched: datetime
) -> None:
    """Every rule for one ticket and its timeline (events in the order they were written)."""
    walk.check(bool(events) and events[0].action == A.CREATE, "第一条记录不是上报", ticket)
    if not events:
        return
    walk.check(events[0].at == ticket.created_at, "上报时间与工单创建时间不一致", ticket)
    walk.check(events[0].actor_id == ticket.reporter_id, "上报记录的操作人不是上报人", ticket)
    moments = [e.at for e in events]
    walk.check(moments == sorted(moments), "记录时间先后颠倒", ticket)
    walk.check(all(m <= now for m in moments), "记录时间晚于现在", ticket)
    walk.check(all(on_working_time(m) for m in moments), "记录时间不在工作时间", ticket)
    moves = [e for e in events if e.to_status]
    walk.check(all(a.to_status == b.from_status for a, b in pairwise(moves)),
               "状态变化前后不衔接", ticket)  # fmt: skip
    walk.check(moves[-1].to_status == ticket.status, "最后一条状态记录与工单状态不符", ticket)
    for field, action in STAMPS:
        stamp = getattr(ticket, field)
        last = [e.at for e in events if e.action == action]
        if stamp is not None:
            walk.check(bool(last) and last[-1] == stamp, f"{field} 没有对应的记录", ticket)
    for event in events:
        walk_actor(walk, ticket, event, grids)
    stamps = [
        ticket.created_at,
        ticket.dispatched_at,
        ticket.accepted_at,
        ticket.submitted_at,
        ticket.closed_at,
    ]
    given = [stamp for stamp in stamps if stamp is not None]
    walk.check(given == sorted(given), "上报、派遣、签收、提交、销号时间先后颠倒", ticket)
    count = Counter(e.action for e in events)
    if ticket.dispatched_at and not count[A.EXTENSION_APPROVE] + count[A.RESUME]:
        expected = deadline_for(ticket.category, ticket.dispatched_at)[0]
        walk.check(ticket.deadline == expected, "整改时限不是按工作日历从派遣时间算出的", ticket)
    if ticket.status in CLOCK_RUNNING and ticket.deadline and ticket.deadline < watched:
        walk.check(ticket.supervision >= Supervision.YELLOW, "已超期却没有升级督办", ticket)
    walk.check(ticket.rework_count == count[A.REWORK], "返工次数与返工记录数不符", ticket)
    walk.check(ticket.return_count == count[A.RETURN], "退单次数与退回记录数不符", ticket)
    if ticket.status == S.SHELVED:
        walk.check(bool(ticket.shelve_reason.strip()), "挂账没有理由", ticket)
        walk.check(
            count[A.SHELVE_REQUEST] >= 1 and count[A.SHELVE_APPROVE] >= 1, "挂账没有申请和批准记录", ticket
        )
    if ticket.shelve_requested:
        walk.check(
            bool(ticket.shelve_reason.strip()) and count[A.SHELVE_REQUEST] >= 1,
            "待审批的挂账没有理由或申请记录",
            ticket,
        )
    if ticket.extension_until:
        walk.check(
            bool(ticket.extension_reason.strip()) and count[A.EXTENSION_REQUEST] >= 1,
            "待审批的延期没有理由或申请记录",
            ticket,
        )
    if ticket.supervision:
        raised = count[A.ESCALATE] + count[A.SUPERVISE] + count[A.RECURRENCE]
        walk.check(raised >= 1, "督办级别没有升级记录", ticket)
    if ticket.status in (S.IN_PROGRESS, S.SUBMITTED, S.CLOSED, S.SHELVED):
        walk.check(ticket.assignee is not None and ticket.assignee.unit_id == ticket.responsible_unit_id,
                   "经办人不是承办单位的人员", ticket)  # fmt: skip


def walk_actor(walk: Walk, ticket: Ticket, event: TicketEvent, grids: set[tuple]) -> None:
    """The person behind each step: the office files and decides, the unit's staff act, others re-check."""
    actor = event.actor
    if event.action in OFFICE_STEPS:
        walk.check(
            actor is None or actor.manages_everything, f"{event.get_action_display()}不是创卫办", ticket
        )
    elif event.action in UNIT_STEPS:
        ok = actor is not None and actor.has_role(Role.UNIT) and actor.unit_id == event.unit_id
        walk.check(
            ok and not actor.manages_everything, f"{event.get_action_display()}不是承办单位人员", ticket
        )
    elif event.action in RECHECK_STEPS:
        ok = actor is not None and (
            actor.manages_everything
            or actor.has_role(Role.INSPECTOR)
            or (
                actor.has_role(Role.GRID_WORKER)
                and (actor.pk, ticket.point and ticket.point.grid_id) in grids
            )
        )
        walk.check(ok and actor.unit_id != event.unit_id, "核查人不是创卫办、督查员或本网格网格员", ticket)


def test_every_demo_ticket_tells_a_coherent_story(settings: Any, tmp_path: Path) -> None:
    started = seed_the_demo(settings, tmp_path)
    now = timezone.now()
    grids = set(GridAssignment.objects.values_list("worker_id", "grid_id"))
    tickets = list(
        Ticket.objects.select_related("point", "assignee", "category__parent")
        .prefetch_related("photos")
        .order_by("pk")
    )
    users = User.objects.in_bulk()
    events: dict[int, list[TicketEvent]] = {}
    for event in TicketEvent.objects.order_by("pk"):
        event.actor = users.get(event.actor_id)  # type: ignore[assignment]
        events.setdefault(event.ticket_id, []).append(event)
    assert len(tickets) >= 100
    walk = Walk()
    for ticket in tickets:
        # The overdue watch ran at the seed's last working moment; anything overdue by then was raised.
        walk_ticket(walk, ticket, events.get(ticket.pk, []), now, grids, DemoClock(started).end)
    assert not walk.broken, "演示工单违反规则：\n" + walk.report()

    # Before/after photos on most rectified tickets.
    rectified = [t for t in tickets if t.status in (S.SUBMITTED, S.CLOSED)]
    both = [t for t in rectified if {PhotoKind.BEFORE, PhotoKind.AFTER} <= {p.kind for p in t.photos.all()}]
    assert len(both) >= 0.8 * len(rectified) > 0
    photos = [p for t in tickets for p in t.photos.all()]
    assert all(on_working_time(p.uploaded_at) and p.uploaded_at <= now for p in photos), (
        "照片上传时间不在工作时间"
    )
    # Every state and the side roads of the flow are in the story.
    assert {t.status for t in tickets} == set(S.values)
    actions = {e.action for timeline in events.values() for e in timeline}
    assert {
        A.REWORK,
        A.RETURN,
        A.SHELVE_APPROVE,
        A.EXTENSION_APPROVE,
        A.EXTENSION_REFUSE,
        A.ESCALATE,
    } <= actions
    # The office's approval queue has work in it.
    assert any(t.shelve_requested for t in tickets)
    assert any(t.extension_until for t in tickets)
    assert started <= now
