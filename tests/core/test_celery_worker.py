"""A task sent through Redis is run by a real Celery worker process against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from apps.core.models import WorkerHeartbeat
from apps.core.tasks import record_heartbeat

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no broker for a real worker"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a worker process cannot reach the in-memory SQLite test database; runs on PostgreSQL",
    ),
]


def _test_database_url() -> str:
    """The URL of the test database pytest-django created, for the worker process."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db: Any) -> Any:
    """A Celery worker on a queue of its own, so no other worker on this Redis can take the task."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "chuangwei",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        yield queue
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_real_worker_runs_a_task_and_writes_to_the_database(worker: str) -> None:
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    result = record_heartbeat.apply_async(queue=worker)
    hostname = result.get(timeout=90)
    assert WorkerHeartbeat.objects.filter(hostname=hostname).exists()


def test_real_worker_escalates_an_overdue_ticket(
    worker: str, world: Any, actors: Any, settings: Any, tmp_path: Path
) -> None:
    """The 15-minute job run by a worker: a ticket long past its deadline goes to 红牌; the unit hears."""
    from django.utils import timezone

    from apps.notifications.models import Notification
    from apps.tickets.models import Supervision, Ticket
    from apps.tickets.tasks import escalate_tickets
    from tests.tickets.factories import dispatched, make_categories

    settings.MEDIA_ROOT = tmp_path / "media"
    ticket = dispatched(actors, world, make_categories().garbage, when=timezone.now() - timedelta(days=30))
    counts = escalate_tickets.apply_async(queue=worker).get(timeout=90)
    assert counts["red"] == 1
    assert Ticket.objects.get(pk=ticket.pk).supervision == Supervision.RED
    assert Notification.objects.filter(recipient=actors["unit"], kind="ticket_red").exists()
