"""Celery tasks for checklists: thin wrappers that take ids and call a service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from apps.checklists.services import binder_build


# Only a database that cannot be reached when the build starts is worth retrying: the export is still queued,
# so a later attempt picks it up cleanly. Anything that fails once the build runs (a stored file gone, a full
# disk) would fail again; binder_build records it on the export and the office simply requests a new binder.
# The soft limit comes a minute before the hard kill so an overlong build is recorded as failed, not lost.
@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=settings.CELERY_TASK_TIME_LIMIT - 60,
)
def build_binder(export_id: int) -> str:
    """Build a requested 迎检档案 ZIP; returns the export's final status."""
    return binder_build(export_id=export_id).status
