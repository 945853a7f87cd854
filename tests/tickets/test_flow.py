"""The ticket lifecycle through its services: every step, every illegal step, every permission, recurrence."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.exceptions import DomainError
from apps.tickets.models import (
    EventAction,
    PhotoKind,
    ProblemCategory,
    Supervision,
    Ticket,
    TicketPhoto,
    TicketSource,
    TicketStatus,
)
from apps.tickets.services import (
    ticket_accept,
    ticket_create,
    ticket_decide_extension,
    ticket_decide_shelve,
    ticket_dispatch,
    ticket_file,
    ticket_recheck,
    ticket_request_extension,
    ticket_request_shelve,
    ticket_resume,
    ticket_return,
    ticket_submit,
    ticket_supervise,
    ticket_void,
)
from tests.conftest import World
from tests.tickets.conftest import jpeg, reload

TZ = ZoneInfo("Asia/Shanghai")
FRIDAY_4PM = datetime(2026, 11, 20, 16, 0, tzinfo=TZ)
S = TicketStatus


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def opened(
    actors: dict[str, Any], world: World, category: ProblemCategory, *, at: datetime = FRIDAY_4PM, **kw: Any
) -> Ticket:
    """The office files a problem at 东湖农贸市场 (p1, 东湖1格)."""
    values = {
        "point": world.p1,
        "region": world.grid,
        "title": "市场门口暴露垃圾",
        "source": TicketSource.OFFICE,
    }
    values.update(kw)
    return ticket_create(actor=actors["office"], category=category, now=at, photos=[jpeg()], **values)


def in_progress(
    actors: dict[str, Any], world: World, category: ProblemCategory, *, at: datetime = FRIDAY_4PM
) -> Ticket:
    """Dispatched to 市城管局 and accepted."""
    ticket = opened(actors, world, category, at=at)
    ticket_dispatch(ticket=ticket, actor=actors["office"], unit=world.unit_city, now=at)
    return ticket_accept(ticket=ticket, actor=actors["unit"], now=at + timedelta(minutes=10))


def test_the_whole_loop_closes_on_time(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = opened(actors, world, garbage)
    assert ticket.status == S.FILED
    assert ticket.number == "ZG-20261120-0001"
    ticket = ticket_dispatch(ticket=ticket, actor=actors["office"], unit=world.unit_city, now=FRIDAY_4PM)
    # 4 工作时 from Friday 16:00: 1.5 h on Friday (to 17:30), 2.5 h on Monday from 08:30.
    assert ticket.deadline == datetime(2026, 11, 23, 11, 0, tzinfo=TZ)
    assert ticket.status == S.DISPATCHED
    ticket = ticket_accept(ticket=ticket, actor=actors["unit"], now=FRIDAY_4PM + timedelta(minutes=5))
    assert (ticket.status, ticket.assignee) == (S.IN_PROGRESS, actors["unit"])
    monday = datetime(2026, 11, 23, 9, 30, tzinfo=TZ)
    ticket = ticket_submit(
        ticket=ticket, actor=actors["unit"], comment="已清运", photos=[jpeg("after.jpg", "green")], now=monday
    )
    assert ticket.status == S.SUBMITTED
    ticket = ticket_recheck(ticket=ticket, actor=actors["grid"], passed=True, now=monday + timedelta(hours=1))
    assert ticket.status == S.CLOSED
    assert ticket.closed_on_time is True
    actions = list(ticket.events.values_list("action", flat=True))
    assert actions == ["create", "dispatch", "accept", "submit", "pass"]
    kinds = sorted(ticket.photos.values_list("kind", flat=True))
    assert kinds == [PhotoKind.AFTER, PhotoKind.BEFORE]


def test_a_grid_workers_report_waits_for_filing(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = ticket_create(
        actor=actors["grid"],
        category=garbage,
        region=world.grid,
        title="垃圾桶满溢",
        source=TicketSource.PATROL,
    )
    assert ticket.status == S.REPORTED
    with pytest.raises(PermissionDenied):
        ticket_file(ticket=ticket, actor=actors["grid"])
    assert ticket_file(ticket=ticket, actor=actors["office"]).status == S.FILED


def test_reporting_outside_ones_grid_is_refused(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    with pytest.raises(PermissionDenied):
        ticket_create(
            actor=actors["grid"], category=garbage, region=world.grid2, title="x", source=TicketSource.PATROL
        )
    assert not Ticket.objects.exists()


def test_a_bad_photo_refuses_the_whole_report(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="不是可以打开的照片"):
        ticket_create(
            actor=actors["office"],
            category=garbage,
            region=world.grid,
            title="x",
            source="office",
            photos=[jpeg(), fake],
        )
    assert not Ticket.objects.exists()
    assert not TicketPhoto.objects.exists()


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (lambda t, a, w: ticket_accept(ticket=t, actor=a["unit"]), "不能签收"),
        (lambda t, a, w: ticket_file(ticket=t, actor=a["office"]), "不能立案"),
        (lambda t, a, w: ticket_dispatch(ticket=t, actor=a["office"], unit=w.unit_market), "不能派遣"),
        (lambda t, a, w: ticket_recheck(ticket=t, actor=a["office"], passed=True), "不能核查"),
        (lambda t, a, w: ticket_resume(ticket=t, actor=a["office"]), "不能恢复整改"),
    ],
)
def test_illegal_steps_say_why_and_change_nothing(
    actors: dict[str, Any], world: World, garbage: ProblemCategory, step: Any, message: str
) -> None:
    ticket = in_progress(actors, world, garbage)
    with pytest.raises(DomainError, match=message):
        step(ticket, actors, world)
    after = reload(ticket)
    assert (after.status, after.responsible_unit) == (S.IN_PROGRESS, world.unit_city)
    assert after.events.count() == 3


def test_only_the_office_dispatches_and_only_the_handler_accepts(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = opened(actors, world, garbage)
    for who in ["leader", "unit", "grid", "street"]:
        with pytest.raises(PermissionDenied):
            ticket_dispatch(ticket=ticket, actor=actors[who], unit=world.unit_city)
    ticket_dispatch(ticket=ticket, actor=actors["office"], unit=world.unit_city)
    with pytest.raises(PermissionDenied):
        ticket_accept(ticket=ticket, actor=actors["unit_other"])
    assert reload(ticket).status == S.DISPATCHED


def test_submitting_needs_an_after_photo(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = in_progress(actors, world, garbage)
    with pytest.raises(ValidationError, match="整改后照片"):
        ticket_submit(ticket=ticket, actor=actors["unit"], comment="好了", photos=[])
    assert reload(ticket).status == S.IN_PROGRESS


@pytest.mark.parametrize("who", ["unit", "grid2", "unit_other", "street"])
def test_recheck_is_independent_and_local(
    actors: dict[str, Any], world: World, garbage: ProblemCategory, who: str
) -> None:
    ticket = in_progress(actors, world, garbage)
    ticket_submit(ticket=ticket, actor=actors["unit"], comment="", photos=[jpeg()])
    with pytest.raises(PermissionDenied):
        ticket_recheck(ticket=ticket, actor=actors[who], passed=True)
    assert reload(ticket).status == S.SUBMITTED


def test_failed_recheck_sends_it_back_for_rework(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = in_progress(actors, world, garbage)
    ticket_submit(ticket=ticket, actor=actors["unit"], comment="", photos=[jpeg()])
    with pytest.raises(ValidationError, match="返工原因"):
        ticket_recheck(ticket=ticket, actor=actors["inspector"], passed=False, comment=" ")
    ticket = ticket_recheck(
        ticket=ticket, actor=actors["inspector"], passed=False, comment="仍有垃圾", photos=[jpeg()]
    )
    assert (ticket.status, ticket.rework_count, ticket.submitted_at) == (S.IN_PROGRESS, 1, None)
    assert ticket.events.last().comment == "仍有垃圾"


def test_return_goes_back_to_the_office_and_counts_against_the_unit(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = opened(actors, world, garbage)
    ticket_dispatch(ticket=ticket, actor=actors["office"], unit=world.unit_city)
    with pytest.raises(ValidationError, match="退回理由"):
        ticket_return(ticket=ticket, actor=actors["unit"], reason="")
    ticket = ticket_return(ticket=ticket, actor=actors["unit"], reason="属市场监管职责")
    assert (ticket.status, ticket.responsible_unit, ticket.return_count, ticket.deadline) == (
        S.FILED,
        None,
        1,
        None,
    )
    event = ticket.events.get(action=EventAction.RETURN)
    assert event.unit == world.unit_city
    # Re-routed; the first unit no longer sees it, the new one does.
    ticket_dispatch(ticket=ticket, actor=actors["office"], unit=world.unit_market)
    assert not Ticket.objects.visible_to(actors["unit"]).filter(pk=ticket.pk).exists()
    assert Ticket.objects.visible_to(actors["unit_other"]).filter(pk=ticket.pk).exists()


def test_extension_approved_replaces_the_deadline(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = in_progress(actors, world, garbage)
    later = datetime(2026, 11, 25, 17, 0, tzinfo=TZ)
    with pytest.raises(ValidationError, match="须晚于当前整改时限"):
        ticket_request_extension(ticket=ticket, actor=actors["unit"], until=FRIDAY_4PM, reason="x")
    ticket = ticket_request_extension(ticket=ticket, actor=actors["unit"], until=later, reason="需调运设备")
    with pytest.raises(DomainError, match="已有待审批"):
        ticket_request_extension(ticket=ticket, actor=actors["unit"], until=later, reason="again")
    with pytest.raises(PermissionDenied):
        ticket_decide_extension(ticket=ticket, actor=actors["unit"], approve=True)
    ticket = ticket_decide_extension(ticket=ticket, actor=actors["office"], approve=True)
    assert ticket.deadline == later
    assert ticket.extension_until is None


def test_refusing_an_extension_needs_a_reason_and_keeps_the_deadline(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = in_progress(actors, world, garbage)
    deadline = ticket.deadline
    ticket_request_extension(
        ticket=ticket, actor=actors["unit"], until=deadline + timedelta(days=3), reason="r"
    )
    with pytest.raises(ValidationError, match="不批准的理由"):
        ticket_decide_extension(ticket=ticket, actor=actors["office"], approve=False)
    ticket = ticket_decide_extension(
        ticket=ticket, actor=actors["office"], approve=False, comment="可当日完成"
    )
    assert (ticket.deadline, ticket.extension_until) == (deadline, None)


def test_shelving_pauses_the_clock_until_resumed(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = in_progress(
        actors, world, garbage
    )  # deadline Monday 11:00, 2.5 working hours left from Monday 08:30
    ticket = ticket_request_shelve(ticket=ticket, actor=actors["unit"], reason="需列入明年改造计划")
    ticket = ticket_decide_shelve(
        ticket=ticket, actor=actors["office"], approve=True, now=FRIDAY_4PM + timedelta(minutes=30)
    )
    assert ticket.status == S.SHELVED
    # Paused Friday 16:30 with 3.5 working hours left (1 h Friday + 2.5 h Monday); resumed Wednesday 09:00.
    resumed = datetime(2026, 11, 25, 9, 0, tzinfo=TZ)
    ticket = ticket_resume(ticket=ticket, actor=actors["office"], now=resumed)
    assert ticket.status == S.IN_PROGRESS
    # 3 h until the lunch break, the last 30 min after it.
    assert ticket.deadline == datetime(2026, 11, 25, 14, 0, tzinfo=TZ)


def test_void_needs_a_reason_and_cannot_touch_closed_tickets(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = opened(actors, world, garbage)
    with pytest.raises(ValidationError):
        ticket_void(ticket=ticket, actor=actors["office"], reason="")
    assert ticket_void(ticket=ticket, actor=actors["office"], reason="重复上报").status == S.VOID
    with pytest.raises(DomainError):
        ticket_void(ticket=ticket, actor=actors["office"], reason="again")


def test_supervision_only_goes_up_and_only_from_above(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = in_progress(actors, world, garbage)
    with pytest.raises(PermissionDenied):
        ticket_supervise(ticket=ticket, actor=actors["unit"], level=Supervision.RED)
    ticket = ticket_supervise(
        ticket=ticket, actor=actors["leader"], level=Supervision.RED, comment="市领导关注"
    )
    with pytest.raises(ValidationError, match="只能提高"):
        ticket_supervise(ticket=ticket, actor=actors["office"], level=Supervision.YELLOW)
    assert reload(ticket).supervision == Supervision.RED


def _closed_at(
    actors: dict[str, Any], world: World, category: ProblemCategory, when: datetime, **kw: Any
) -> Ticket:
    """A ticket closed at `when`."""
    ticket = opened(actors, world, category, at=when - timedelta(hours=2), **kw)
    ticket_dispatch(
        ticket=ticket, actor=actors["office"], unit=world.unit_city, now=when - timedelta(hours=2)
    )
    ticket_accept(ticket=ticket, actor=actors["unit"], now=when - timedelta(hours=2))
    ticket_submit(
        ticket=ticket, actor=actors["unit"], comment="", photos=[jpeg()], now=when - timedelta(hours=1)
    )
    return ticket_recheck(ticket=ticket, actor=actors["office"], passed=True, now=when)


def test_same_problem_at_the_same_point_within_30_days_is_a_recurrence(
    actors: dict[str, Any], world: World, garbage: ProblemCategory, food: ProblemCategory
) -> None:
    first = _closed_at(actors, world, garbage, FRIDAY_4PM)
    again = opened(actors, world, garbage, at=FRIDAY_4PM + timedelta(days=29))
    assert again.recurrence_of == first
    assert again.supervision == Supervision.YELLOW
    assert again.events.filter(action=EventAction.RECURRENCE, unit=world.unit_city).exists()
    other_kind = opened(actors, world, food, at=FRIDAY_4PM + timedelta(days=1))
    assert other_kind.recurrence_of is None
    too_late = opened(actors, world, garbage, at=FRIDAY_4PM + timedelta(days=31))
    assert too_late.recurrence_of is None


def test_without_a_point_recurrence_is_within_30_metres(
    actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    here = {"point": None, "lat": Decimal("30.250000"), "lng": Decimal("120.150000")}
    first = _closed_at(actors, world, garbage, FRIDAY_4PM, **here)
    near = opened(
        actors,
        world,
        garbage,
        at=FRIDAY_4PM + timedelta(days=2),
        point=None,
        lat=Decimal("30.250200"),
        lng=Decimal("120.150000"),
    )
    far = opened(
        actors,
        world,
        garbage,
        at=FRIDAY_4PM + timedelta(days=2),
        point=None,
        lat=Decimal("30.250500"),
        lng=Decimal("120.150000"),
    )
    assert near.recurrence_of == first  # about 22 m north
    assert far.recurrence_of is None  # about 56 m north


def test_numbers_run_per_day(actors: dict[str, Any], world: World, garbage: ProblemCategory) -> None:
    numbers = [opened(actors, world, garbage).number for _ in range(3)]
    numbers.append(opened(actors, world, garbage, at=FRIDAY_4PM + timedelta(days=1)).number)
    assert numbers == ["ZG-20261120-0001", "ZG-20261120-0002", "ZG-20261120-0003", "ZG-20261121-0001"]
