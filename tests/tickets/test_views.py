"""Ticket pages: the access matrix on every page, the whole loop through the pages, bulk dispatch, the Excel
export, the working lists and query counts."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from apps.tickets.models import (
    EventAction,
    PhotoKind,
    ProblemCategory,
    RoutingRule,
    Supervision,
    Ticket,
    TicketPhoto,
    TicketSource,
    TicketStatus,
)
from apps.tickets.services import ticket_accept, ticket_create, ticket_dispatch, ticket_recheck, ticket_submit
from tests.conftest import World

S = TicketStatus
ALL = ["office", "leader", "inspector", "unit", "unit_other", "street", "community", "grid", "grid2"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def garbage(db: Any) -> ProblemCategory:
    """市容环境 / 暴露垃圾: 4 工作时, normally 城管 (so it routes to 市城管局)."""
    parent = ProblemCategory.objects.create(code="V-SR", name="市容环境", default_unit_type="urban_mgmt")
    return ProblemCategory.objects.create(
        code="V-SR-01", name="暴露垃圾", parent=parent, deadline_value=4, deadline_unit="work_hour"
    )


@pytest.fixture
def food(garbage: ProblemCategory) -> ProblemCategory:
    """食品 / 三防缺失: 2 工作日, no unit type of its own and no rule (so no routing suggestion)."""
    parent = ProblemCategory.objects.create(code="V-SP", name="食品安全")
    return ProblemCategory.objects.create(
        code="V-SP-01", name="三防缺失", parent=parent, deadline_value=2, deadline_unit="work_day"
    )


def jpeg(name: str = "photo.jpg", colour: str = "red") -> SimpleUploadedFile:
    """A real JPEG, as a phone camera would send."""
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def filed(actors: dict[str, Any], world: World, category: ProblemCategory, **kw: Any) -> Ticket:
    """The office reports a problem at 东湖农贸市场 (p1 in 东湖1格): it waits at 待派遣."""
    values: dict[str, Any] = {"region": world.grid, "point": world.p1, "title": "市场门口暴露垃圾"}
    values.update(kw)
    return ticket_create(actor=actors["office"], source=TicketSource.OFFICE, category=category, **values)


def dispatched(actors: dict[str, Any], world: World, category: ProblemCategory, **kw: Any) -> Ticket:
    """Filed and dispatched to 市城管局."""
    ticket = filed(actors, world, category, **kw)
    return ticket_dispatch(ticket=ticket, actor=actors["office"], unit=world.unit_city)


def reload(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def page_text(response: Any) -> str:
    return response.content.decode()


# --- access matrix ----------------------------------------------------------------------------------


def _urls(ticket: Ticket) -> dict[str, str]:
    return {
        "list": reverse("tickets:list"),
        "create": reverse("tickets:create"),
        "detail": reverse("tickets:detail", args=[ticket.pk]),
        "inbox": reverse("tickets:inbox"),
        "overdue": reverse("tickets:overdue"),
        "shelf": reverse("tickets:shelf"),
        "export": reverse("tickets:export"),
    }


@pytest.mark.parametrize("name", ["list", "create", "detail", "inbox", "overdue", "shelf", "export"])
def test_anonymous_is_sent_to_login(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, name: str
) -> None:
    response = login("anon").get(_urls(filed(actors, world, garbage))[name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_cannot_act(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = filed(actors, world, garbage)
    url = reverse("tickets:act", args=[ticket.pk, "dispatch"])
    response = login("anon").post(url, {"unit": world.unit_city.pk})
    assert response.status_code == 302
    assert reload(ticket).status == S.FILED


@pytest.mark.parametrize("who", ALL)
@pytest.mark.parametrize("name", ["list", "shelf", "export"])
def test_everyone_signed_in_reads_the_list_shelf_and_export(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, who: str, name: str
) -> None:
    assert login(who).get(_urls(filed(actors, world, garbage))[name]).status_code == 200


@pytest.mark.parametrize("who", ["office", "leader", "inspector", "unit", "street", "community", "grid"])
def test_those_who_see_the_ticket_open_it(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, who: str
) -> None:
    ticket = dispatched(actors, world, garbage)
    assert login(who).get(reverse("tickets:detail", args=[ticket.pk])).status_code == 200


@pytest.mark.parametrize("who", ["grid2", "unit_other", "street_other"])
def test_outsiders_get_404_on_the_ticket_its_actions_and_its_photos(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, who: str
) -> None:
    ticket = dispatched(actors, world, garbage)
    photo = TicketPhoto.objects.create(ticket=ticket, kind=PhotoKind.BEFORE, image="x.jpg", width=1, height=1)
    client = login(who)
    assert client.get(reverse("tickets:detail", args=[ticket.pk])).status_code == 404
    assert client.post(reverse("tickets:act", args=[ticket.pk, "accept"])).status_code == 404
    assert client.get(reverse("tickets:photo", args=[photo.pk])).status_code == 404
    assert reload(ticket).status == S.DISPATCHED


@pytest.mark.parametrize("who", ["office", "leader", "inspector", "street", "community", "grid"])
def test_those_who_may_report_get_the_form(login: Any, world: World, who: str) -> None:
    assert login(who).get(reverse("tickets:create")).status_code == 200


def test_unit_staff_may_not_report(login: Any, world: World) -> None:
    assert login("unit").get(reverse("tickets:create")).status_code == 403


@pytest.mark.parametrize(
    ("who", "status"), [("unit", 200), ("unit_other", 200), ("office", 403), ("grid", 403)]
)
def test_the_inbox_is_for_unit_staff(login: Any, world: World, who: str, status: int) -> None:
    assert login(who).get(reverse("tickets:inbox")).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("office", 200), ("leader", 200), ("inspector", 200), ("unit", 403), ("street", 403), ("grid", 403)],
)
def test_the_overdue_board_is_for_the_city_view(login: Any, world: World, who: str, status: int) -> None:
    assert login(who).get(reverse("tickets:overdue")).status_code == status


def test_a_leader_posting_dispatch_gets_403_and_nothing_changes(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = filed(actors, world, garbage)
    client = login("leader")
    url = reverse("tickets:act", args=[ticket.pk, "dispatch"])
    assert client.post(url, {"unit": world.unit_city.pk}).status_code == 403
    assert client.post(url, {}).status_code == 403  # an incomplete post is refused the same way
    after = reload(ticket)
    assert (after.status, after.responsible_unit) == (S.FILED, None)
    assert after.events.count() == 1


def test_the_detail_page_offers_exactly_the_allowed_actions(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = filed(actors, world, garbage)
    url = reverse("tickets:detail", args=[ticket.pk])
    office = page_text(login("office").get(url))
    leader = page_text(login("leader").get(url))
    assert 'id="act-dispatch"' in office
    assert 'id="act-void"' in office
    assert 'id="act-supervise"' in office
    assert "派遣建议：<strong>市城管局</strong>" in office
    assert 'id="act-dispatch"' not in leader
    assert 'id="act-supervise"' in leader
    assert 'id="act-' not in page_text(login("grid").get(url))


# --- the loop through the pages ---------------------------------------------------------------------


def test_the_whole_loop_through_the_pages(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    office = login("office")
    response = office.post(
        reverse("tickets:create"),
        {
            "source": TicketSource.OFFICE,
            "category": garbage.pk,
            "title": "农贸市场门口垃圾堆积",
            "description": "门口东侧约两立方米",
            "region": world.grid.pk,
            "point": world.p1.pk,
            "address": "东湖农贸市场东门",
            "lat": "30.123456",
            "lng": "120.654321",
            "photos": [jpeg("before.jpg")],
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    assert ticket.status == S.FILED  # the office's own report is already 立案
    assert ticket.photos.get().kind == PhotoKind.BEFORE

    detail = reverse("tickets:detail", args=[ticket.pk])
    page = page_text(office.get(detail))
    assert "uri.amap.com/marker?position=120.654321,30.123456" in page
    assert "coordinate=wgs84" in page
    assert '<script src="http' not in page  # no external map scripts or tiles

    response = office.post(
        reverse("tickets:act", args=[ticket.pk, "dispatch"]), {"unit": world.unit_city.pk}, follow=True
    )
    assert "已派遣至 市城管局" in page_text(response)
    assert reload(ticket).status == S.DISPATCHED

    unit = login("unit")
    inbox = page_text(unit.get(reverse("tickets:inbox")))
    assert ticket.number in inbox
    unit.post(reverse("tickets:act", args=[ticket.pk, "accept"]))
    assert reload(ticket).status == S.IN_PROGRESS
    response = unit.post(
        reverse("tickets:act", args=[ticket.pk, "submit"]),
        {"comment": "已清运并冲洗地面", "photos": [jpeg("after.jpg", "green")]},
        follow=True,
    )
    assert "已提交整改，等待核查" in page_text(response)
    assert reload(ticket).status == S.SUBMITTED

    grid = login("grid")
    assert 'id="act-recheck"' in page_text(grid.get(detail))
    response = grid.post(reverse("tickets:act", args=[ticket.pk, "recheck"]), {"passed": "1"}, follow=True)
    assert "核查通过，工单已销号" in page_text(response)
    closed = reload(ticket)
    assert closed.status == S.CLOSED
    assert list(closed.events.values_list("action", flat=True)) == [
        EventAction.CREATE,
        EventAction.DISPATCH,
        EventAction.ACCEPT,
        EventAction.SUBMIT,
        EventAction.PASS,
    ]
    timeline = page_text(office.get(detail))
    for label in ("上报", "派遣", "签收", "提交整改", "核查通过（销号）"):
        assert label in timeline
    assert sorted(closed.photos.values_list("kind", flat=True)) == [PhotoKind.AFTER, PhotoKind.BEFORE]


def test_photos_are_served_to_those_who_see_the_ticket(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = filed(actors, world, garbage, photos=[jpeg()])
    photo = ticket.photos.get()
    response = login("grid").get(reverse("tickets:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_a_grid_worker_reports_only_in_their_grid(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    client = login("grid")
    form = client.get(reverse("tickets:create")).context["form"]
    assert list(form.fields["region"].queryset) == [world.grid]
    assert "source" not in form.fields
    response = client.post(
        reverse("tickets:create"), {"category": garbage.pk, "title": "垃圾桶满溢", "region": world.grid2.pk}
    )
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    client.post(
        reverse("tickets:create"), {"category": garbage.pk, "title": "垃圾桶满溢", "region": world.grid.pk}
    )
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.source, ticket.reporter) == (
        S.REPORTED,
        TicketSource.PATROL,
        actors["grid"],
    )


def test_the_report_form_offers_only_leaf_categories_grouped_by_their_parent(
    login: Any, world: World, garbage: ProblemCategory
) -> None:
    form = login("street").get(reverse("tickets:create")).context["form"]
    assert form.fields["category"].choices == [
        ("", "请选择问题小类"),
        ("市容环境", [(garbage.pk, "暴露垃圾")]),
    ]
    page = page_text(login("street").get(reverse("tickets:create")))
    assert 'capture="environment"' in page
    assert 'accept="image/*"' in page


def test_a_step_in_the_wrong_state_says_why_and_changes_nothing(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = dispatched(actors, world, garbage)
    url = reverse("tickets:act", args=[ticket.pk, "dispatch"])
    response = login("office").post(url, {"unit": world.unit_market.pk}, follow=True)
    assert "不能派遣" in page_text(response)
    after = reload(ticket)
    assert (after.status, after.responsible_unit) == (S.DISPATCHED, world.unit_city)


def test_returning_needs_a_reason_and_then_leaves_the_unit(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = dispatched(actors, world, garbage)
    client = login("unit")
    url = reverse("tickets:act", args=[ticket.pk, "return"])
    response = client.post(url, {"reason": "  "}, follow=True)
    assert "退回理由：该字段是必填项" in page_text(response)
    assert reload(ticket).status == S.DISPATCHED
    response = client.post(url, {"reason": "属于市场监管职责"})
    assert response["Location"] == reverse("tickets:inbox")  # the ticket is no longer the unit's to see
    assert reload(ticket).status == S.FILED


def test_submitting_without_a_photo_is_refused(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = dispatched(actors, world, garbage)
    ticket_accept(ticket=ticket, actor=actors["unit"])
    login("unit").post(reverse("tickets:act", args=[ticket.pk, "submit"]), {"comment": "已整改"})
    assert reload(ticket).status == S.IN_PROGRESS


def test_rework_needs_a_reason(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = dispatched(actors, world, garbage)
    ticket_accept(ticket=ticket, actor=actors["unit"])
    ticket_submit(ticket=ticket, actor=actors["unit"], comment="已整改", photos=[jpeg()])
    client = login("inspector")
    url = reverse("tickets:act", args=[ticket.pk, "recheck"])
    response = client.post(url, {"passed": "0"}, follow=True)
    assert "请填写返工原因" in page_text(response)
    assert reload(ticket).status == S.SUBMITTED
    client.post(url, {"passed": "0", "comment": "地面仍有残留", "photos": [jpeg("check.jpg", "blue")]})
    after = reload(ticket)
    assert (after.status, after.rework_count) == (S.IN_PROGRESS, 1)
    assert after.photos.filter(kind=PhotoKind.CHECK).count() == 1


def test_extension_is_asked_for_and_approved(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = dispatched(actors, world, garbage)
    until = timezone.localtime(ticket.deadline + timedelta(days=3))
    login("unit").post(
        reverse("tickets:act", args=[ticket.pk, "extension"]),
        {"until": until.strftime("%Y-%m-%dT%H:%M"), "reason": "需协调环卫车辆"},
    )
    assert reload(ticket).extension_until is not None
    page = page_text(login("office").get(reverse("tickets:detail", args=[ticket.pk])))
    assert "需协调环卫车辆" in page
    login("office").post(reverse("tickets:act", args=[ticket.pk, "extension-decision"]), {"approve": "1"})
    after = reload(ticket)
    assert after.deadline == until.replace(second=0, microsecond=0)
    assert after.extension_until is None


def test_a_leader_raises_supervision(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = dispatched(actors, world, garbage)
    response = login("leader").post(
        reverse("tickets:act", args=[ticket.pk, "supervise"]), {"level": Supervision.RED}, follow=True
    )
    assert "已提级为「红牌」" in page_text(response)
    assert reload(ticket).supervision == Supervision.RED


def test_an_unknown_action_is_404(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    ticket = filed(actors, world, garbage)
    assert login("office").post(reverse("tickets:act", args=[ticket.pk, "explode"])).status_code == 404


# --- the list: filters, bulk dispatch, export ----------------------------------------------------------


def test_filters_narrow_the_list(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, food: ProblemCategory
) -> None:
    rubbish = dispatched(actors, world, garbage, title="暴露垃圾一处")
    kitchen = filed(actors, world, food, title="后厨无防蝇设施", region=world.grid4, point=world.p4)
    Ticket.objects.filter(pk=rubbish.pk).update(deadline=timezone.now() - timedelta(hours=1))
    client = login("office")

    def numbers(query: str) -> set[str]:
        return {t.number for t in client.get(f"{reverse('tickets:list')}?{query}").context["page"]}

    assert numbers(f"category={garbage.parent_id}") == {rubbish.number}  # a 大类 includes its 小类
    assert numbers(f"category={food.pk}") == {kitchen.number}
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
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, food: ProblemCategory
) -> None:
    routed = filed(actors, world, garbage, title="甲")
    unrouted = filed(actors, world, food, title="乙")
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
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, food: ProblemCategory
) -> None:
    tickets = [filed(actors, world, garbage), filed(actors, world, food)]
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
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory, food: ProblemCategory
) -> None:
    rubbish = dispatched(actors, world, garbage, title="暴露垃圾一处")
    filed(actors, world, food, title="后厨无防蝇设施")
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
    """How many SQL queries one GET of the page runs."""
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


# --- routing rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "inspector", "unit", "street", "grid"])
def test_only_the_office_manages_routing_rules(
    login: Any, world: World, garbage: ProblemCategory, who: str
) -> None:
    client = login(who)
    assert client.get(reverse("tickets:rules")).status_code == 403
    data = {"category": garbage.pk, "region": world.street.pk, "unit": world.unit_market.pk}
    assert client.post(reverse("tickets:rules"), data).status_code == 403
    assert not RoutingRule.objects.exists()


def test_a_rule_changes_the_suggestion_and_can_be_removed(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    client = login("office")
    data = {"category": garbage.parent_id, "region": world.street.pk, "unit": world.unit_market.pk}
    assert client.post(reverse("tickets:rules"), data).status_code == 302
    assert client.post(reverse("tickets:rules"), data).status_code == 200  # the same pair twice is refused
    rule = RoutingRule.objects.get()
    ticket = filed(actors, world, garbage)
    page = page_text(client.get(reverse("tickets:detail", args=[ticket.pk])))
    assert "派遣建议：<strong>市市场监督管理局</strong>" in page
    assert "市市场监督管理局" in page_text(client.get(reverse("tickets:rules")))
    client.post(reverse("tickets:rule_delete", args=[rule.pk]))
    assert not RoutingRule.objects.exists()


def test_a_recurrence_links_back_to_the_ticket_it_repeats(
    login: Any, actors: dict[str, Any], world: World, garbage: ProblemCategory
) -> None:
    first = dispatched(actors, world, garbage)
    ticket_accept(ticket=first, actor=actors["unit"])
    ticket_submit(ticket=first, actor=actors["unit"], comment="已清运", photos=[jpeg()])
    ticket_recheck(ticket=first, actor=actors["grid"], passed=True)
    again = filed(actors, world, garbage, title="又有垃圾")
    assert again.recurrence_of == first
    client = login("office")
    page = page_text(client.get(reverse("tickets:detail", args=[again.pk])))
    assert f'反弹自 <a href="{reverse("tickets:detail", args=[first.pk])}">{first.number}' in page
    assert '<span class="tag sup-1">黄牌</span>' in page
    assert again.number in page_text(client.get(reverse("tickets:detail", args=[first.pk])))
