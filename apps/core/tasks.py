"""Core Celery tasks."""

import socket

from celery import shared_task
from django.utils import timezone

from apps.core.services import heartbeat_record


@shared_task
def record_heartbeat() -> str:
    """Record that a worker on this host is alive; scheduled every minute by beat."""
    hostname = socket.gethostname()
    heartbeat_record(hostname=hostname, now=timezone.now())
    return hostname
