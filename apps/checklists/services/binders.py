"""迎检档案 exports: the office requests one, a worker builds it, the row records progress and the outcome.

The archive itself is written by apps/checklists/binder.py; this module keeps the BinderExport row: one active
export per campaign, queued → running → done (with the file) or failed (with a message for the office).
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from apps.accounts.models import User
from apps.checklists.binder import BinderError, binder_write_zip
from apps.checklists.models import BinderExport, Campaign, Evidence, ExportStatus
from apps.checklists.permissions import can_manage_campaign

logger = logging.getLogger(__name__)

ACTIVE = [ExportStatus.QUEUED, ExportStatus.RUNNING]
# A build past the hard time limit was killed without a chance to record it; after twice that long an
# unfinished export is abandoned, so a lost worker cannot block new requests for the campaign forever.
STALE_AFTER = timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT)
PROGRESS_STEP = 2


# --- requesting ------------------------------------------------------------------------------------------


@transaction.atomic
def binder_request(*, campaign: Campaign, actor: User) -> BinderExport:
    """Start a 迎检档案 export (office only), or return the campaign's one already queued or running."""
    if not can_manage_campaign(actor):
        raise PermissionDenied("只有创卫办可以生成迎检档案。")
    # Lock the campaign row so two clicks at once cannot both start an export.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    _abandon_stale(campaign)
    current = (
        BinderExport.objects.filter(campaign=campaign, status__in=ACTIVE).order_by("-requested_at").first()
    )
    if current is not None:
        return current
    export = BinderExport(campaign=campaign, requested_by=actor)
    export.full_clean()
    export.save()
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _abandon_stale(campaign: Campaign) -> None:
    """Mark exports that have been unfinished for far too long as failed."""
    cutoff = timezone.now() - STALE_AFTER
    BinderExport.objects.filter(campaign=campaign, status__in=ACTIVE, requested_at__lt=cutoff).update(
        status=ExportStatus.FAILED, error="生成超时，已中止。请重新生成。", finished_at=timezone.now()
    )


def _enqueue(export_id: int) -> None:
    """Hand the build to a worker; if the broker is down, say so on the row rather than wait forever."""
    from apps.checklists.tasks import build_binder  # tasks imports this module

    try:
        build_binder.delay(export_id)
    except BrokerError:
        logger.exception("could not enqueue binder export %s", export_id)
        BinderExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
            status=ExportStatus.FAILED, error="任务队列暂不可用，请稍后重新生成。", finished_at=timezone.now()
        )


# --- building --------------------------------------------------------------------------------------------


def binder_build(*, export_id: int) -> BinderExport:
    """Build a queued export's ZIP: running → done, or failed with a message and no file left behind."""
    export = _start(export_id)
    if export is None:  # already started, finished or abandoned: a redelivered task does nothing
        return BinderExport.objects.get(pk=export_id)
    handle, name = tempfile.mkstemp(prefix="binder-", suffix=".zip")
    os.close(handle)
    path = Path(name)
    try:
        tracker = _Tracker.for_export(export)
        file_count = binder_write_zip(export.campaign, path, advance=tracker.advance)
        _finish(export, path, file_count)
    except Exception as exc:  # recorded on the row for the office; nothing half-written stays
        _fail(export, exc)
    finally:
        path.unlink(missing_ok=True)
    return export


def _start(export_id: int) -> BinderExport | None:
    """Move a queued export to running; None when it is not queued any more."""
    with transaction.atomic():
        rows = BinderExport.objects.select_for_update(of=("self",)).select_related("campaign__standard")
        export = rows.get(pk=export_id)
        if export.status != ExportStatus.QUEUED:
            return None
        export.status = ExportStatus.RUNNING
        export.progress = 0
        export.save(update_fields=["status", "progress"])
    return export


def _finish(export: BinderExport, path: Path, file_count: int) -> None:
    """Move the archive into storage under binders/ and mark the export done."""
    size = path.stat().st_size
    stamp = timezone.localtime()
    with _TempFile(path) as archive:
        export.file.save(
            f"binder_{export.campaign_id}_{export.pk}_{stamp:%Y%m%d%H%M%S}.zip", archive, save=False
        )
    export.status = ExportStatus.DONE
    export.progress = 100
    export.file_count = file_count
    export.size = size
    export.error = ""
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "progress", "file_count", "size", "error", "finished_at"])


def _fail(export: BinderExport, exc: Exception) -> None:
    """Record the failure in Chinese and delete any archive already stored."""
    if isinstance(exc, BinderError):
        message = str(exc)
    elif isinstance(exc, SoftTimeLimitExceeded):
        message = "生成超时，已中止。请重新生成；如仍超时，请联系管理员。"
    else:
        logger.exception("binder export %s failed", export.pk)
        message = f"生成失败（{type(exc).__name__}），请重新生成；如仍失败，请联系管理员。"
    if export.file:
        export.file.delete(save=False)
    BinderExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.FAILED, error=message, file="", finished_at=timezone.now()
    )
    export.refresh_from_db()


class _TempFile(File):
    """The finished archive; offering its path lets file-system storage move it instead of copying it."""

    def __init__(self, path: Path) -> None:
        super().__init__(path.open("rb"), name=path.name)
        self._path = path

    def temporary_file_path(self) -> str:
        """Where the archive is on disk (read by FileSystemStorage._save)."""
        return str(self._path)


# --- progress --------------------------------------------------------------------------------------------


@dataclass
class _Tracker:
    """Progress by bytes copied, written to the row only when it moved by PROGRESS_STEP percent."""

    export_id: int
    total: int
    done: int = 0
    shown: int = 0

    @classmethod
    def for_export(cls, export: BinderExport) -> _Tracker:
        """Size up the campaign's approved evidence."""
        totals = (
            Evidence.objects.approved()
            .filter(task__campaign=export.campaign_id)
            .aggregate(n=Count("pk"), bytes=Sum("size"))
        )
        # Each file counts at least one byte so a campaign of empty rows still moves the bar.
        return cls(export_id=export.pk, total=(totals["bytes"] or 0) + totals["n"])

    def advance(self, size: int) -> None:
        """Count a copied file; the bar stops at 99 until the archive is stored."""
        self.done += size + 1
        percent = min(99, self.done * 100 // max(self.total, 1))
        if percent - self.shown >= PROGRESS_STEP:
            self.shown = percent
            BinderExport.objects.filter(pk=self.export_id).update(progress=percent)
