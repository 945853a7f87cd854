"""Every step of a ticket's life after it is opened; each checks who may act and from which state.

An illegal step (wrong state or wrong person) changes nothing and says why in Chinese: DomainError for the
state, PermissionDenied for the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.dates import DEADLINE_HORIZON
from apps.core.exceptions import DomainError
from apps.regions.models import Unit
from apps.tickets.deadlines import allowed_until, deadline_for, handling_minutes, shifted_after_pause
from apps.tickets.handoffs import tell_office, tell_recheckers, tell_unit
from apps.tickets.models import EventAction, PhotoKind, Supervision, Ticket, TicketEvent, TicketStatus
from apps.tickets.permissions import can_recheck, can_supervise, is_handler, is_office
from apps.tickets.services.records import add_photos, check_photos, record

S = TicketStatus
OFFICE_ONLY = "只有创卫办可以执行此操作。"
HANDLER_ONLY = "只有承办该工单的责任单位可以执行此操作。"


def _lock(ticket: Ticket) -> Ticket:
    """Re-read the ticket under a row lock, so two clicks cannot both move it."""
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("category__parent", "region", "point")
        .get(pk=ticket.pk)
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _expect(ticket: Ticket, *states: str, doing: str) -> None:
    """Refuse a step the ticket's state does not allow, naming the state."""
    if ticket.status not in states:
        allowed = "、".join(S(s).label for s in states)
        raise DomainError(f"工单当前为「{ticket.get_status_display()}」，不能{doing}（仅限{allowed}）。")


def _reason(text: str, what: str, *, field: str = "reason") -> str:
    """A required reason, trimmed; a blank one is refused under the input field it came from."""
    if not text.strip():
        raise ValidationError({field: f"请填写{what}。"})
    return text.strip()


def _within_horizon(moment: datetime, now: datetime, *, field: str, what: str) -> None:
    """A deadline no further ahead than the horizon: beyond it working-time arithmetic has no meaning."""
    if moment > now + DEADLINE_HORIZON:
        raise ValidationError({field: f"{what}不能晚于两年以后（{now + DEADLINE_HORIZON:%Y-%m-%d}）。"})


def _move(
    ticket: Ticket, actor: User | None, action: str, to: str, *, now: datetime, **kwargs: object
) -> TicketEvent:
    """Change the status and write the event."""
    before = ticket.status
    ticket.status = to
    ticket.save()
    return record(ticket, actor, action, at=now, from_status=before, to_status=to, **kwargs)  # type: ignore[arg-type]


@transaction.atomic
def ticket_file(*, ticket: Ticket, actor: User, comment: str = "", now: datetime | None = None) -> Ticket:
    """立案: the office accepts a reported problem as a case."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    _require(is_office(actor), OFFICE_ONLY)
    _expect(ticket, S.REPORTED, doing="立案")
    _move(ticket, actor, EventAction.FILE, S.FILED, now=now, comment=comment)
    return ticket


@transaction.atomic
def ticket_dispatch(
    *,
    ticket: Ticket,
    actor: User,
    unit: Unit,
    deadline: datetime | None = None,
    comment: str = "",
    now: datetime | None = None,
) -> Ticket:
    """派遣 to a unit; the clock starts now, with the category's time limit unless a deadline is given."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    _require(is_office(actor), OFFICE_ONLY)
    _expect(ticket, S.REPORTED, S.FILED, doing="派遣")
    _dispatch(ticket, actor, unit, deadline=deadline, comment=comment, now=now)
    return ticket


def _dispatch(
    ticket: Ticket,
    actor: User | None,
    unit: Unit,
    *,
    deadline: datetime | None,
    comment: str,
    now: datetime,
) -> None:
    """Send a locked ticket to a unit and start its clock."""
    text = dispatch_terms(ticket, unit, deadline=deadline, comment=comment, now=now)
    event = _move(ticket, actor, EventAction.DISPATCH, S.DISPATCHED, now=now, unit=unit, comment=text)
    tell_unit(ticket, event, "新派遣工单，请签收")


