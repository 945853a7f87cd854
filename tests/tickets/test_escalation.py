"""The deadline watch: 80 % warning, 黄牌 when overdue, 红牌 when overdue by the allowed time again, on the
working calendar; once only, never lowering, shelved tickets left alone.

暴露垃圾 allows 4 工作时 (240 min). Dispatched Friday 20 Nov 2026 16:00: 90 min on Friday, the rest on Monday
from 08:30, so the deadline is Monday 11:00; 80 % (192 min) is used at Monday 10:12; and 240 working minutes
past the deadline (60 before lunch, 180 after 13:30) end at Monday 16:30.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.calendars.worktime import work_calendar
from apps.notifications.models import Notification
from apps.tickets.models import EventAction, Supervision, Ticket, TicketEvent, TicketStatus
from apps.tickets.services import ticket_decide_extension, ticket_request_extension, ticket_supervise
from apps.tickets.services.escalation import EscalationResult, _candidates, _Watch, tickets_escalate
from apps.tickets.tasks import escalate_tickets
from tests.accounts.factories import make_user
from tests.conftest import World
from tests.tickets.conftest import reload
from tests.tickets.factories import Categories, at, dispatched, in_progress, shelved, submit

pytestmark = pytest.mark.usefixtures("media_in_tmp")

FRIDAY_4PM = at(20, 16)


def run(time_machine: Any, when: datetime) -> EscalationResult:
    """One beat run with the clock stopped at `when`."""
    time_machine.move_to(when, tick=False)
    return tickets_escalate()


def watch_notes() -> Any:
    """The notifications the overdue watch sends (the steps' own hand-over notices are left out)."""
    return Notification.objects.filter(kind__in=["ticket_due_soon", "ticket_yellow", "ticket_red"])


def system_events(ticket: Ticket) -> list[tuple[str, str]]:
    """(action, comment) of the steps the system took."""
    return list(ticket.events.filter(actor__isnull=True).values_list("action", "comment"))


@pytest.fixture
def garbage_ticket(actors: dict[str, User], world: World, categories: Categories) -> Ticket:
    """暴露垃圾 dispatched to 市城管局 on Friday 16:00 and accepted: deadline Monday 11:00."""
    ticket = in_progress(actors, world, categories.garbage, when=FRIDAY_4PM)
    assert ticket.deadline == at(23, 11)
    assert ticket.allowed_minutes == 240
    return ticket


def test_nothing_happens_while_plenty_of_time_is_left(time_machine: Any, garbage_ticket: Ticket) -> None:
    result = run(time_machine, at(20, 17))
    assert (result.checked, result.warned, result.yellow, result.red) == (1, [], [], [])
    assert reload(garbage_ticket).warned_at is None
    assert not watch_notes().exists()


def test_a_warning_goes_out_once_80_percent_of_the_working_time_is_used(
    time_machine: Any, actors: dict[str, User], garbage_ticket: Ticket
) -> None:
    assert run(time_machine, at(23, 10, 11)).warned == []  # 191 of 240 minutes used
    result = run(time_machine, at(23, 10, 12))
    assert result.warned == [garbage_ticket.pk]
    ticket = reload(garbage_ticket)
    assert ticket.warned_at == at(23, 10, 12)
    assert ticket.supervision == Supervision.NORMAL
    [(action, comment)] = system_events(ticket)
    assert action == EventAction.WARN
    assert "2026-11-23 11:00 到期，剩余工作时间约 48 分钟" in comment
    note = watch_notes().get()
    assert note.recipient == actors["unit"]
    assert note.kind == "ticket_due_soon"
    assert note.link == reverse("tickets:detail", args=[ticket.pk]) == f"/tickets/{ticket.pk}/"
    assert note.dedupe_key == f"ticket-{ticket.pk}-warn-202611231100"
    assert ticket.number in note.title


def test_weekend_time_is_not_counted(time_machine: Any, garbage_ticket: Ticket) -> None:
    saturday = run(time_machine, at(21, 12))
    assert (saturday.warned, saturday.yellow) == ([], [])
    run(time_machine, at(23, 11))  # due this minute, not yet overdue
    assert reload(garbage_ticket).supervision == Supervision.NORMAL
    assert run(time_machine, at(23, 11, 1)).yellow == [garbage_ticket.pk]


def test_holiday_time_is_not_counted(
    time_machine: Any, actors: dict[str, User], world: World, categories: Categories
) -> None:
    # 国庆 2026: 1–7 October off. 90 minutes on Wednesday 30 September, the other 150 on Thursday 8 October.
    ticket = dispatched(actors, world, categories.garbage, when=at(30, 16, month=9))
    assert ticket.deadline == at(8, 11, month=10)
    holiday = run(time_machine, at(7, 23, month=10))
    assert (holiday.warned, holiday.yellow, holiday.red) == ([], [], [])
    assert run(time_machine, at(8, 11, 1, month=10)).yellow == [ticket.pk]


def test_overdue_ticket_escalates_to_yellow(
    time_machine: Any, actors: dict[str, User], garbage_ticket: Ticket
) -> None:
    result = run(time_machine, at(23, 11, 30))
    assert (result.yellow, result.red) == ([garbage_ticket.pk], [])
    ticket = reload(garbage_ticket)
    assert ticket.supervision == Supervision.YELLOW
    assert ticket.status == TicketStatus.IN_PROGRESS  # the unit still holds it
    event = ticket.events.get(action=EventAction.ESCALATE)
    assert event.actor is None
    assert event.unit == ticket.responsible_unit
    assert "督办由普通升为黄牌" in event.comment
    note = watch_notes().get(kind="ticket_yellow")
    assert (note.recipient, note.dedupe_key) == (actors["unit"], f"ticket-{ticket.pk}-yellow")


def test_overdue_by_the_allowed_time_again_escalates_to_red(
    time_machine: Any, actors: dict[str, User], garbage_ticket: Ticket
) -> None:
    run(time_machine, at(23, 11, 1))
    assert run(time_machine, at(23, 16, 29)).red == []  # 239 working minutes late
    assert reload(garbage_ticket).supervision == Supervision.YELLOW
    assert run(time_machine, at(23, 16, 30)).red == [garbage_ticket.pk]
    ticket = reload(garbage_ticket)
    assert ticket.supervision == Supervision.RED
    comments = [comment for action, comment in system_events(ticket) if action == EventAction.ESCALATE]
    assert len(comments) == 2
    assert "已过 4 小时（按工作时间计），不少于处置时限 4 小时，系统将督办由黄牌升为红牌" in comments[1]
    assert watch_notes().filter(recipient=actors["unit"], kind="ticket_red").count() == 1


def test_a_ticket_found_long_overdue_goes_straight_to_red_in_one_step(
    time_machine: Any, garbage_ticket: Ticket
) -> None:
    result = run(time_machine, at(25, 9))  # the beat was down for two days
    assert (result.yellow, result.red) == ([], [garbage_ticket.pk])
    [(action, comment)] = system_events(reload(garbage_ticket))
    assert action == EventAction.ESCALATE
    assert "督办由普通升为红牌" in comment
    assert list(watch_notes().values_list("kind", flat=True)) == ["ticket_red"]


def test_a_second_run_changes_and_sends_nothing(time_machine: Any, garbage_ticket: Ticket) -> None:
    for when in (at(23, 10, 12), at(23, 11, 1), at(23, 16, 30)):
        first = run(time_machine, when)
        assert first.warned or first.yellow or first.red
        events, notes = TicketEvent.objects.count(), watch_notes().count()
        again = run(time_machine, when)
        assert (again.warned, again.yellow, again.red, again.notifications) == ([], [], [], 0)
        assert (TicketEvent.objects.count(), watch_notes().count()) == (events, notes)


def test_a_concurrent_run_working_from_the_same_read_changes_nothing(
    time_machine: Any, garbage_ticket: Ticket
) -> None:
    time_machine.move_to(at(23, 11, 1), tick=False)
    stale = list(_candidates(at(23, 11, 1)))  # another beat process read the same rows
    assert tickets_escalate().yellow == [garbage_ticket.pk]
    late = _Watch(at(23, 11, 1))
    for ticket in stale:
        late.check(ticket)
    assert late.result.yellow == []
    assert reload(garbage_ticket).events.filter(action=EventAction.ESCALATE).count() == 1
    assert watch_notes().count() == 1


def test_shelved_and_submitted_tickets_are_left_alone(
    time_machine: Any, actors: dict[str, User], world: World, categories: Categories
) -> None:
    on_shelf = shelved(
        actors, in_progress(actors, world, categories.garbage, when=FRIDAY_4PM), when=at(23, 9)
    )
    waiting_check = submit(
        actors, in_progress(actors, world, categories.garbage, when=FRIDAY_4PM), when=at(23, 9)
    )
    result = run(time_machine, at(27, 12))
    assert (result.checked, result.warned, result.yellow, result.red) == (0, [], [], [])
    for ticket in (on_shelf, waiting_check):
        ticket = reload(ticket)
        assert (ticket.supervision, ticket.warned_at) == (Supervision.NORMAL, None)
        assert system_events(ticket) == []


def test_supervision_is_never_lowered_and_listed_tickets_are_untouched(
    time_machine: Any, actors: dict[str, User], world: World, categories: Categories
) -> None:
    listed, red, yellow = (in_progress(actors, world, categories.garbage, when=FRIDAY_4PM) for _ in range(3))
    for ticket, level in ((listed, Supervision.LISTED), (red, Supervision.RED), (yellow, Supervision.YELLOW)):
        ticket_supervise(ticket=ticket, actor=actors["leader"], level=level, now=at(23, 9))
    assert run(time_machine, at(23, 12)).yellow == []  # 黄牌 already: nothing to raise
    assert run(time_machine, at(25, 12)).red == [yellow.pk]
    assert reload(listed).supervision == Supervision.LISTED
    assert reload(red).supervision == Supervision.RED
    assert not TicketEvent.objects.filter(ticket__in=[listed, red], action=EventAction.ESCALATE).exists()


def test_an_extension_earns_a_fresh_warning_for_the_new_deadline(
    time_machine: Any, actors: dict[str, User], garbage_ticket: Ticket
) -> None:
    run(time_machine, at(23, 10, 12))
    ticket_request_extension(
        ticket=garbage_ticket, actor=actors["unit"], until=at(24, 11), reason="需调派车辆", now=at(23, 10, 20)
    )
    ticket = ticket_decide_extension(
        ticket=garbage_ticket, actor=actors["office"], approve=True, now=at(23, 10, 30)
    )
    # 240 + 450 (Monday 11:00 → Tuesday 11:00) = 690 minutes; a fifth is 138, left from Tuesday 08:42.
    assert (ticket.allowed_minutes, ticket.warned_at) == (690, None)
    assert run(time_machine, at(23, 17)).warned == []
    assert run(time_machine, at(24, 8, 42)).warned == [ticket.pk]
    keys = set(watch_notes().values_list("dedupe_key", flat=True))
    assert keys == {f"ticket-{ticket.pk}-warn-202611231100", f"ticket-{ticket.pk}-warn-202611241100"}


def test_only_the_units_active_staff_accounts_are_told(
    time_machine: Any, actors: dict[str, User], world: World, garbage_ticket: Ticket
) -> None:
    colleague = make_user(Role.UNIT, unit=world.unit_city)
    gone = make_user(Role.UNIT, unit=world.unit_city)
    gone.is_active = False
    gone.save()
    result = run(time_machine, at(23, 11, 1))
    recipients = set(watch_notes().values_list("recipient", flat=True))
    assert recipients == {actors["unit"].pk, colleague.pk}
    assert result.notifications == 2


def test_the_watch_costs_one_query_however_many_tickets_are_not_due(
    time_machine: Any,
    actors: dict[str, User],
    world: World,
    categories: Categories,
    django_assert_num_queries: Any,
) -> None:
    for _ in range(5):
        dispatched(actors, world, categories.food_safety, when=FRIDAY_4PM)
    time_machine.move_to(at(23, 9), tick=False)
    work_calendar()  # the calendar snapshot is read once per change of the table, not per run
    with django_assert_num_queries(1):
        result = tickets_escalate()
    assert (result.checked, result.warned) == (5, [])


def test_the_beat_task_runs_the_watch_and_is_scheduled(time_machine: Any, garbage_ticket: Ticket) -> None:
    time_machine.move_to(at(23, 11, 1), tick=False)
    assert escalate_tickets() == {"checked": 1, "warned": 0, "yellow": 1, "red": 0, "notifications": 1}
    entry = settings.CELERY_BEAT_SCHEDULE["tickets-escalate"]
    assert entry == {"task": escalate_tickets.name, "schedule": 15 * 60}
    assert escalate_tickets.name == "apps.tickets.tasks.escalate_tickets"
