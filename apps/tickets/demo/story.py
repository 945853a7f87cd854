"""The demo city's ticket history, told through the real services on a demo clock.

Each ticket walks its own road — 上报 → 立案 → 派遣 → 签收 → 提交 → 核查/销号, with 退回, 返工, 延期, 挂账 and
作废 on the way for some — and every step is a service call by the person the real flow requires: grid workers
and inspectors report, the office files, dispatches and decides, the unit's own staff sign, rectify and ask,
grid workers, inspectors or the office re-check. The clock (apps/calendars/demo_clock.py) puts every step on
working time before now; the services stamp that `now` themselves, and `restamp_tickets` gives the rows whose
timestamps the database sets (created_at, updated_at, uploaded_at) the story's moments once it is told.
"""

from __future__ import annotations

import io
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from PIL import Image

from apps.accounts.models import Role, User
from apps.calendars.demo_clock import DemoClock
from apps.regions.models import GridAssignment, Point, Unit
from apps.tickets.models import (
    EventAction,
    ProblemCategory,
    Ticket,
    TicketEvent,
    TicketPhoto,
    TicketSource,
    TicketStatus,
)
from apps.tickets.services import (
    ticket_accept,
    ticket_create,
    ticket_decide_extension,
    ticket_decide_shelve,
    ticket_dispatch,
    ticket_file,
    ticket_recheck,
    ticket_request_extension,
    ticket_request_shelve,
    ticket_return,
    ticket_submit,
    ticket_void,
)
from apps.tickets.services.escalation import tickets_escalate

S = TicketStatus
SEED = 20261123
# Share of each state in a city that has been running tickets for half a year.
STATE_WEIGHTS = {S.CLOSED: 55, S.IN_PROGRESS: 12, S.DISPATCHED: 6, S.SUBMITTED: 6, S.FILED: 4,
                 S.REPORTED: 5, S.SHELVED: 2, S.VOID: 3}  # fmt: skip
SOURCE_WEIGHTS = {TicketSource.PATROL: 60, TicketSource.INSPECTION: 15, TicketSource.ANFANG: 8,
                  TicketSource.COMPLAINT: 10, TicketSource.MEDIA: 2, TicketSource.LEADER: 2,
                  TicketSource.OFFICE: 3}  # fmt: skip
OPEN = (S.REPORTED, S.FILED, S.DISPATCHED, S.IN_PROGRESS, S.SUBMITTED)
# Open work is recent (the last week, some of it overdue); finished work spreads over half a year.
OPEN_DAYS, FINISHED_DAYS = 5, 120
REWORK_REASONS = (
    "整改后复查仍有垃圾堆积，未清理到位",
    "破损设施只做了临时遮挡，未修复",
    "油污未彻底清洗，地面仍有污渍",
)
RETURN_REASON = "经核实该问题不属于本单位职责范围，请改派{unit}。"
SHELVE_REASONS = (
    "需纳入下一年度财政预算后实施改造",
    "涉及地下管网改造，需待雨季过后施工",
    "产权单位尚未明确，需区政府协调",
)
VOID_REASONS = ("经核实与已有工单重复上报", "现场核实问题不存在，属误报")
EXTENSION_REASON = "需要协调施工队进场，申请延长整改时限"


@dataclass
class Cast:
    """Who plays which part, loaded once: the office, inspectors, grid workers by grid, staff by unit."""

    office: User
    inspector: User
    workers: dict[int, User]
    staff: dict[int, User]
    units_by_type: dict[str, list[Unit]]
    units: list[Unit]
    categories: list[ProblemCategory]
    points: list[Point]

    @classmethod
    def load(cls) -> Cast:
        """Everything from the demo city; ValueError naming the seed to run when something is missing."""
        office = User.objects.filter(role_grants__role=Role.OFFICE, is_active=True).order_by("pk").first()
        inspector = (
            User.objects.filter(role_grants__role=Role.INSPECTOR, is_active=True).order_by("pk").first()
        )
        staff: dict[int, User] = {}
        for user in User.objects.filter(
            role_grants__role=Role.UNIT, unit__is_active=True, is_active=True
        ).order_by("pk"):
            staff.setdefault(user.unit_id, user)  # type: ignore[arg-type]
        users = User.objects.in_bulk([a.worker_id for a in GridAssignment.objects.all()])
        workers: dict[int, User] = {}
        for assignment in GridAssignment.objects.order_by("grid_id", "pk"):
            workers.setdefault(assignment.grid_id, users[assignment.worker_id])
        units = list(Unit.objects.filter(is_active=True, pk__in=staff).order_by("pk"))
        by_type: dict[str, list[Unit]] = {}
        for unit in units:
            by_type.setdefault(unit.type, []).append(unit)
        categories = list(ProblemCategory.objects.active().leaves().select_related("parent").order_by("pk"))
        points = list(
            Point.objects.filter(is_active=True).select_related("grid", "responsible_unit").order_by("pk")
        )
        if office is None or inspector is None or not units or not categories or not points:
            raise ValueError("需要先有演示城市和问题类别：请先运行 seed_demo 和 load_problem_categories。")
        return cls(office, inspector, workers, staff, by_type, units, categories, points)

    def unit_for(self, rng: random.Random, category: ProblemCategory, point: Point) -> Unit:
        """The unit the office would pick: the point's own unit when its type fits, else one of that type."""
        fitting = self.units_by_type.get(category.unit_type) or self.units
        if point.responsible_unit_id in self.staff and point.responsible_unit in fitting:
            return point.responsible_unit  # type: ignore[return-value]
        return rng.choice(fitting)


