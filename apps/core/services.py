"""Writes to core's own rows: the Celery worker heartbeat."""

from __future__ import annotations

from datetime import datetime

from apps.core.models import WorkerHeartbeat


def heartbeat_record(*, hostname: str, now: datetime) -> WorkerHeartbeat:
    """Note that a worker on `hostname` was alive at `now` (one row per host, updated in place)."""
    beat, _ = WorkerHeartbeat.objects.update_or_create(hostname=hostname, defaults={"seen_at": now})
    return beat
