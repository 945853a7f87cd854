"""Ticket pages: the whole loop through the pages, reporting, and each step's refusals and reasons."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.tickets.models import (
    EventAction,
    PhotoKind,
    ProblemCategory,
    Supervision,
    Ticket,
    TicketSource,
    TicketStatus,
)
from apps.tickets.services import ticket_accept, ticket_submit
from tests.conftest import World
from tests.tickets.conftest import dispatched, filed, jpeg, page_text, reload

pytestmark = pytest.mark.usefixtures("media_in_tmp")
S = TicketStatus


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
    # Each step shows the photos taken at it: the after-photo under 提交整改.
    after = closed.photos.get(kind=PhotoKind.AFTER)
    submit_step = timeline.split('class="ev-submit"')[1].split("</li>")[0]
    assert f'href="{reverse("tickets:photo", args=[after.pk])}"' in submit_step


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
