"""Reporting a problem: a new ticket (number, checks, photos, first event, 反弹 link) or a further report.

Every source (the report form, the API, a patrol finding) reports through ticket_report: a problem that
already has an unfinished ticket (recurrence.find_same_problem) joins it instead of opening a second one.
With `auto_dispatch` (the city's policy for patrol reports) a new ticket is 立案 and 派遣 by the system to
the unit the routing rules name, in the same insert; without a unit it waits for the office at 待立案.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.exceptions import DomainError
from apps.core.images import CleanPhoto
from apps.regions.models import Point, Region, Unit
from apps.tickets.choices import FINISHED
from apps.tickets.handoffs import tell_unit
from apps.tickets.models import (
    EventAction,
    PhotoKind,
    ProblemCategory,
    Supervision,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketSource,
    TicketStatus,
)
from apps.tickets.permissions import can_report_in, is_office
from apps.tickets.recurrence import SameProblem, find_recurrence, find_same_problem
from apps.tickets.routing import route
from apps.tickets.services.flow import dispatch_terms
from apps.tickets.services.records import add_photos, check_photos, record, record_many

# Validated by the checks before the insert (or by the database): full_clean would read each back.
_RELATED = ["category", "region", "point", "responsible_unit", "assignee", "reporter", "recurrence_of"]


def next_number(day: date) -> str:
    """ZG-20261123-0042: one upsert of the per-day counter; its row stays locked until the creator commits,
    so concurrent creators never share a number."""
    table = connection.ops.quote_name(TicketCounter._meta.db_table)
    with connection.cursor() as cursor:
        # The table name is the model's own, quoted; the one value is a parameter.
        upsert = (
            f'INSERT INTO {table} ("day", "last") VALUES (%s, 1) '  # noqa: S608
            f'ON CONFLICT ("day") DO UPDATE SET "last" = {table}."last" + 1 RETURNING "last"'
        )
        cursor.execute(upsert, [connection.ops.adapt_datefield_value(day)])
        (last,) = cursor.fetchone()
    return f"ZG-{day:%Y%m%d}-{last:04d}"


@transaction.atomic
def ticket_create(
    *,
    actor: User,
    source: str,
    category: ProblemCategory,
    title: str,
    region: Region,
    description: str = "",
    point: Point | None = None,
    address: str = "",
    lat: Decimal | None = None,
    lng: Decimal | None = None,
    photos: Sequence[UploadedFile | CleanPhoto] = (),
    auto_dispatch: bool = False,
    now: datetime | None = None,
) -> Ticket:
    """Open a new ticket; the office's own start at 待派遣 (already 立案), everyone else's at 待立案.

    Sources report through ticket_report, which joins an open ticket for the same problem instead.
    """
    now = now or timezone.now()
    _check_report(actor, source, category, region, point)
    cleaned = check_photos(photos)
    return _open(
        actor=actor,
        source=source,
        category=category,
        title=title,
        region=region,
        description=description,
        point=point,
        address=address,
        lat=lat,
        lng=lng,
        photos=cleaned,
        auto_dispatch=auto_dispatch,
        now=now,
    )


def _open(
    *,
    actor: User,
    source: str,
    category: ProblemCategory,
    title: str,
    region: Region,
    description: str,
    point: Point | None,
    address: str,
    lat: Decimal | None,
    lng: Decimal | None,
    photos: Sequence[CleanPhoto],
    auto_dispatch: bool,
    now: datetime,
    same: SameProblem | None = None,
) -> Ticket:
    """Write a checked report as a new ticket: one insert, its events in one more, then photos and 反弹
    (the closed ticket it repeats taken from `same` when the report has looked already)."""
    status = TicketStatus.FILED if is_office(actor) else TicketStatus.REPORTED
    ticket = Ticket(
        source=source,
        category=category,
        title=title.strip(),
        description=description.strip(),
        region=region,
        point=point,
        address=address.strip(),
        lat=lat if lat is not None else (point.lat if point else None),
        lng=lng if lng is not None else (point.lng if point else None),
        reporter=actor,
        status=status,
    )
    events = [TicketEvent(actor=actor, action=EventAction.CREATE, to_status=status, at=now)]
    unit = route(category, region) if auto_dispatch else None
    if unit is not None:
        if status == TicketStatus.REPORTED:
            comment = f"{TicketSource(source).label}上报，按分派规则自动立案"
            events.append(_event(EventAction.FILE, status, TicketStatus.FILED, now, comment=comment))
        text = dispatch_terms(ticket, unit, deadline=None, comment="按分派规则自动派遣", now=now)
        events.append(
            _event(
                EventAction.DISPATCH,
                TicketStatus.FILED,
                TicketStatus.DISPATCHED,
                now,
                comment=text,
                unit=unit,
            )
        )
        ticket.status = TicketStatus.DISPATCHED
    ticket.clean_fields(exclude=["number", *_RELATED])
    ticket.number = next_number(timezone.localdate(now))
    ticket.save(force_insert=True)
    created, *later = record_many(ticket, events)
    add_photos(ticket, created, photos, kind=PhotoKind.BEFORE, actor=actor)
    _link_recurrence(ticket, now, same.recently_closed if same else find_recurrence(ticket, now))
    if unit is not None:
        tell_unit(ticket, later[-1], "新派遣工单，请签收")
    return ticket


def _event(
    action: str, before: str, after: str, now: datetime, *, comment: str, unit: Unit | None = None
) -> TicketEvent:
    """One of the system's own steps on a new ticket (actor None)."""
    return TicketEvent(
        actor=None, action=action, from_status=before, to_status=after, at=now, comment=comment, unit=unit
    )


