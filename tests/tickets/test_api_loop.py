"""/api/v1/tickets/: anonymous refused, the whole loop over HTTP, and the other steps (extension, shelving,
return, void, supervision).

Arranged through the services, acted through the API. The ticket sits at 东湖农贸市场 (p1) in 东湖1格, where
`grid` works; `grid2` works in 东湖2格.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.tickets.models import ProblemCategory, Supervision, Ticket, TicketSource, TicketStatus
from tests.api_errors import error_of, fields_of
from tests.conftest import World
from tests.tickets.conftest import (
    dispatched,
    in_progress,
    jpeg,
    messages,
    opened,
    snapshot,
    stored_files,
    url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]
S = TicketStatus


# --- anonymous ---


STEPS = [
    "file",
    "dispatch",
    "accept",
    "return",
    "submit",
    "recheck",
    "extension",
    "extension-decision",
    "shelve",
    "shelve-decision",
    "resume",
    "void",
    "supervise",
]


@pytest.mark.parametrize(
    ("method", "step"),
    [("get", ""), ("get", "events"), *[("post", step) for step in STEPS]],
)
def test_anonymous_gets_401_on_every_ticket_endpoint(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory, method: str, step: str
) -> None:
    ticket = opened(actors, world, garbage)
    before = snapshot(ticket)
    assert getattr(api("anon"), method)(url(ticket, step)).status_code == 401
    assert snapshot(ticket) == before


def test_anonymous_cannot_list_or_create(api: Any, world: World, garbage: ProblemCategory) -> None:
    client = api("anon")
    assert client.get("/api/v1/tickets/").status_code == 401
    data = {"source": "office", "category": garbage.pk, "title": "x", "region": world.grid.pk}
    assert client.post("/api/v1/tickets/", data, format="json").status_code == 401
    assert not Ticket.objects.exists()


# --- the whole loop ---


def test_the_whole_loop_through_the_api(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    office, unit, grid = api("office"), api("unit"), api("grid")
    created = office.post(
        "/api/v1/tickets/",
        {
            "source": "office",
            "category": garbage.pk,
            "title": "市场门口暴露垃圾",
            "description": "门口两袋垃圾",
            "region": world.grid.pk,
            "point": world.p1.pk,
            "photos": [jpeg("before.jpg")],
        },
        format="multipart",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    ticket_url = f"/api/v1/tickets/{body['id']}/"
    assert (body["status"], body["status_display"]) == ("filed", "待派遣")
    assert body["number"].startswith("ZG-")
    assert body["suggested_unit"] == {"id": world.unit_city.pk, "name": "市城管局"}
    assert body["allowed_actions"] == ["dispatch", "void", "supervise"]
    assert [(p["kind"], p["kind_display"]) for p in body["photos"]] == [("before", "整改前")]
    before = body["photos"][0]
    assert before["url"] == f"http://testserver/tickets/photos/{before['id']}/"
    assert before["thumb_url"] == f"http://testserver/tickets/photos/{before['id']}/?size=thumb"

    response = office.post(f"{ticket_url}dispatch/", {"unit": world.unit_city.pk, "comment": "请速办"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["responsible_unit"]["name"]) == ("dispatched", "市城管局")
    assert body["deadline"] is not None
    assert body["suggested_unit"] is None

    assert unit.get(ticket_url).json()["allowed_actions"] == ["accept", "return", "extension"]
    response = unit.post(f"{ticket_url}accept/")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["assignee_name"]) == ("in_progress", "t_unit")

    response = unit.post(
        f"{ticket_url}submit/",
        {"comment": "已清运", "photos": [jpeg("after.jpg", "green")]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    assert response.json()["allowed_actions"] == []  # the handler cannot re-check its own work

    assert grid.get(ticket_url).json()["allowed_actions"] == ["recheck"]
    response = grid.post(f"{ticket_url}recheck/", {"passed": "true", "comment": "已干净"}, format="multipart")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["status_display"]) == ("closed", "已销号")
    assert body["closed_on_time"] is True
    assert body["allowed_actions"] == []

    timeline = [
        (e["action"], e["action_display"], e["actor_name"], e["from_status_display"], e["to_status_display"])
        for e in body["events"]
    ]
    assert timeline == [
        ("create", "上报", "t_office", "", "待派遣"),
        ("dispatch", "派遣", "t_office", "待派遣", "待签收"),
        ("accept", "签收", "t_unit", "待签收", "整改中"),
        ("submit", "提交整改", "t_unit", "整改中", "待核查"),
        ("pass", "核查通过（销号）", "t_grid", "待核查", "已销号"),
    ]
    assert body["events"][1]["comment"].startswith("派遣至 市城管局，整改时限 ")
    assert body["events"][1]["comment"].endswith("。请速办")
    submit_event = body["events"][3]
    assert submit_event["comment"] == "已清运"
    assert len(submit_event["photos"]) == 1
    after = submit_event["photos"][0]
    assert after["url"] == f"http://testserver/tickets/photos/{after['id']}/"
    assert after["thumb_url"] == f"{after['url']}?size=thumb"
    assert sorted(p["kind"] for p in body["photos"]) == ["after", "before"]
    assert len(stored_files()) == 2

    ticket = Ticket.objects.get(pk=body["id"])
    assert (ticket.status, ticket.assignee, ticket.closed_at is not None) == (S.CLOSED, actors["unit"], True)
    assert grid.get(f"{ticket_url}events/").json() == body["events"]


def test_a_grid_workers_report_waits_for_filing_and_suggests_a_unit(
    api: Any, world: World, food: ProblemCategory
) -> None:
    response = api("grid").post(
        "/api/v1/tickets/",
        {
            "source": "patrol",
            "category": food.pk,
            "title": "面馆无防蝇设施",
            "region": world.grid.pk,
            # What a phone's geolocation gives: more decimals than the column keeps.
            "lat": "30.250000123456",
            "lng": "120.149999987654",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["status_display"]) == ("reported", "待立案")
    assert body["suggested_unit"] == {"id": world.unit_market.pk, "name": "市市场监督管理局"}
    assert (body["lat"], body["lng"]) == ("30.250000", "120.150000")
    assert body["reporter_name"] == "t_grid"
    assert body["allowed_actions"] == []
    office_view = api("office").get(f"/api/v1/tickets/{body['id']}/").json()
    assert office_view["allowed_actions"] == ["file", "dispatch", "void", "supervise"]


def test_filing_a_report_moves_it_to_waiting_for_dispatch(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = opened(actors, world, garbage, actor=actors["grid"], source=TicketSource.PATROL)
    response = api("office").post(url(ticket, "file"), {"comment": "属实"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "filed"
    assert response.json()["events"][-1]["comment"] == "属实"


@pytest.mark.parametrize(
    ("name", "region", "status", "message"),
    [
        ("grid", "grid2", 403, "您不能在该区域上报问题。"),
        ("unit", "grid", 403, "您不能在该区域上报问题。"),
        ("street_other", "grid", 403, "您不能在该区域上报问题。"),
        ("street", "grid3", 201, None),
        ("inspector", "grid4", 201, None),
    ],
)
def test_who_may_report_where(
    api: Any,
    world: World,
    garbage: ProblemCategory,
    name: str,
    region: str,
    status: int,
    message: str | None,
) -> None:
    data = {
        "source": "patrol",
        "category": garbage.pk,
        "title": "暴露垃圾",
        "region": getattr(world, region).pk,
    }
    response = api(name).post("/api/v1/tickets/", data, format="json")
    assert response.status_code == status, response.content
    assert Ticket.objects.count() == (1 if status == 201 else 0)
    if message:
        assert error_of(response)["detail"] == message


def test_reporting_under_a_main_category_or_without_a_title_is_a_400(
    api: Any, world: World, garbage: ProblemCategory
) -> None:
    client = api("office")
    data = {"source": "office", "category": garbage.parent_id, "title": "x", "region": world.grid.pk}
    response = client.post("/api/v1/tickets/", data, format="json")
    assert response.status_code == 400
    assert fields_of(response) == {"category": ["请选择一个启用中的问题小类。"]}
    response = client.post("/api/v1/tickets/", {**data, "category": garbage.pk, "title": ""}, format="json")
    assert response.status_code == 400
    assert "title" in fields_of(response)
    assert not Ticket.objects.exists()


# --- the other steps ---


def test_extension_requested_by_the_unit_and_approved_by_the_office(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = in_progress(actors, world, garbage)
    assert ticket.deadline is not None
    until = timezone.localtime(ticket.deadline + timedelta(days=7)).replace(microsecond=0)
    response = api("unit").post(
        url(ticket, "extension"), {"until": until.isoformat(), "reason": "连续降雨"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["extension_reason"] == "连续降雨"
    assert "extension" not in body["allowed_actions"]
    assert "extension-decision" in api("office").get(url(ticket)).json()["allowed_actions"]

    response = api("office").post(url(ticket, "extension-decision"), {"approve": True}, format="json")
    assert response.status_code == 200, response.content
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert (fresh.deadline, fresh.extension_until) == (until, None)
    assert response.json()["events"][-1]["action_display"] == "批准延期"


def test_shelving_needs_approval_and_resuming_brings_it_back(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = in_progress(actors, world, garbage)
    response = api("unit").post(url(ticket, "shelve"), {"reason": "需列入明年预算"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["shelve_requested"] is True
    office = api("office")
    response = office.post(
        url(ticket, "shelve-decision"), {"approve": True, "comment": "同意"}, format="json"
    )
    assert response.json()["status_display"] == "挂账"
    assert response.json()["allowed_actions"] == ["resume", "void", "supervise"]
    response = office.post(url(ticket, "resume"), {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"


def test_the_unit_returns_a_ticket_that_is_not_its_own_and_then_no_longer_sees_it(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = dispatched(actors, world, garbage)
    client = api("unit")
    response = client.post(url(ticket, "return"), {"reason": "属市场监管职责"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["responsible_unit"], body["return_count"]) == ("filed", None, 1)
    assert body["allowed_actions"] == []
    assert client.get(url(ticket)).status_code == 404


def test_void_and_supervise(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = in_progress(actors, world, garbage)
    response = api("leader").post(
        url(ticket, "supervise"), {"level": Supervision.RED, "comment": "三天内办结"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["supervision"], response.json()["supervision_display"]) == (2, "红牌")
    response = api("leader").post(url(ticket, "supervise"), {"level": Supervision.YELLOW}, format="json")
    assert response.status_code == 400
    assert "督办级别只能提高" in messages(response)
    response = api("office").post(url(ticket, "void"), {"reason": "重复上报"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status_display"], response.json()["events"][-1]["comment"]) == (
        "已作废",
        "重复上报",
    )
