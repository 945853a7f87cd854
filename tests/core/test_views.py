"""Operational endpoints."""

from datetime import date
from typing import Any

from django.utils import timezone

from apps.core.forms import DateInput
from apps.core.models import WorkerHeartbeat
from apps.core.tasks import record_heartbeat


def test_ping_is_trivial(client: Any) -> None:
    response = client.get("/ping/")
    assert (response.status_code, response.content) == (200, b"ok")


def test_healthz_reports_database_and_last_worker(client: Any, db: Any) -> None:
    assert client.get("/healthz/").json() == {"database": "ok", "worker_last_seen": None}
    WorkerHeartbeat.objects.create(hostname="w1", seen_at=timezone.now())
    assert client.get("/healthz/").json()["worker_last_seen"] is not None


def test_heartbeat_task_records_this_host(db: Any) -> None:
    hostname = record_heartbeat()
    assert WorkerHeartbeat.objects.filter(hostname=hostname).exists()
    record_heartbeat()
    assert WorkerHeartbeat.objects.count() == 1


def test_the_date_widget_renders_iso_dates_whatever_the_locale() -> None:
    html = DateInput().render("deadline", date(2027, 3, 31))
    assert 'type="date"' in html
    assert 'value="2027-03-31"' in html
