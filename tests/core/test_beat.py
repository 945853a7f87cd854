"""The in-process beat of `make run`: the schedule's jobs run at start and then at their interval."""

from __future__ import annotations

from typing import Any

import pytest

from apps.core import beat
from apps.core.models import WorkerHeartbeat
from apps.tickets.models import EventAction, Supervision, Ticket
from tests.conftest import World
from tests.tickets.factories import Categories, at, in_progress, make_categories


@pytest.fixture
def categories(db: Any) -> Categories:
    return make_categories()


def test_the_schedule_gives_the_overdue_watch_every_15_minutes() -> None:
    jobs = {job.task: job.every for job in beat.jobs_from_settings()}
    assert jobs["apps.tickets.tasks.escalate_tickets"] == 15 * 60


def test_due_jobs_run_at_once_and_then_wait_for_their_interval(
    time_machine: Any,
    settings: Any,
    tmp_path: Any,
    actors: dict[str, Any],
    world: World,
    categories: Categories,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    ticket = in_progress(actors, world, categories.garbage, when=at(20, 16))  # due Monday 23rd 11:00
    time_machine.move_to(at(24, 10), tick=False)  # a day overdue
    jobs = beat.jobs_from_settings()

    ran = beat.run_due(jobs, now=1000.0)
    assert "apps.tickets.tasks.escalate_tickets" in ran
    assert Ticket.objects.get(pk=ticket.pk).supervision > Supervision.NORMAL
    assert ticket.events.filter(action=EventAction.ESCALATE).exists()
    assert WorkerHeartbeat.objects.exists()

    assert beat.run_due(jobs, now=1000.0 + 14 * 60) == ["apps.core.tasks.record_heartbeat"]
    assert "apps.tickets.tasks.escalate_tickets" in beat.run_due(jobs, now=1000.0 + 15 * 60)
