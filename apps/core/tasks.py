"""Core Celery tasks."""

import socket

from celery import shared_task
from django.utils import timezone

from apps.core.models import WorkerHeartbeat


@shared_task
def record_heartbeat() -> str:
    """Record that a worker on this host is alive; scheduled every minute by beat."""
    hostname = socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(hostname=hostname, defaults={"seen_at": timezone.now()})
    return hostname