@dataclass
class Plan:
    """One ticket's road before it is walked: where it ends, when it starts and what happens on the way."""

    status: str
    created: datetime
    category: ProblemCategory
    point: Point
    source: str
    rework: int = 0
    returned: bool = False
    extension: str = ""  # "", "approve", "refuse" or "pending" (the office has yet to decide)
    shelve_pending: bool = False  # asked for 挂账, the office has yet to decide
    late: bool = False


def build_demo_tickets(*, count: int, now: datetime | None = None, seed: int = SEED) -> Counter[str]:
    """Tell `count` tickets through the services, oldest first; returns how many end in each state."""
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
    clock = DemoClock(now)
    cast = Cast.load()
    plans = sorted((_plan(rng, cast, clock) for _ in range(count)), key=lambda plan: plan.created)
    states: Counter[str] = Counter()
    ids: list[int] = []
    with transaction.atomic():
        for plan in plans:
            ticket = _Story(rng, cast, clock, plan).tell()
            states[ticket.status] += 1
            ids.append(ticket.pk)
        settle_demo_tickets(ids, clock)
    return states


def settle_demo_tickets(ids: list[int], clock: DemoClock) -> None:
    """Once a demo's tickets are told: the 15-minute watch runs at the clock's end (warnings, 黄牌, 红牌, each
    with its event), then the rows get the story's timestamps."""
    tickets_escalate(now=clock.end)
    restamp_tickets(ids)


def _plan(rng: random.Random, cast: Cast, clock: DemoClock) -> Plan:
    """Pick a ticket's end state, problem, place and side roads, and a start early enough to get there."""
    status = rng.choices(list(STATE_WEIGHTS), weights=list(STATE_WEIGHTS.values()))[0]
    point = rng.choice(cast.points)
    source = rng.choices(list(SOURCE_WEIGHTS), weights=list(SOURCE_WEIGHTS.values()))[0]
    if source == TicketSource.PATROL and point.grid_id not in cast.workers:
        source = TicketSource.INSPECTION  # nobody patrols that grid; an inspector found it
    plan = Plan(status, clock.end, rng.choice(cast.categories), point, source)
    held = status in (S.DISPATCHED, S.IN_PROGRESS, S.SUBMITTED, S.CLOSED, S.SHELVED)
    plan.returned = held and rng.random() < 0.06
    if status in (S.CLOSED, S.IN_PROGRESS):
        plan.rework = 1 if rng.random() < 0.1 else 0
    if status in (S.IN_PROGRESS, S.SUBMITTED, S.CLOSED) and rng.random() < 0.08:
        plan.extension = "approve" if rng.random() < 0.75 else "refuse"
    # Some running tickets wait on the office's decision, so its approval queue has work in it.
    if status == S.IN_PROGRESS and not plan.rework and not plan.extension:
        roll = rng.random()
        plan.extension = "pending" if roll < 0.12 else ""
        plan.shelve_pending = 0.12 <= roll < 0.2
    plan.late = rng.random() < 0.2
    # Start early enough for the whole road to fit before the clock's end, so steps are not squeezed together.
    days = OPEN_DAYS if status in OPEN else FINISHED_DAYS
    plan.created = clock.back(_span(plan, clock) + rng.randint(0, days * clock.day_minutes()))
    return plan


