"""The benchmark's bulk patrol results keep the rules real patrols follow: the grid's own worker and points,
every item of the point's templates, times in order on working days, the same rows from the same seed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.accounts.models import User
from apps.calendars.worktime import is_workday
from apps.patrols.models import Patrol, PatrolCheck, PatrolVisit
from apps.patrols.services.demo_bulk import build_bench_patrols
from apps.regions.models import GridAssignment
from tests.conftest import World
from tests.patrols.factories import Templates

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 18, 0, tzinfo=SHANGHAI)  # a Friday evening


def test_bulk_checks_keep_to_the_rules(actors: dict[str, User], world: World, templates: Templates) -> None:
    counts = build_bench_patrols(checks=500, now=NOW)
    assert counts["checks"] == PatrolCheck.objects.count() == 500
    assert counts["visits"] == PatrolVisit.objects.count() > 0
    assert counts["patrols"] == Patrol.objects.count() > 1
    assigned = set(GridAssignment.objects.values_list("worker_id", "grid_id"))
    for patrol in Patrol.objects.prefetch_related("visits__point"):
        assert (patrol.worker_id, patrol.grid_id) in assigned
        local = patrol.started_at.astimezone(SHANGHAI)
        assert is_workday(local.date())
        assert NOW - timedelta(days=366) < patrol.started_at
        times = [visit.visited_at for visit in patrol.visits.all()]
        assert times
        assert patrol.started_at < min(times)
        assert max(times) < patrol.ended_at <= NOW
        assert all(
            visit.point.grid_id == patrol.grid_id and visit.point.is_active for visit in patrol.visits.all()
        )
    # Each visit records the items of its point's templates (all of them but, perhaps, in the last patrol).
    market = {templates.garbage_item.pk, templates.food_item.pk, templates.vector_item.pk}
    for visit in PatrolVisit.objects.select_related("point").prefetch_related("checks"):
        items = {check.item_id for check in visit.checks.all()}
        assert items <= (market if visit.point.type == "market" else {templates.vector_item.pk})


def test_bulk_checks_are_the_same_from_the_same_seed(
    actors: dict[str, User], world: World, templates: Templates
) -> None:
    def rows() -> list[tuple[Any, ...]]:
        return list(
            PatrolCheck.objects.order_by("pk").values_list(
                "visit__patrol__uuid", "visit__patrol__started_at", "visit__point_id", "item_id", "result"
            )
        )

    build_bench_patrols(checks=200, now=NOW)
    first = rows()
    Patrol.objects.all().delete()
    build_bench_patrols(checks=200, now=NOW)
    assert rows() == first


def test_the_command_writes_once_with_if_empty(
    actors: dict[str, User], world: World, templates: Templates, settings: Any
) -> None:
    settings.DEBUG = True
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo_patrols", "--bulk-checks", "300", "--if-empty")
        call_command("seed_demo_patrols", "--bulk-checks", "300", "--if-empty")
    assert PatrolCheck.objects.count() == 300
    with pytest.raises(CommandError, match="正整数"):
        call_command("seed_demo_patrols", "--bulk-checks", "0")