def dispatch_terms(
    ticket: Ticket, unit: Unit, *, deadline: datetime | None, comment: str, now: datetime
) -> str:
    """Check a dispatch and set its unit, deadline and clock on the ticket (not saved); the event's text."""
    if not unit.is_active:
        raise ValidationError({"unit": f"{unit} 已停用，不能接收工单。"})
    if deadline is not None and deadline <= now:
        raise ValidationError({"deadline": "整改时限须晚于现在。"})
    if deadline is not None:
        _within_horizon(deadline, now, field="deadline", what="整改时限")
    if deadline is None:
        deadline, allowed = deadline_for(ticket.category, now)
    else:
        allowed = allowed_until(now, deadline)
    ticket.responsible_unit = unit
    ticket.assignee = None
    ticket.deadline, ticket.allowed_minutes, ticket.dispatched_at = deadline, allowed, now
    ticket.accepted_at = ticket.warned_at = None
    return f"派遣至 {unit}，整改时限 {timezone.localtime(deadline):%Y-%m-%d %H:%M}" + (
        f"。{comment}" if comment else ""
    )


@transaction.atomic
def ticket_accept(*, ticket: Ticket, actor: User, now: datetime | None = None) -> Ticket:
    """签收: the unit takes the ticket on; the person who signs becomes its 经办人."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    _require(is_handler(actor, ticket), HANDLER_ONLY)
    _expect(ticket, S.DISPATCHED, doing="签收")
    ticket.assignee, ticket.accepted_at = actor, now
    _move(ticket, actor, EventAction.ACCEPT, S.IN_PROGRESS, now=now, unit=ticket.responsible_unit)
    return ticket


@transaction.atomic
def tickets_accept(*, tickets: Sequence[Ticket], actor: User, now: datetime | None = None) -> list[Ticket]:
    """签收 several tickets at once: all of them or, if one cannot be signed, none (its number says which)."""
    now = now or timezone.now()
    signed = []
    for ticket in tickets:
        try:
            signed.append(ticket_accept(ticket=ticket, actor=actor, now=now))
        except DomainError as exc:
            raise DomainError(f"{ticket.number}：{exc.message}") from exc
        except PermissionDenied as exc:
            raise PermissionDenied(f"{ticket.number}：{exc}") from exc
    return signed


@transaction.atomic
def ticket_return(*, ticket: Ticket, actor: User, reason: str, now: datetime | None = None) -> Ticket:
    """退回 (退单): not the unit's problem; back to the office to re-route, and counted against the unit."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    _require(is_handler(actor, ticket), HANDLER_ONLY)
    _expect(ticket, S.DISPATCHED, S.IN_PROGRESS, doing="退回")
    reason = _reason(reason, "退回理由（为什么不属于本单位）")
    unit = ticket.responsible_unit
    ticket.return_count += 1
    ticket.responsible_unit = ticket.assignee = None
    ticket.deadline = ticket.allowed_minutes = ticket.dispatched_at = ticket.accepted_at = None
    ticket.extension_until, ticket.extension_reason, ticket.shelve_requested = None, "", False
    event = _move(ticket, actor, EventAction.RETURN, S.FILED, now=now, unit=unit, comment=reason)
    tell_office(ticket, event, f"{unit} 退回工单，请重新派遣")
    return ticket


