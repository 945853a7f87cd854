"""Start a patrol, record the points walked with one result per check item, finish it.

Start and finish are stamped with the server's clock; the phone's own times are kept beside them, since an
offline patrol reaches the server only when the signal returns.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.patrols.models import CheckResult, Patrol, PatrolCheck, PatrolVisit
from apps.patrols.permissions import require_patrols_in
from apps.patrols.templates_for import items_for_point
from apps.regions.choices import Level
from apps.regions.models import Point, Region

MAX_TRACK_POINTS = 5000


def patrol_start(
    *,
    worker: User,
    uuid: uuid_module.UUID,
    grid: Region,
    client_started_at: datetime | None = None,
    now: datetime | None = None,
) -> tuple[Patrol, bool]:
    """开始巡查 in one of the worker's grids; the same UUID again returns the stored patrol."""
    existing = Patrol.objects.filter(uuid=uuid).first()
    if existing is not None:
        return _own(existing, worker), False
    if grid.level != Level.GRID:
        raise ValidationError({"grid": "请选择一个网格。"})
    require_patrols_in(worker, grid)
    patrol = Patrol(
        uuid=uuid,
        worker=worker,
        grid=grid,
        started_at=now or timezone.now(),
        client_started_at=client_started_at,
    )
    try:
        with transaction.atomic():
            patrol.save()
    except IntegrityError:
        return _own(Patrol.objects.get(uuid=uuid), worker), False
    return patrol, True


@transaction.atomic
def patrol_visit(
    *,
    worker: User,
    patrol: Patrol,
    point: Point,
    results: Mapping[int, str],
    visited_at: datetime | None = None,
    now: datetime | None = None,
) -> PatrolVisit:
    """Record a point walked and its check results; sending the same point again replaces its results."""
    patrol = _own(Patrol.objects.select_for_update().get(pk=patrol.pk), worker)
    if point.grid_id != patrol.grid_id or not point.is_active:
        raise ValidationError({"point": f"点位「{point.name}」不在本次巡查的网格内。"})
    items = {item.pk: item for item in items_for_point(point)}
    unknown = [pk for pk in results if pk not in items]
    if unknown:
        raise ValidationError({"results": f"检查项 {unknown[0]} 不属于「{point.name}」的巡查模板。"})
    bad = [value for value in results.values() if value not in CheckResult.values]
    if bad:
        raise ValidationError({"results": f"检查结果「{bad[0]}」无效，应为合格、有问题或不涉及。"})
    visit, _ = PatrolVisit.objects.update_or_create(
        patrol=patrol, point=point, defaults={"visited_at": visited_at or now or timezone.now()}
    )
    # The patrol row is locked, so replacing the results wholesale is safe: two statements, not two per item.
    visit.checks.all().delete()
    PatrolCheck.objects.bulk_create(
        PatrolCheck(visit=visit, item=items[item_id], result=result) for item_id, result in results.items()
    )
    return visit


@transaction.atomic
def patrol_finish(
    *,
    worker: User,
    patrol: Patrol,
    track: Sequence[Sequence[Any]] = (),
    client_ended_at: datetime | None = None,
    now: datetime | None = None,
) -> Patrol:
    """结束巡查: stamp the end once; finishing again returns the patrol as it was."""
    patrol = _own(Patrol.objects.select_for_update().get(pk=patrol.pk), worker)
    if patrol.ended_at is not None:
        return patrol
    patrol.track = _clean_track(track)
    patrol.ended_at = now or timezone.now()
    patrol.client_ended_at = client_ended_at
    patrol.save(update_fields=["track", "ended_at", "client_ended_at"])
    return patrol


def _own(patrol: Patrol, worker: User) -> Patrol:
    """Only the worker who started a patrol may add to it (a UUID of someone else's is refused)."""
    if patrol.worker_id != worker.pk:
        raise PermissionDenied("这次巡查不是您发起的。")
    return patrol


def _clean_track(track: Sequence[Sequence[Any]]) -> list[list[float]]:
    """[[lat, lng, unix seconds], …] with every position in range; anything else refuses the track."""
    if len(track) > MAX_TRACK_POINTS:
        raise ValidationError({"track": f"轨迹点过多（最多 {MAX_TRACK_POINTS} 个）。"})
    cleaned = []
    for number, entry in enumerate(track, start=1):
        try:
            lat, lng, at = (float(value) for value in entry)
        except (TypeError, ValueError):
            raise ValidationError(
                {"track": f"第 {number} 个轨迹点格式有误，应为 [纬度, 经度, 时间]。"}
            ) from None
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise ValidationError({"track": f"第 {number} 个轨迹点的经纬度超出范围。"})
        cleaned.append([round(lat, 6), round(lng, 6), int(at)])
    return cleaned