@dataclass(frozen=True)
class Reported:
    """What a report became: a new ticket, or a further report on the open ticket for the same problem."""

    ticket: Ticket
    joined: bool


def ticket_report(
    *,
    actor: User,
    source: str,
    category: ProblemCategory,
    title: str,
    region: Region,
    description: str = "",
    point: Point | None = None,
    address: str = "",
    lat: Decimal | None = None,
    lng: Decimal | None = None,
    photos: Sequence[UploadedFile | CleanPhoto] = (),
    auto_dispatch: bool = False,
    now: datetime | None = None,
) -> Reported:
    """Report a problem: it joins the unfinished ticket for the same problem and place, or opens a new one
    (sent on by the routing rules with `auto_dispatch`; a joined ticket is already on its way)."""
    now = now or timezone.now()
    _check_report(actor, source, category, region, point)
    cleaned = check_photos(photos)
    # Checked before the transaction; no savepoint of its own: inside a caller's step (a patrol finding), a
    # failure from here on fails that whole step anyway.
    with transaction.atomic(savepoint=False):
        located = (lat, lng) if lat is not None else ((point.lat, point.lng) if point else (None, None))
        same = find_same_problem(
            category_id=category.pk,
            point_id=point.pk if point else None,
            lat=located[0],
            lng=located[1],
            now=now,
        )
        if same.unfinished is None:
            ticket = _open(
                actor=actor,
                source=source,
                category=category,
                title=title,
                region=region,
                description=description,
                point=point,
                address=address,
                lat=lat,
                lng=lng,
                photos=cleaned,
                auto_dispatch=auto_dispatch,
                now=now,
                same=same,
            )
            return Reported(ticket, joined=False)
        note = description.strip() or title.strip()
        comment = f"{actor.display_name}（{TicketSource(source).label}）再次上报同一问题"
        comment += f"：{note}" if note else ""
        ticket = _report_again(same.unfinished, actor, comment, cleaned, now)
        return Reported(ticket, joined=True)


@transaction.atomic
def ticket_add_report_photos(
    *,
    ticket: Ticket,
    actor: User,
    photos: Sequence[UploadedFile | CleanPhoto],
    now: datetime | None = None,
) -> Ticket:
    """More problem photos from someone who may report there (a patrol finding's later photo): a 再次上报
    event carrying them, on a ticket that is not finished."""
    now = now or timezone.now()
    if not can_report_in(actor, ticket.region):
        raise PermissionDenied("您不能在该区域上报问题。")
    cleaned = check_photos(photos)
    return _report_again(ticket, actor, f"{actor.display_name}补充问题照片", cleaned, now)


def _report_again(
    ticket: Ticket, actor: User, comment: str, photos: Sequence[CleanPhoto], now: datetime
) -> Ticket:
    """A further report on an unfinished ticket, under its row lock: one event, its photos, a touch."""
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    if ticket.status in FINISHED:
        raise DomainError(f"工单 {ticket.number} 已{ticket.get_status_display()}，不能再补充上报。")
    event = record(ticket, actor, EventAction.REPORT_AGAIN, at=now, comment=comment)
    add_photos(ticket, event, photos, kind=PhotoKind.BEFORE, actor=actor)
    ticket.save(update_fields=["updated_at"])
    return ticket


def _check_report(
    actor: User, source: str, category: ProblemCategory, region: Region, point: Point | None
) -> None:
    """Who may report where, and about what: the checks every report passes before anything is written."""
    if not can_report_in(actor, region):
        raise PermissionDenied("您不能在该区域上报问题。")
    if category.parent_id is None or not category.is_active:
        raise ValidationError({"category": "请选择一个启用中的问题小类。"})
    if point is not None and not point.grid.path.startswith(region.path):
        raise ValidationError({"point": "所选点位不在该区域内。"})
    if source not in TicketSource.values:
        raise ValidationError({"source": "未知的问题来源。"})


def _link_recurrence(ticket: Ticket, now: datetime, earlier: Ticket | None) -> None:
    """Link a 反弹 to the ticket it repeats and raise supervision one level."""
    if earlier is None:
        return
    ticket.recurrence_of = earlier
    ticket.supervision = min(ticket.supervision + 1, Supervision.LISTED)
    ticket.save(update_fields=["recurrence_of", "supervision", "updated_at"])
    closed = timezone.localtime(earlier.closed_at) if earlier.closed_at else now
    comment = (
        f"与 {closed:%Y-%m-%d} 销号的 {earlier.number} 同类同位置，督办升为{ticket.get_supervision_display()}"
    )
    record(ticket, None, EventAction.RECURRENCE, at=now, unit=earlier.responsible_unit, comment=comment)