@transaction.atomic
def ticket_submit(
    *, ticket: Ticket, actor: User, comment: str, photos: Sequence[UploadedFile], now: datetime | None = None
) -> Ticket:
    """提交整改 (处理反馈): the unit reports the fix with at least one after-photo; it waits for 核查."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    _require(is_handler(actor, ticket), HANDLER_ONLY)
    _expect(ticket, S.IN_PROGRESS, doing="提交整改")
    if not photos:
        raise ValidationError({"photos": "请上传至少一张整改后照片。"})
    cleaned = check_photos(photos)
    ticket.submitted_at = now
    ticket.extension_until, ticket.extension_reason, ticket.shelve_requested = None, "", False
    event = _move(
        ticket, actor, EventAction.SUBMIT, S.SUBMITTED, now=now, unit=ticket.responsible_unit, comment=comment
    )
    add_photos(ticket, event, cleaned, kind=PhotoKind.AFTER, actor=actor)
    tell_recheckers(ticket, event, "整改已提交，请核查")
    return ticket


@transaction.atomic
def ticket_recheck(
    *,
    ticket: Ticket,
    actor: User,
    passed: bool,
    comment: str = "",
    photos: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> Ticket:
    """核查: pass → 已销号; fail → 返工, back to 整改中 with the reason. Never by the handling unit itself."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    _require(
        can_recheck(actor, ticket), "只有创卫办、督查员或该网格的网格员可以核查，且不能由承办单位自己核查。"
    )
    _expect(ticket, S.SUBMITTED, doing="核查")
    cleaned = check_photos(photos)
    if passed:
        ticket.closed_at = now
        ticket.closed_on_time = bool(
            ticket.deadline and ticket.submitted_at and ticket.submitted_at <= ticket.deadline
        )
        ticket.handling_minutes = handling_minutes(ticket)
        event = _move(
            ticket, actor, EventAction.PASS, S.CLOSED, now=now, unit=ticket.responsible_unit, comment=comment
        )
    else:
        reason = _reason(comment, "返工原因（哪里没有整改到位）", field="comment")
        ticket.rework_count += 1
        ticket.submitted_at = None
        event = _move(
            ticket,
            actor,
            EventAction.REWORK,
            S.IN_PROGRESS,
            now=now,
            unit=ticket.responsible_unit,
            comment=reason,
        )
        tell_unit(ticket, event, "核查未通过，请返工")
    add_photos(ticket, event, cleaned, kind=PhotoKind.CHECK, actor=actor)
    return ticket


@transaction.atomic
def ticket_request_extension(
    *, ticket: Ticket, actor: User, until: datetime, reason: str, now: datetime | None = None
) -> Ticket:
    """延期申请: the unit asks for a later deadline with a reason; the office decides."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    _require(is_handler(actor, ticket), HANDLER_ONLY)
    _expect(ticket, S.DISPATCHED, S.IN_PROGRESS, doing="申请延期")
    if ticket.extension_until is not None:
        raise DomainError("已有待审批的延期申请。")
    if ticket.deadline is None or until <= ticket.deadline:
        raise ValidationError({"until": "申请的新时限须晚于当前整改时限。"})
    _within_horizon(until, now, field="until", what="延期时限")
    ticket.extension_until, ticket.extension_reason = until, _reason(reason, "延期理由")
    ticket.save()
    event = record(
        ticket,
        actor,
        EventAction.EXTENSION_REQUEST,
        at=now,
        unit=ticket.responsible_unit,
        comment=f"申请延期至 {timezone.localtime(until):%Y-%m-%d %H:%M}：{ticket.extension_reason}",
    )
    tell_office(ticket, event, "责任单位申请延期，请审批")
    return ticket


@transaction.atomic
def ticket_decide_extension(
    *, ticket: Ticket, actor: User, approve: bool, comment: str = "", now: datetime | None = None
) -> Ticket:
    """The office approves (the deadline becomes the requested one) or refuses a pending extension."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    _require(is_office(actor), OFFICE_ONLY)
    if ticket.extension_until is None:
        raise DomainError("该工单没有待审批的延期申请。")
    if approve and ticket.deadline is not None:
        added = allowed_until(ticket.deadline, ticket.extension_until)
        ticket.deadline, ticket.allowed_minutes = (
            ticket.extension_until,
            (ticket.allowed_minutes or 0) + added,
        )
        ticket.warned_at = None
    action = EventAction.EXTENSION_APPROVE if approve else EventAction.EXTENSION_REFUSE
    if not approve:
        comment = _reason(comment, "不批准的理由", field="comment")
    ticket.extension_until, ticket.extension_reason = None, ""
    ticket.save()
    event = record(ticket, actor, action, at=now, unit=ticket.responsible_unit, comment=comment)
    tell_unit(ticket, event, "延期申请已批准" if approve else "延期申请未批准")
    return ticket


