"""File a finding: fixed on the spot (with an after-photo) or reported, which opens a ticket.

The finding row is the first thing written, inside the transaction: a second request with the same UUID waits
on the unique index until the first commits, then finds the stored finding and returns it — so fifty sends of
one finding make one finding and one ticket. Photos are decoded and re-encoded before anything is written.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.images import CleanPhoto, clean_photo
from apps.patrols.models import CheckItem, Finding, FindingPhoto, FindingPhotoKind, Outcome, Patrol
from apps.patrols.permissions import require_patrols_in
from apps.regions.choices import Level
from apps.regions.models import Point, Region
from apps.tickets.choices import FINISHED
from apps.tickets.models import ProblemCategory, Ticket, TicketSource
from apps.tickets.services import ticket_add_report_photos, ticket_report

MAX_PHOTOS = 9


@dataclass(frozen=True)
class PhotoUpload:
    """One photo as the phone sent it, with its own UUID."""

    uuid: uuid_module.UUID
    file: UploadedFile


def finding_submit(
    *,
    worker: User,
    uuid: uuid_module.UUID,
    category: ProblemCategory,
    outcome: str,
    point: Point | None = None,
    grid: Region | None = None,
    patrol: Patrol | None = None,
    check_item: CheckItem | None = None,
    description: str = "",
    lat: Decimal | None = None,
    lng: Decimal | None = None,
    accuracy_m: int | None = None,
    taken_at: datetime | None = None,
    photos: Sequence[PhotoUpload] = (),
    after_photos: Sequence[PhotoUpload] = (),
    now: datetime | None = None,
) -> tuple[Finding, bool]:
    """Store a finding once; the same UUID again returns the stored one (created False), never a second.

    The unique UUID decides (the insert below): a caller that answers replays early looks first (the API).
    """
    now = now or timezone.now()
    grid = _grid_of(point, grid)
    require_patrols_in(worker, grid)
    _check(category, outcome, point, patrol, check_item, worker, grid, after_photos)
    if (lat is None) != (lng is None):
        raise ValidationError({"lng": "经纬度须同时填写或同时留空。"})
    try:
        cleaned = _clean(photos, FindingPhotoKind.BEFORE) + _clean(after_photos, FindingPhotoKind.AFTER)
    except ValidationError:
        # A resend racing its original: the original committed, with these photo UUIDs, after the look-up
        # above. It is a resend all the same, answered with the stored finding.
        stored = Finding.objects.filter(uuid=uuid).first()
        if stored is None:
            raise
        return _own(stored, worker), False
    finding = Finding(
        uuid=uuid,
        patrol=patrol,
        worker=worker,
        grid=grid,
        point=point,
        category=category,
        check_item=check_item,
        description=description.strip(),
        lat=lat if lat is not None else (point.lat if point else None),
        lng=lng if lng is not None else (point.lng if point else None),
        accuracy_m=accuracy_m,
        taken_at=taken_at,
        created_at=now,
        outcome=outcome,
    )
    # The related rows were looked up and checked above; validating the plain fields is enough (full_clean
    # would read every foreign key back from the database).
    finding.clean_fields(
        exclude=["uuid", "patrol", "worker", "grid", "point", "category", "check_item", "ticket"]
    )
    written: list[FindingPhoto] = []
    try:
        with transaction.atomic():
            finding.save(force_insert=True)
            written += [_save_photo(finding, *photo) for photo in cleaned]
            if outcome == Outcome.REPORTED:
                finding.ticket = _open_ticket(finding, cleaned, now)
                finding.save(update_fields=["ticket"])
    except IntegrityError:
        _remove_files(written)
        stored = Finding.objects.filter(uuid=uuid).first()
        if stored is None:
            raise
        return _own(stored, worker), False
    except BaseException:
        _remove_files(written)
        raise
    return finding, True


def finding_add_photo(
    *,
    worker: User,
    finding: Finding,
    photo: PhotoUpload,
    kind: str,
    lat: Decimal | None = None,
    lng: Decimal | None = None,
    taken_at: datetime | None = None,
) -> tuple[FindingPhoto, bool]:
    """Add one more photo to the worker's finding (and to its ticket); the same photo UUID is stored once."""
    existing = FindingPhoto.objects.filter(uuid=photo.uuid).first()
    if existing is not None:
        if existing.finding_id != finding.pk:
            raise ValidationError({"uuid": "该照片编号已用于另一条巡查发现。"})
        return existing, False
    _own(finding, worker)
    if kind not in FindingPhotoKind.values:
        raise ValidationError({"kind": "照片类型应为问题照片或整改后。"})
    if finding.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"photos": f"每条巡查发现最多 {MAX_PHOTOS} 张照片。"})
    clean = clean_photo(photo.file, field="image")
    item: FindingPhoto | None = None
    try:
        with transaction.atomic():
            item = _save_photo(finding, photo.uuid, kind, clean, lat=lat, lng=lng, taken_at=taken_at)
            # A problem photo is shown on the ticket too, while the ticket is still being worked on.
            ticket = finding.ticket
            if ticket is not None and kind == FindingPhotoKind.BEFORE and ticket.status not in FINISHED:
                ticket_add_report_photos(ticket=ticket, actor=worker, photos=[clean])
    except IntegrityError:
        _remove_files([item] if item else [])
        return FindingPhoto.objects.get(uuid=photo.uuid), False
    except BaseException:
        _remove_files([item] if item else [])
        raise
    return item, True


