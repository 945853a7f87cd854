"""Reporting a problem: a new ticket (number, checks, photos, first event, 反弹 link) or a further report.

Every source (the report form, the API, a patrol finding) reports through ticket_report: a problem that
already has an unfinished ticket (recurrence.find_open_duplicate) joins it instead of opening a second one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.images import CleanPhoto
from apps.regions.models import Point, Region
from apps.tickets.models import (
    EventAction,
    PhotoKind,
    ProblemCategory,
    Supervision,
    Ticket,
    TicketCounter,
    TicketSource,
    TicketStatus,
)
from apps.tickets.permissions import can_report_in, is_office
from apps.tickets.recurrence import find_open_duplicate, find_recurrence
from apps.tickets.services.records import add_photos, check_photos, record


def next_number(day: date) -> str:
    """ZG-20261123-0042: a per-day counter row, locked so concurrent creators never share a number."""
    try:
        with transaction.atomic():
            TicketCounter.objects.create(day=day, last=0)
    except IntegrityError:
        pass  # another request created today's counter first; lock it below
    counter = TicketCounter.objects.select_for_update().get(day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"ZG-{day:%Y%m%d}-{counter.last:04d}"


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
    now: datetime | None = None,
) -> Ticket:
    """Open a new ticket; the office's own start at 待派遣 (already 立案), everyone else's at 待立案.

    Sources report through ticket_report, which joins an open ticket for the same problem instead.
    """
    now = now or timezone.now()
    _check_report(actor, source, category, region, point)
    cleaned = check_photos(photos)
    status = TicketStatus.FILED if is_office(actor) else TicketStatus.REPORTED
    ticket = Ticket(
        number=next_number(timezone.localdate(now)),
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
    ticket.full_clean()
    ticket.save()
    event = record(ticket, actor, EventAction.CREATE, to_status=status, at=now)
    add_photos(ticket, event, cleaned, kind=PhotoKind.BEFORE, actor=actor)
    _link_recurrence(ticket, now)
    return ticket


@dataclass(frozen=True)
class Reported:
    """What a report became: a new ticket, or a further report on the open ticket for the same problem."""

    ticket: Ticket
    joined: bool


@transaction.atomic
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
    now: datetime | None = None,
) -> Reported:
    """Report a problem: it joins the unfinished ticket for the same problem and place, or opens a new one."""
    now = now or timezone.now()
    _check_report(actor, source, category, region, point)
    cleaned = check_photos(photos)
    located = (lat, lng) if lat is not None else ((point.lat, point.lng) if point else (None, None))
    open_ticket = find_open_duplicate(
        category_id=category.pk, point_id=point.pk if point else None, lat=located[0], lng=located[1]
    )
    if open_ticket is None:
        ticket = ticket_create(
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
            now=now,
        )
        return Reported(ticket, joined=False)
    ticket = Ticket.objects.select_for_update().get(pk=open_ticket.pk)
    note = description.strip() or title.strip()
    comment = f"{actor.display_name}（{TicketSource(source).label}）再次上报同一问题"
    comment += f"：{note}" if note else ""
    event = record(ticket, actor, EventAction.REPORT_AGAIN, at=now, comment=comment)
    add_photos(ticket, event, cleaned, kind=PhotoKind.BEFORE, actor=actor)
    ticket.save(update_fields=["updated_at"])
    return Reported(ticket, joined=True)


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


def _link_recurrence(ticket: Ticket, now: datetime) -> None:
    """Link a 反弹 to the ticket it repeats and raise supervision one level."""
    earlier = find_recurrence(ticket, now)
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