@transaction.atomic
def ticket_request_shelve(*, ticket: Ticket, actor: User, reason: str, now: datetime | None = None) -> Ticket:
    """挂账申请: the unit says it cannot be fixed now (e.g. needs budget or a season) and why."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    _require(is_handler(actor, ticket), HANDLER_ONLY)
    _expect(ticket, S.IN_PROGRESS, doing="申请挂账")
    if ticket.shelve_requested:
        raise DomainError("已有待审批的挂账申请。")
    ticket.shelve_requested, ticket.shelve_reason = True, _reason(reason, "挂账理由")
    ticket.save()
    event = record(
        ticket,
        actor,
        EventAction.SHELVE_REQUEST,
        at=now,
        unit=ticket.responsible_unit,
        comment=ticket.shelve_reason,
    )
    tell_office(ticket, event, "责任单位申请挂账，请审批")
    return ticket


@transaction.atomic
def ticket_decide_shelve(
    *, ticket: Ticket, actor: User, approve: bool, comment: str = "", now: datetime | None = None
) -> Ticket:
    """The office approves 挂账 (the clock pauses, the ticket goes on the shelf list) or refuses it."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    _require(is_office(actor), OFFICE_ONLY)
    if not ticket.shelve_requested:
        raise DomainError("该工单没有待审批的挂账申请。")
    ticket.shelve_requested = False
    if approve:
        ticket.paused_at = now
        event = _move(
            ticket,
            actor,
            EventAction.SHELVE_APPROVE,
            S.SHELVED,
            now=now,
            unit=ticket.responsible_unit,
            comment=comment,
        )
    else:
        ticket.shelve_reason = ""
        ticket.save()
        event = record(
            ticket,
            actor,
            EventAction.SHELVE_REFUSE,
            at=now,
            unit=ticket.responsible_unit,
            comment=_reason(comment, "不批准的理由", field="comment"),
        )
    tell_unit(ticket, event, "挂账申请已批准" if approve else "挂账申请未批准，请继续整改")
    return ticket


@transaction.atomic
def ticket_resume(*, ticket: Ticket, actor: User, comment: str = "", now: datetime | None = None) -> Ticket:
    """Off the shelf: back to 整改中, the deadline moved on by the working time it was paused."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    _require(is_office(actor), OFFICE_ONLY)
    _expect(ticket, S.SHELVED, doing="恢复整改")
    if ticket.deadline and ticket.paused_at:
        ticket.deadline = shifted_after_pause(ticket.deadline, ticket.paused_at, now)
    ticket.paused_at, ticket.warned_at = None, None
    _move(
        ticket,
        actor,
        EventAction.RESUME,
        S.IN_PROGRESS,
        now=now,
        unit=ticket.responsible_unit,
        comment=comment,
    )
    return ticket


@transaction.atomic
def ticket_void(*, ticket: Ticket, actor: User, reason: str, now: datetime | None = None) -> Ticket:
    """作废: not a problem after all (duplicate, misreport); the reason is kept."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    _require(is_office(actor), OFFICE_ONLY)
    _expect(ticket, S.REPORTED, S.FILED, S.DISPATCHED, S.IN_PROGRESS, S.SHELVED, doing="作废")
    _move(ticket, actor, EventAction.VOID, S.VOID, now=now, comment=_reason(reason, "作废理由"))
    return ticket


@transaction.atomic
def ticket_supervise(
    *, ticket: Ticket, actor: User, level: int, comment: str = "", now: datetime | None = None
) -> Ticket:
    """提级督办 by a level above the handler; supervision only ever goes up."""
    now = now or timezone.now()
    ticket = _lock(ticket)
    _require(can_supervise(actor), "只有创卫办或市领导可以提级督办。")
    if ticket.status in (S.CLOSED, S.VOID):
        raise DomainError("已销号或作废的工单不能督办。")
    if level not in Supervision.values or level <= ticket.supervision:
        raise ValidationError({"level": f"督办级别只能提高（当前为{ticket.get_supervision_display()}）。"})
    before = ticket.get_supervision_display()
    ticket.supervision = level
    ticket.save()
    record(
        ticket,
        actor,
        EventAction.SUPERVISE,
        at=now,
        unit=ticket.responsible_unit,
        comment=f"{before} → {ticket.get_supervision_display()}" + (f"：{comment}" if comment else ""),
    )
    return ticket
