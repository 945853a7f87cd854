"""Opening a ticket: number, checks, before-photos, the first event and the recurrence (反弹) link."""

from __future__ import annotations

from collections.abc import Sequence
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
from apps.tickets.recurrence import find_recurrence
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
    """File a problem; the office's own tickets start at 待派遣 (already 立案), everyone else's at 待立案."""
    now = now or timezone.now()
    if not can_report_in(actor, region):
        raise PermissionDenied("您不能在该区域上报问题。")
    if category.parent_id is None or not category.is_active:
        raise ValidationError({"category": "请选择一个启用中的问题小类。"})
    if point is not None and not point.grid.path.startswith(region.path):
        raise ValidationError({"point": "所选点位不在该区域内。"})
    if source not in TicketSource.values:
        raise ValidationError({"source": "未知的问题来源。"})
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
