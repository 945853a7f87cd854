"""The timeline and photos every ticket service writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from apps.accounts.models import User
from apps.core.images import CleanPhoto, clean_photo
from apps.regions.models import Unit
from apps.tickets.models import Ticket, TicketEvent, TicketPhoto

MAX_PHOTOS = 9


def record(
    ticket: Ticket,
    actor: User | None,
    action: str,
    *,
    at: datetime,
    from_status: str = "",
    to_status: str = "",
    unit: Unit | None = None,
    comment: str = "",
) -> TicketEvent:
    """Append one event to the ticket's timeline (actor None = the system)."""
    return TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        at=at,
        action=action,
        from_status=from_status,
        to_status=to_status,
        unit=unit,
        comment=comment.strip(),
    )


def record_many(ticket: Ticket, events: Sequence[TicketEvent]) -> list[TicketEvent]:
    """Append several events, in order, in one insert (their primary keys set: notifications key on them)."""
    for event in events:
        event.ticket = ticket
        event.comment = event.comment.strip()
    return TicketEvent.objects.bulk_create(events)


def check_photos(photos: Sequence[UploadedFile | CleanPhoto]) -> list[CleanPhoto]:
    """Decode and re-encode every photo before anything is written; one bad photo refuses them all.

    Photos another service has already cleaned (a patrol finding's) pass through as they are.
    """
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"一次最多上传 {MAX_PHOTOS} 张照片。"})
    return [
        photo if isinstance(photo, CleanPhoto) else clean_photo(photo, field="photos") for photo in photos
    ]


def add_photos(
    ticket: Ticket, event: TicketEvent, photos: Sequence[CleanPhoto], *, kind: str, actor: User
) -> list[TicketPhoto]:
    """Save re-encoded photos on the ticket and event; files written before a failure are removed."""
    saved: list[TicketPhoto] = []
    try:
        for photo in photos:
            item = TicketPhoto(
                ticket=ticket, event=event, kind=kind, taken_at=photo.taken_at, uploaded_by=actor
            )
            item.image.save("photo.jpg", photo.content, save=False)
            item.save()
            saved.append(item)
    except BaseException:
        for item in saved:
            item.image.delete(save=False)
        raise
    return saved