def _span(plan: Plan, clock: DemoClock) -> int:
    """Roughly how many working minutes the plan's road takes (the time limit counts for rectified ones)."""
    value, unit = plan.category.time_limit or (5, "work_day")
    allowed = value * 60 if unit == "work_hour" else value * clock.day_minutes()
    fixed: dict[str, int] = {S.REPORTED: 0, S.FILED: 120, S.VOID: 400, S.DISPATCHED: 200, S.SHELVED: 1500}
    if plan.status in fixed:
        return fixed[plan.status] + (300 if plan.returned else 0)
    span = int(allowed * (1.4 if plan.late else 0.9)) + 900 + (300 if plan.returned else 0)
    return span + plan.rework * 1500 + (240 if plan.extension else 0)


class _Story:
    """Walks one plan step by step; each step moves the clock on a few working minutes and calls a service."""

    def __init__(self, rng: random.Random, cast: Cast, clock: DemoClock, plan: Plan) -> None:
        self.rng, self.cast, self.clock, self.plan = rng, cast, clock, plan
        self.at = plan.created

    def step(self, low: int, high: int) -> datetime:
        """Move the clock on by low–high working minutes (never past the clock's end)."""
        self.at = self.clock.after(self.at, self.rng.randint(low, high))
        return self.at

    def tell(self) -> Ticket:
        """The whole road, stopping where the plan ends."""
        plan, cast = self.plan, self.cast
        ticket = self._report()
        if plan.status == S.REPORTED:
            return ticket
        if ticket.status == S.REPORTED:
            ticket = ticket_file(ticket=ticket, actor=cast.office, comment="", now=self.step(10, 120))
        if plan.status in (S.FILED, S.VOID):
            if plan.status == S.VOID:
                reason = self.rng.choice(VOID_REASONS)
                ticket = ticket_void(ticket=ticket, actor=cast.office, reason=reason, now=self.step(20, 240))
            return ticket
        unit = cast.unit_for(self.rng, plan.category, plan.point)
        if plan.returned:
            ticket = self._wrong_unit_returns(ticket, unit)
        ticket = ticket_dispatch(ticket=ticket, actor=cast.office, unit=unit, now=self.step(5, 60))
        if plan.status == S.DISPATCHED:
            return ticket
        return self._rectify(ticket, cast.staff[unit.pk])

    def _rectify(self, ticket: Ticket, staff: User) -> Ticket:
        """The unit's part: 签收, perhaps 延期 or 挂账, 提交整改, then 核查 (with any 返工)."""
        plan = self.plan
        ticket = ticket_accept(ticket=ticket, actor=staff, now=self.step(10, 240))
        if plan.extension:
            ticket = self._extension(ticket, staff)
        if plan.status == S.SHELVED:
            return self._shelve(ticket, staff)
        if plan.status == S.IN_PROGRESS and not plan.rework:
            if plan.shelve_pending:
                reason = self.rng.choice(SHELVE_REASONS)
                ticket = ticket_request_shelve(
                    ticket=ticket, actor=staff, reason=reason, now=self.step(60, 900)
                )
            return ticket
        ticket = self._submit(ticket, staff)
        if plan.status == S.IN_PROGRESS:
            return self._recheck(ticket, passed=False)  # 返工: back with the unit, the reason on record
        for _ in range(plan.rework):
            ticket = self._recheck(ticket, passed=False)
            ticket = self._submit(ticket, staff, hurry=True)
        if plan.status == S.SUBMITTED:
            return ticket
        return self._recheck(ticket, passed=True)

    def _report(self) -> Ticket:
        """上报 by whoever found it: the grid's worker on patrol, an inspector, or the office for the rest."""
        plan, cast = self.plan, self.cast
        if plan.source == TicketSource.PATROL:
            actor = cast.workers[plan.point.grid_id]
        elif plan.source in (TicketSource.INSPECTION, TicketSource.ANFANG):
            actor = cast.inspector
        else:
            actor = cast.office  # complaints, media, leaders' instructions: the office registers them
        photos = (
            [_photo(self.rng, "problem")]
            if plan.source != TicketSource.COMPLAINT or self.rng.random() < 0.7
            else []
        )
        return ticket_create(
            actor=actor,
            source=plan.source,
            category=plan.category,
            title=f"{plan.point.name}{plan.category.name}",
            description=f"{plan.point.address or plan.point.name}发现{plan.category.name}，请及时处理。",
            region=plan.point.grid,
            point=plan.point,
            photos=photos,
            now=self.at,
        )

    def _wrong_unit_returns(self, ticket: Ticket, right: Unit) -> Ticket:
        """派遣 to a neighbouring unit first, which 退回s it naming the right one."""
        wrong = self.rng.choice([u for u in self.cast.units if u.pk != right.pk])
        ticket = ticket_dispatch(ticket=ticket, actor=self.cast.office, unit=wrong, now=self.step(5, 60))
        reason = RETURN_REASON.format(unit=right)
        return ticket_return(
            ticket=ticket, actor=self.cast.staff[wrong.pk], reason=reason, now=self.step(20, 180)
        )

    def _extension(self, ticket: Ticket, staff: User) -> Ticket:
        """延期: the unit asks for two more working days; the office approves, refuses or is yet to decide."""
        assert ticket.deadline is not None  # noqa: S101 - dispatched tickets always have one
        until = self.clock.after(ticket.deadline, 2 * self.clock.day_minutes())
        if until <= ticket.deadline:
            return ticket  # the story's end is too close for a later deadline
        ticket = ticket_request_extension(
            ticket=ticket, actor=staff, until=until, reason=EXTENSION_REASON, now=self.step(10, 120)
        )
        if self.plan.extension == "pending":
            return ticket
        approve = self.plan.extension == "approve"
        return ticket_decide_extension(
            ticket=ticket,
            actor=self.cast.office,
            approve=approve,
            comment="同意延期" if approve else "问题简单，请按原时限完成",
            now=self.step(10, 120),
        )

    def _shelve(self, ticket: Ticket, staff: User) -> Ticket:
        """挂账: the unit says why it cannot be fixed now; the office approves."""
        reason = self.rng.choice(SHELVE_REASONS)
        ticket = ticket_request_shelve(ticket=ticket, actor=staff, reason=reason, now=self.step(60, 900))
        return ticket_decide_shelve(
            ticket=ticket,
            actor=self.cast.office,
            approve=True,
            comment="同意挂账，列入台账跟踪",
            now=self.step(30, 240),
        )

    def _submit(self, ticket: Ticket, staff: User, *, hurry: bool = False) -> Ticket:
        """提交整改 with an after-photo, within the time limit or (for some) after it."""
        if hurry:  # after a 返工 the unit fixes what was missed within a working day or two
            self.step(120, 2 * self.clock.day_minutes())
        else:
            allowed = ticket.allowed_minutes or self.clock.day_minutes()
            share = self.rng.uniform(1.05, 1.4) if self.plan.late else self.rng.uniform(0.15, 0.9)
            start = ticket.dispatched_at or self.at
            self.at = max(self.clock.after(start, int(allowed * share)), self.clock.after(self.at, 5))
        return ticket_submit(
            ticket=ticket,
            actor=staff,
            comment="已按要求整改完毕",
            photos=[_photo(self.rng, "fixed")],
            now=self.at,
        )

    def _recheck(self, ticket: Ticket, *, passed: bool) -> Ticket:
        """核查 by the grid's worker (回头看) when there is one, else an inspector; sometimes the office."""
        worker = self.cast.workers.get(self.plan.point.grid_id)
        roll = self.rng.random()
        actor = worker if worker and roll < 0.7 else self.cast.office if roll > 0.9 else self.cast.inspector
        comment = "现场核查已整改到位" if passed else self.rng.choice(REWORK_REASONS)
        photos = [_photo(self.rng, "check")] if self.rng.random() < 0.5 else []
        return ticket_recheck(
            ticket=ticket, actor=actor, passed=passed, comment=comment, photos=photos, now=self.step(30, 600)
        )


def restamp_tickets(ids: list[int]) -> None:
    """Give the story's moments to the timestamps the database set to the wall clock: a ticket was created at
    its 上报, last changed at its latest event, and each photo uploaded with the step it belongs to."""
    events = TicketEvent.objects.filter(ticket=OuterRef("pk"))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        Ticket.objects.filter(pk__in=chunk).update(
            created_at=Subquery(events.filter(action=EventAction.CREATE).values("at")[:1]),
            updated_at=Subquery(
                events.order_by().values("ticket").annotate(last=Max("at")).values("last")[:1]
            ),
        )
        TicketPhoto.objects.filter(ticket_id__in=chunk, event__isnull=False).update(
            uploaded_at=Subquery(TicketEvent.objects.filter(pk=OuterRef("event_id")).values("at")[:1])
        )


def _photo(rng: random.Random, name: str) -> SimpleUploadedFile:
    """A small generated JPEG standing in for a phone photo."""
    colour = (rng.randint(60, 200), rng.randint(60, 200), rng.randint(60, 200))
    out = io.BytesIO()
    Image.new("RGB", (160, 120), colour).save(out, format="JPEG", quality=70)
    return SimpleUploadedFile(f"{name}.jpg", out.getvalue(), "image/jpeg")