def _own(finding: Finding, worker: User) -> Finding:
    """A UUID that belongs to someone else's finding is refused rather than revealed."""
    if finding.worker_id != worker.pk:
        raise PermissionDenied("该编号已被他人的巡查发现使用。")
    return finding


def _grid_of(point: Point | None, grid: Region | None) -> Region:
    """The finding's grid: its point's, else the grid given for an ad-hoc finding."""
    if point is not None:
        if not point.is_active:
            raise ValidationError({"point": f"点位「{point.name}」已停用。"})
        if grid is not None and grid.pk != point.grid_id:
            raise ValidationError({"point": f"点位「{point.name}」不在所选网格内。"})
        return point.grid
    if grid is None or grid.level != Level.GRID:
        raise ValidationError({"grid": "请选择点位，或选择发现问题的网格。"})
    return grid


def _check(
    category: ProblemCategory,
    outcome: str,
    point: Point | None,
    patrol: Patrol | None,
    check_item: CheckItem | None,
    worker: User,
    grid: Region,
    after_photos: Sequence[PhotoUpload],
) -> None:
    """Everything about the finding that can be wrong, checked before anything is written."""
    if category.parent_id is None or not category.is_active:
        raise ValidationError({"category": "请选择一个启用中的问题小类。"})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "处理方式应为「已现场整改」或「上报」。"})
    if outcome == Outcome.FIXED and not after_photos:
        raise ValidationError({"after_photos": "已现场整改的问题须附整改后照片。"})
    if patrol is not None and (patrol.worker_id != worker.pk or patrol.grid_id != grid.pk):
        raise ValidationError({"patrol": "这次巡查不是您在该网格发起的。"})
    if check_item is not None and check_item.category_id != category.pk:
        raise ValidationError({"check_item": "检查项与问题类别不一致。"})


def _clean(uploads: Sequence[PhotoUpload], kind: str) -> list[tuple[uuid_module.UUID, str, CleanPhoto]]:
    """Decode and re-encode every photo; one bad photo refuses the whole finding."""
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError({"photos": f"每条巡查发现最多 {MAX_PHOTOS} 张照片。"})
    uuids = [upload.uuid for upload in uploads]
    if len(set(uuids)) != len(uuids) or FindingPhoto.objects.filter(uuid__in=uuids).exists():
        raise ValidationError({"photos": "照片编号重复，请重新拍摄。"})
    field = "after_photos" if kind == FindingPhotoKind.AFTER else "photos"
    return [(upload.uuid, kind, clean_photo(upload.file, field=field)) for upload in uploads]


def _save_photo(
    finding: Finding,
    uuid: uuid_module.UUID,
    kind: str,
    clean: CleanPhoto,
    *,
    lat: Decimal | None = None,
    lng: Decimal | None = None,
    taken_at: datetime | None = None,
) -> FindingPhoto:
    """Write one re-encoded photo; its time and place come from the camera, else from the finding."""
    photo = FindingPhoto(
        uuid=uuid,
        finding=finding,
        kind=kind,
        taken_at=clean.taken_at or taken_at or finding.taken_at,
        lat=clean.lat if clean.lat is not None else (lat if lat is not None else finding.lat),
        lng=clean.lng if clean.lng is not None else (lng if lng is not None else finding.lng),
    )
    photo.image.save("photo.jpg", clean.content, save=False)
    photo.save(force_insert=True)
    return photo


def _open_ticket(
    finding: Finding, cleaned: list[tuple[uuid_module.UUID, str, CleanPhoto]], now: datetime
) -> Ticket:
    """上报: a ticket through the ticket service, sent on by the routing rules when the city allows it
    (PATROL_AUTO_DISPATCH); a problem that already has an unfinished ticket joins it (the service's rule)."""
    place = finding.point.name if finding.point else finding.grid.name
    reported = ticket_report(
        actor=finding.worker,
        source=TicketSource.PATROL,
        category=finding.category,
        title=f"{finding_wording(finding)}（{place}）",
        region=finding.grid,
        description=_ticket_text(finding),
        point=finding.point,
        lat=finding.lat,
        lng=finding.lng,
        photos=[clean for _, kind, clean in cleaned if kind == FindingPhotoKind.BEFORE],
        auto_dispatch=settings.PATROL_AUTO_DISPATCH,
        now=now,
    )
    return reported.ticket


def finding_wording(finding: Finding) -> str:
    """What is wrong, in the check item's problem wording (存在暴露垃圾…); the category's name otherwise."""
    if finding.check_item is not None and finding.check_item.problem:
        return finding.check_item.problem
    return finding.category.name


def _ticket_text(finding: Finding) -> str:
    """The ticket's description: the worker's note, the standard the place failed, and the GPS accuracy."""
    parts = [finding.description]
    if finding.check_item is not None:
        parts.append(f"检查标准：{finding.check_item.text}")
    if finding.accuracy_m is not None:
        parts.append(f"定位精度约 {finding.accuracy_m} 米")
    return "\n".join(part for part in parts if part)


def _remove_files(photos: Sequence[FindingPhoto]) -> None:
    """Delete files written by a transaction that rolled back."""
    for photo in photos:
        photo.image.delete(save=False)
