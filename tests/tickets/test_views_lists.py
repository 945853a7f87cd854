"""Ticket pages: the list's filters, bulk dispatch and Excel export, the working lists, flat query counts."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.tickets.models import ProblemCategory, Supervision, Ticket, TicketStatus
from apps.tickets.services import ticket_accept, ticket_dispatch
from tests.conftest import World
from tests.tickets.conftest import dispatched, filed, page_text, reload

pytestmark = pytest.mark.usefixtures("media_in_tmp")
S = TicketStatus


# --- the list: filters, bulk dispatch, export ----------------------------------------------------------


def test_filters_narrow_the_list(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, food_unrouted: ProblemCategory
) -> None:
    rubbish = dispatched(actors, world, garbage, title="暴露垃圾一处")
    kitchen = filed(actors, world, food_unrouted, title="后厨无防蝇设施", region=world.grid4, point=world.p4)
    Ticket.objects.filter(pk=rubbish.pk).update(deadline=timezone.now() - timedelta(hours=1))
    client = login("office")

    def numbers(query: str) -> set[str]:
        return {t.number for t in client.get(f"{reverse('tickets:list')}?{query}").context["page"]}

    assert numbers(f"category={garbage.parent_id}") == {rubbish.number}  # a 大类 includes its 小类
    assert numbers(f"category={food_unrouted.pk}") == {kitchen.number}
    assert numbers("overdue=true") == {rubbish.number}
    assert numbers("overdue=false") == {kitchen.number}
    assert numbers("status=filed") == {kitchen.number}
    assert numbers(f"region={world.street_b.pk}") == {kitchen.number}
    assert numbers(f"unit={world.unit_city.pk}") == {rubbish.number}
    assert numbers("q=后厨") == {kitchen.number}
    assert numbers(f"q={rubbish.number}") == {rubbish.number}
    today = timezone.localdate().isoformat()
    assert numbers(f"since={today}&until={today}") == {rubbish.number, kitchen.number}


def test_an_htmx_filter_gets_only_the_results(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    filed(actors, world, garbage)
    response = login("office").get(reverse("tickets:list"), HTTP_HX_REQUEST="true")
    page = page_text(response)
    assert "<table" in page
    assert "<html" not in page


def test_the_list_shows_supervision_and_overdue(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = dispatched(actors, world, garbage)
    Ticket.objects.filter(pk=ticket.pk).update(
        deadline=timezone.now() - timedelta(hours=2), supervision=Supervision.YELLOW
    )
    page = page_text(login("street").get(reverse("tickets:list")))
    assert '<span class="tag sup-1">黄牌</span>' in page
    assert "已超期" in page


def test_the_grid_worker_sees_only_their_grids_tickets(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    mine = filed(actors, world, garbage)
    other = filed(actors, world, garbage, region=world.grid2, point=world.p2)
    shown = {t.pk for t in login("grid").get(reverse("tickets:list")).context["page"]}
    assert shown == {mine.pk}
    assert other.pk not in {t.pk for t in login("unit").get(reverse("tickets:list")).context["page"]}


def test_bulk_dispatch_reports_each_ticket(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, food_unrouted: ProblemCategory
) -> None:
    routed = filed(actors, world, garbage, title="甲")
    unrouted = filed(actors, world, food_unrouted, title="乙")
    already = dispatched(actors, world, garbage, title="丙")
    response = login("office").post(
        reverse("tickets:bulk_dispatch"),
        {"tickets": [routed.pk, unrouted.pk, already.pk], "next": reverse("tickets:list")},
        follow=True,
    )
    page = page_text(response)
    assert f"已派遣 1 件工单：{routed.number} → 市城管局" in page
    assert f"{unrouted.number}：没有派遣建议" in page
    assert f"{already.number}：当前为「待签收」，未派遣" in page
    assert (reload(routed).status, reload(routed).responsible_unit) == (S.DISPATCHED, world.unit_city)
    assert reload(unrouted).status == S.FILED


def test_bulk_dispatch_to_one_chosen_unit(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, food_unrouted: ProblemCategory
) -> None:
    tickets = [filed(actors, world, garbage), filed(actors, world, food_unrouted)]
    login("office").post(
        reverse("tickets:bulk_dispatch"), {"tickets": [t.pk for t in tickets], "unit": world.unit_market.pk}
    )
    assert {reload(t).responsible_unit for t in tickets} == {world.unit_market}


@pytest.mark.parametrize("who", ["leader", "inspector", "unit", "grid"])
def test_only_the_office_bulk_dispatches(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, who: str
) -> None:
    ticket = filed(actors, world, garbage)
    assert login(who).post(reverse("tickets:bulk_dispatch"), {"tickets": [ticket.pk]}).status_code == 403
    assert reload(ticket).status == S.FILED


def test_bulk_dispatch_skips_tickets_the_office_cannot_see(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    response = login("office").post(reverse("tickets:bulk_dispatch"), {"tickets": [999999]}, follow=True)
    assert response.status_code == 200
    assert "已派遣" not in page_text(response)


def test_the_export_opens_in_excel_with_the_filtered_rows(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, food_unrouted: ProblemCategory
) -> None:
    rubbish = dispatched(actors, world, garbage, title="暴露垃圾一处")
    filed(actors, world, food_unrouted, title="后厨无防蝇设施")
    response = login("office").get(f"{reverse('tickets:export')}?category={garbage.parent_id}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    header = rows[0]
    assert header[0] == "工单编号"
    assert len(rows) == 2
    row = dict(zip(header, rows[1], strict=True))
    assert row["工单编号"] == rubbish.number
    assert row["责任单位"] == "市城管局"
    assert row["状态"] == "待签收"
    assert "上报" in row["处理过程"]
    assert "派遣" in row["处理过程"]
    assert row["上报时间"].tzinfo is None  # Excel has no time zones: local wall-clock time


def test_the_export_respects_visibility(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    filed(actors, world, garbage)
    filed(actors, world, garbage, region=world.grid2, point=world.p2)
    response = login("grid").get(reverse("tickets:export"))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows())
    assert len(rows) == 2  # the header and the one ticket in 东湖1格


# --- working lists ----------------------------------------------------------------------------------


def test_the_inbox_sorts_the_units_tickets_into_sections(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    def due_in(delta: timedelta, title: str) -> Ticket:
        ticket = filed(actors, world, garbage, title=title)
        deadline = timezone.now() + delta
        return ticket_dispatch(ticket=ticket, actor=actors["office"], unit=world.unit_city, deadline=deadline)

    waiting = due_in(timedelta(days=30), "待签收的")
    working = due_in(timedelta(days=30), "整改中的")
    ticket_accept(ticket=working, actor=actors["unit"])
    # Within one working day whatever the time now: one working day is at least 7.5 hours of clock time.
    soon = due_in(timedelta(hours=1), "快到期的")
    sections = {s["key"]: s for s in login("unit").get(reverse("tickets:inbox")).context["sections"]}
    assert {t.pk for t in sections["dispatched"]["tickets"]} == {waiting.pk, soon.pk}
    assert {t.pk for t in sections["in_progress"]["tickets"]} == {working.pk}
    assert {t.pk for t in sections["soon"]["tickets"]} == {soon.pk}
    assert [s["count"] for s in sections.values()] == [2, 1, 1]
    assert login("unit_other").get(reverse("tickets:inbox")).context["counts"]["dispatched"] == 0


def test_the_overdue_board_counts_by_unit_most_overdue_first(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    a, b = dispatched(actors, world, garbage), dispatched(actors, world, garbage)
    on_time = dispatched(actors, world, garbage)
    now = timezone.now()
    Ticket.objects.filter(pk=a.pk).update(deadline=now - timedelta(hours=1), supervision=Supervision.RED)
    Ticket.objects.filter(pk=b.pk).update(deadline=now - timedelta(days=2))
    response = login("leader").get(reverse("tickets:overdue"))
    assert [t.pk for t in response.context["page"]] == [b.pk, a.pk]
    (unit_row,) = response.context["by_unit"]
    assert (unit_row["responsible_unit__name"], unit_row["total"], unit_row["red"]) == ("市城管局", 2, 1)
    assert on_time.number not in page_text(response)


def test_the_shelf_lists_requests_and_shelved_tickets(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = dispatched(actors, world, garbage)
    ticket_accept(ticket=ticket, actor=actors["unit"])
    login("unit").post(reverse("tickets:act", args=[ticket.pk, "shelve"]), {"reason": "需列入明年预算改造"})
    assert [t.pk for t in login("office").get(reverse("tickets:shelf")).context["requests"]] == [ticket.pk]
    login("office").post(reverse("tickets:act", args=[ticket.pk, "shelve-decision"]), {"approve": "1"})
    response = login("unit").get(reverse("tickets:shelf"))
    assert [t.pk for t in response.context["page"]] == [ticket.pk]
    assert "需列入明年预算改造" in page_text(response)
    assert login("unit_other").get(reverse("tickets:shelf")).context["page"].paginator.count == 0


# --- query counts -----------------------------------------------------------------------------------


def _queries(client: Any, url: str) -> int:
    """How many SQL queries one GET of the page runs, nothing remembered (apps/core/numbers.py)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["office", "street", "unit"])
