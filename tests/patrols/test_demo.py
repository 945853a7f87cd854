"""The demo patrols follow the same rules as real ones: only the assigned worker's grids, only working days,
visits to the grid's own points, findings through the service (reported ones become tickets)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.accounts.models import User
from apps.calendars.worktime import is_workday
from apps.patrols.models import Finding, Patrol, PatrolVisit
from apps.patrols.services.demo import build_demo_patrols
from apps.regions.models import GridAssignment
from apps.tickets.models import Ticket, TicketSource
from tests.conftest import World
from tests.patrols.factories import Templates

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 27, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Friday evening


def test_demo_patrols_keep_to_the_rules(actors: dict[str, User], world: World, templates: Templates) -> None:
    counts = build_demo_patrols(days=6, findings=4, now=NOW)
    assert counts["patrols"] == Patrol.objects.count() > 0
    assert counts["visits"] == PatrolVisit.objects.count()
    assigned = set(GridAssignment.objects.values_list("worker_id", "grid_id"))
    for patrol in Patrol.objects.all():
        assert (patrol.worker_id, patrol.grid_id) in assigned
        assert is_workday(patrol.started_at.astimezone(NOW.tzinfo).date())
        assert patrol.started_at <= NOW
    for visit in PatrolVisit.objects.select_related("patrol", "point"):
        assert visit.point.grid_id == visit.patrol.grid_id
    reported = Finding.objects.filter(outcome="reported")
    assert counts["findings"] == Finding.objects.count() == 4
    assert counts["tickets"] == reported.count() == Ticket.objects.filter(source=TicketSource.PATROL).count()
    assert all(finding.photos.exists() for finding in Finding.objects.all())


def test_the_command_refuses_without_templates(world: World, actors: dict[str, User], settings: Any) -> None:
    settings.DEBUG = True
    with pytest.raises(CommandError, match="还没有巡查模板"):
        call_command("seed_demo_patrols")
    assert not Patrol.objects.exists()
