"""The findings' rows on the office pages: thumbnails and their overflow count, and ticket links only for
those who may open the ticket (the list, a patrol's page and a finding's page build them separately)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.patrols.models import Finding, Outcome, Patrol
from apps.patrols.services import PhotoUpload, finding_submit, patrol_finish, patrol_start
from apps.tickets.models import Ticket
from tests.conftest import World
from tests.patrols.factories import Templates, photo
from tests.tickets.factories import open_ticket

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 11, 25, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
FINDINGS = reverse("patrols:findings")


def reported(
    worker: User, world: World, templates: Templates, *, photos: int, patrol: Patrol | None = None
) -> Finding:
    """A reported 暴露垃圾 finding at 东湖农贸市场 with this many photos."""
    finding, _ = finding_submit(
        worker=worker,
        uuid=uuid.uuid4(),
        category=templates.categories.garbage,
        outcome=Outcome.REPORTED,
        point=world.p1,
        patrol=patrol,
        description="垃圾桶满溢",
        lat=world.p1.lat,
        lng=world.p1.lng,
        accuracy_m=8,
        photos=[PhotoUpload(uuid.uuid4(), photo()) for _ in range(photos)],
        now=WHEN,
    )
    return finding


def thumbs_cell(html: str, finding: Finding) -> str:
    """The 照片 cell of the finding's row in the list."""
    row = html[html.index(reverse("patrols:finding", args=[finding.uuid])) :]
    cell = row[row.index('data-label="照片"') :]
    return cell[: cell.index("</td>")]


def test_a_row_shows_three_thumbnails_and_counts_the_rest(
    login: Any, actors: dict[str, User], world: World, templates: Templates
) -> None:
    finding = reported(actors["grid"], world, templates, photos=5)
    cell = thumbs_cell(login("office").get(FINDINGS).content.decode(), finding)
    assert cell.count("<img ") == 3
    assert '<span class="small muted">+2</span>' in cell


def test_a_row_with_exactly_three_photos_counts_none_over(
    login: Any, actors: dict[str, User], world: World, templates: Templates
) -> None:
    finding = reported(actors["grid"], world, templates, photos=3)
    cell = thumbs_cell(login("office").get(FINDINGS).content.decode(), finding)
    assert cell.count("<img ") == 3
    assert "+" not in cell


@pytest.fixture
def elsewhere(actors: dict[str, User], world: World, templates: Templates) -> tuple[Finding, Ticket]:
    """A patrol's finding in 东湖1格 whose ticket lies in 西山 (outside 东湖街道 staff's territory)."""
    patrol, _ = patrol_start(worker=actors["grid"], uuid=uuid.uuid4(), grid=world.grid, now=WHEN)
    finding = reported(actors["grid"], world, templates, photos=1, patrol=patrol)
    patrol_finish(worker=actors["grid"], patrol=patrol, now=WHEN)
    ticket = open_ticket(actors, world, templates.categories.garbage, when=WHEN, region=world.grid4)
    Finding.objects.filter(pk=finding.pk).update(ticket=ticket)
    finding.refresh_from_db()
    return finding, ticket


@pytest.mark.parametrize("page", ["patrol", "finding"])
@pytest.mark.parametrize(("name", "linked"), [("office", True), ("street", False)])
def test_a_ticket_is_linked_only_for_those_who_may_open_it(
    login: Any, elsewhere: tuple[Finding, Ticket], page: str, name: str, linked: bool
) -> None:
    finding, ticket = elsewhere
    assert finding.patrol is not None
    url = (
        reverse("patrols:detail", args=[finding.patrol.uuid])
        if page == "patrol"
        else reverse("patrols:finding", args=[finding.uuid])
    )
    html = login(name).get(url).content.decode()
    assert ticket.number in html
    assert (reverse("tickets:detail", args=[ticket.pk]) in html) is linked
