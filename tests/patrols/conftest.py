"""Fixtures for the patrol tests: templates on the test categories, photos out of the way."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.patrols.models import CheckResult, Finding, Outcome, Patrol
from apps.patrols.services import PhotoUpload, finding_submit, patrol_finish, patrol_start, patrol_visit
from apps.regions.models import Point
from tests.conftest import World
from tests.patrols.factories import Templates, make_templates, photo


@pytest.fixture
def templates(db: Any) -> Templates:
    """农贸市场 and 病媒 templates over 暴露垃圾 / 三防缺失."""
    return make_templates()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Photos the services store land in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEK = "2026-W48"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, Shanghai time."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def walk(worker: User, point: Point, templates: Templates, *, when: datetime) -> Patrol:
    """A finished patrol of the point's grid started at `when`, with the market items checked."""
    patrol, _ = patrol_start(worker=worker, uuid=uuid.uuid4(), grid=point.grid, now=when)
    results = {templates.garbage_item.pk: CheckResult.PROBLEM, templates.food_item.pk: CheckResult.OK}
    if point.type != "market":
        results = {templates.vector_item.pk: CheckResult.OK}
    patrol_visit(worker=worker, patrol=patrol, point=point, results=results, now=when + timedelta(minutes=5))
    return patrol_finish(worker=worker, patrol=patrol, now=when + timedelta(minutes=40))


def find(
    worker: User,
    point: Point,
    templates: Templates,
    *,
    when: datetime,
    outcome: str = Outcome.REPORTED,
    patrol: Patrol | None = None,
    description: str = "垃圾桶满溢",
) -> Finding:
    """A 暴露垃圾 finding with one problem photo (and an after-photo when fixed on the spot)."""
    finding, _ = finding_submit(
        worker=worker,
        uuid=uuid.uuid4(),
        category=templates.categories.garbage,
        outcome=outcome,
        point=point,
        patrol=patrol,
        description=description,
        lat=point.lat,
        lng=point.lng,
        accuracy_m=8,
        photos=[PhotoUpload(uuid.uuid4(), photo())],
        after_photos=[PhotoUpload(uuid.uuid4(), photo())] if outcome == Outcome.FIXED else [],
        now=when,
    )
    return finding


@dataclass
class Week:
    """The arranged week: 东湖1格 patrolled once (p1) with a reported and a fixed finding; 东湖2格 idle."""

    patrol: Patrol
    reported: Finding
    fixed: Finding
    last_week: Patrol


@pytest.fixture
def week(actors: dict[str, User], world: World, templates: Templates) -> Week:
    patrol = walk(actors["grid"], world.p1, templates, when=at(25, 9))
    return Week(
        patrol=patrol,
        reported=find(actors["grid"], world.p1, templates, when=at(25, 9, 10), patrol=patrol),
        fixed=find(
            actors["grid"],
            world.p1,
            templates,
            when=at(25, 9, 20),
            outcome=Outcome.FIXED,
            patrol=patrol,
            description="地面纸屑已清扫",
        ),
        last_week=walk(actors["grid"], world.p1, templates, when=at(18, 9)),
    )


def page(client: Any, url: str, **params: Any) -> Any:
    return client.get(url, params)


def text(response: Any) -> str:
    return response.content.decode()


# --- access ---

COVERAGE = reverse("patrols:coverage")
FINDINGS = reverse("patrols:findings")
PATROLS = reverse("patrols:list")
TEMPLATES = reverse("patrols:templates")