def test_list_and_board_queries_do_not_grow_with_tickets(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, who: str
) -> None:
    first = dispatched(actors, world, garbage)
    # Overdue from the start, so every page already shows rows (an empty page skips its row query).
    Ticket.objects.filter(pk=first.pk).update(deadline=timezone.now() - timedelta(hours=1))
    client = login(who)
    pages = [reverse("tickets:list")]
    pages.append(reverse("tickets:inbox") if who == "unit" else reverse("tickets:list") + "?overdue=true")
    if who == "office":
        pages.append(reverse("tickets:overdue"))
    few = [_queries(client, url) for url in pages]
    for index in range(9):
        ticket = dispatched(actors, world, garbage, title=f"第{index}件")
        if index % 2:
            Ticket.objects.filter(pk=ticket.pk).update(deadline=timezone.now() - timedelta(hours=index))
    assert Ticket.objects.count() == 10
    assert [_queries(client, url) for url in pages] == few


def test_shelf_queries_do_not_grow_with_tickets(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    def shelve_one() -> None:
        ticket = dispatched(actors, world, garbage)
        Ticket.objects.filter(pk=ticket.pk).update(status=S.SHELVED, paused_at=timezone.now())
        requested = dispatched(actors, world, garbage)
        Ticket.objects.filter(pk=requested.pk).update(shelve_requested=True, shelve_reason="等预算")

    shelve_one()
    client = login("office")
    few = _queries(client, reverse("tickets:shelf"))
    for _ in range(9):
        shelve_one()
    assert _queries(client, reverse("tickets:shelf")) == few


def test_export_queries_do_not_grow_with_tickets(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    dispatched(actors, world, garbage)
    client = login("office")
    few = _queries(client, reverse("tickets:export"))
    for index in range(9):
        dispatched(actors, world, garbage, title=f"第{index}件")
    assert _queries(client, reverse("tickets:export")) == few


def test_the_list_total_is_remembered_until_a_ticket_changes(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    dispatched(actors, world, garbage)
    client = login("office")
    url = reverse("tickets:list")
    cold = _queries(client, url)
    with CaptureQueriesContext(connection) as warm:
        assert "共 1 条" in page_text(client.get(url))
    assert len(warm) < cold  # the total, the choices: remembered
    dispatched(actors, world, garbage, title="又一件")
    assert "共 2 条" in page_text(client.get(url))  # a new ticket is counted at once


def test_a_title_is_escaped_in_its_row(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    dispatched(actors, world, garbage, title="<script>alert(1)</script>")
    body = login("office").get(reverse("tickets:list")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
