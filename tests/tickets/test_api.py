"""/api/v1/tickets/: the whole loop over HTTP, who may take each step, illegal steps, bad photos, filters and
flat query counts.

Arranged through the services, acted through the API. The problem categories are made here (not by a shared
factory), so this file stands on its own. The ticket sits at 东湖农贸市场 (p1) in 东湖1格, where `grid` works;
`grid2` works in 东湖2格.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.tickets.models import (
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
    ticket_decide_shelve,
    ticket_dispatch,
    ticket_request_extension,
    ticket_request_shelve,
    ticket_submit,
)
from tests.api_errors import error_of, fields_of
from tests.conftest import World

pytestmark = pytest.mark.django_db
S = TicketStatus


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def garbage(db: Any) -> ProblemCategory:
    """市容环境 / 暴露垃圾: 4 工作时, normally 城管."""
    parent = ProblemCategory.objects.create(code="T-SR", name="市容环境", default_unit_type="urban_mgmt")
    return ProblemCategory.objects.create(
        code="T-SR-01", name="暴露垃圾", parent=parent, deadline_value=4, deadline_unit="work_hour"
    )


@pytest.fixture
def litter(garbage: ProblemCategory) -> ProblemCategory:
    """市容环境 / 乱扔杂物: a second 小类 under the same 大类 (1 工作日)."""
    return ProblemCategory.objects.create(
        code="T-SR-02", name="乱扔杂物", parent=garbage.parent, deadline_value=1, deadline_unit="work_day"
    )


@pytest.fixture
def food(garbage: ProblemCategory) -> ProblemCategory:
    """食品 / 三防缺失: 2 工作日, normally 市场监管."""
    parent = ProblemCategory.objects.create(code="T-SP", name="食品", default_unit_type="market")
    return ProblemCategory.objects.create(
        code="T-SP-01", name="三防缺失", parent=parent, deadline_value=2, deadline_unit="work_day"
    )


@pytest.fixture
def api(actors: dict[str, User]) -> Any:
    """An API client with the named actor's token (anonymous for 'anon').

    The token is made directly: signing in through `auth/token/` for every actor would trip its throttle.
    """

    def _api(name: str) -> APIClient:
        client = APIClient()
        if name != "anon":
            token, _ = Token.objects.get_or_create(user=actors[name])
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _api


def jpeg(name: str = "photo.jpg", colour: str = "red") -> SimpleUploadedFile:
    """A real JPEG, as a phone camera would send."""
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def text_named_jpg(name: str = "after.jpg") -> SimpleUploadedFile:
    """A text file with a photo's name and content type."""
    return SimpleUploadedFile(name, b"this is not a photo at all\n" * 20, content_type="image/jpeg")


def stored_files() -> list[Path]:
    """Every file under MEDIA_ROOT (a per-test tmp dir)."""
    root = Path(django_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def messages(response: Any) -> str:
    """All error text in a response body, for asserting on the Chinese message."""
    return str(response.json())


def url(ticket: Ticket, step: str = "") -> str:
    """The ticket's detail URL, or one of its steps."""
    return f"/api/v1/tickets/{ticket.pk}/" + (f"{step}/" if step else "")


def opened(actors: dict[str, User], world: World, category: ProblemCategory, **kw: Any) -> Ticket:
    """The office files a problem at 东湖农贸市场 with one before-photo: 待派遣."""
    values: dict[str, Any] = {
        "actor": actors["office"],
        "category": category,
        "region": world.grid,
        "point": world.p1,
        "title": "市场门口暴露垃圾",
        "source": TicketSource.OFFICE,
        "photos": [jpeg("before.jpg")],
    }
    return ticket_create(**{**values, **kw})


def dispatched(actors: dict[str, User], world: World, category: ProblemCategory, **kw: Any) -> Ticket:
    """Sent to 市城管局: 待签收."""
    return ticket_dispatch(
        ticket=opened(actors, world, category, **kw), actor=actors["office"], unit=world.unit_city
    )


def in_progress(actors: dict[str, User], world: World, category: ProblemCategory, **kw: Any) -> Ticket:
    """Accepted by 市城管局: 整改中."""
    return ticket_accept(ticket=dispatched(actors, world, category, **kw), actor=actors["unit"])


def submitted(actors: dict[str, User], world: World, category: ProblemCategory) -> Ticket:
    """The fix reported with an after-photo: 待核查."""
    ticket = in_progress(actors, world, category)
    return ticket_submit(ticket=ticket, actor=actors["unit"], comment="已清运", photos=[jpeg("after.jpg")])


def snapshot(ticket: Ticket) -> tuple[Any, ...]:
    """What a refused step must leave as it was."""
    fresh = Ticket.objects.get(pk=ticket.pk)
    return (
        fresh.status,
        fresh.responsible_unit_id,
        fresh.assignee_id,
        fresh.deadline,
        fresh.extension_until,
        fresh.shelve_requested,
        fresh.supervision,
        fresh.events.count(),
        fresh.photos.count(),
        len(stored_files()),
    )


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


# --- reading: who sees what ---


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anon", 401),
        ("unit_other", 404),
        ("grid2", 404),
        ("street_other", 404),
        ("unit", 200),
        ("grid", 200),
        ("street", 200),
        ("community", 200),
        ("leader", 200),
        ("inspector", 200),
        ("office", 200),
    ],
)
def test_ticket_detail_access(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory, name: str, status: int
) -> None:
    ticket = dispatched(actors, world, garbage)
    assert api(name).get(url(ticket)).status_code == status
    assert api(name).get(url(ticket, "events")).status_code == status


@pytest.mark.parametrize(
    ("name", "sees"),
    [
        ("office", {"p1", "p2", "p4"}),
        ("leader", {"p1", "p2", "p4"}),
        ("unit", {"p1"}),
        ("unit_other", {"p2"}),
        ("grid", {"p1"}),
        ("grid2", {"p2"}),
        ("street", {"p1", "p2"}),
        ("street_other", {"p4"}),
    ],
)
def test_ticket_list_is_scoped_by_visibility(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory, name: str, sees: set[str]
) -> None:
    dispatched(actors, world, garbage, point=world.p1, region=world.grid, title="p1")
    ticket = opened(actors, world, garbage, point=world.p2, region=world.grid2, title="p2")
    ticket_dispatch(ticket=ticket, actor=actors["office"], unit=world.unit_market)
    opened(actors, world, garbage, point=world.p4, region=world.grid4, title="p4")
    titles = {row["title"] for row in api(name).get("/api/v1/tickets/").json()["results"]}
    assert titles == sees


def test_list_rows_carry_labels_and_refs(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = dispatched(actors, world, garbage)
    [row] = api("unit").get("/api/v1/tickets/").json()["results"]
    assert row["id"] == ticket.pk
    assert row["category"] == {
        "id": garbage.pk,
        "code": "T-SR-01",
        "name": "暴露垃圾",
        "parent_name": "市容环境",
    }
    assert row["region"] == {"id": world.grid.pk, "name": "东湖1格", "level": "grid"}
    assert row["point"] == {"id": world.p1.pk, "name": "东湖农贸市场"}
    assert row["responsible_unit"] == {"id": world.unit_city.pk, "name": "市城管局"}
    assert (row["source_display"], row["status_display"], row["supervision_display"]) == (
        "创卫办发现",
        "待签收",
        "普通",
    )
    assert row["is_overdue"] is False
    assert "events" not in row


def test_tickets_cannot_be_edited_or_deleted_directly(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = opened(actors, world, garbage)
    client = api("office")
    assert client.patch(url(ticket), {"title": "改"}, format="json").status_code == 405
    assert client.delete(url(ticket)).status_code == 405
    assert Ticket.objects.get().title == "市场门口暴露垃圾"


# --- who may take each step ---


@pytest.mark.parametrize(
    ("state", "name", "step", "data", "status", "message"),
    [
        # Only the office dispatches; a leader sees the ticket but may not.
        ("filed", "leader", "dispatch", {"unit": "city"}, 403, "只有创卫办可以执行此操作。"),
        ("filed", "inspector", "file", {}, 403, "只有创卫办可以执行此操作。"),
        # Before dispatch the unit has no part in the ticket, so it does not even see it.
        ("filed", "unit", "dispatch", {"unit": "city"}, 404, None),
        ("dispatched", "unit_other", "accept", {}, 404, None),
        ("dispatched", "office", "accept", {}, 403, "只有承办该工单的责任单位可以执行此操作。"),
        (
            "dispatched",
            "street",
            "return",
            {"reason": "不归我管"},
            403,
            "只有承办该工单的责任单位可以执行此操作。",
        ),
        (
            "in_progress",
            "office",
            "submit",
            {"photos": "jpeg"},
            403,
            "只有承办该工单的责任单位可以执行此操作。",
        ),
        (
            "in_progress",
            "inspector",
            "extension",
            {"until": "later", "reason": "下雨"},
            403,
            "只有承办该工单的责任单位可以执行此操作。",
        ),
        (
            "in_progress",
            "grid",
            "shelve",
            {"reason": "缺资金"},
            403,
            "只有承办该工单的责任单位可以执行此操作。",
        ),
        ("in_progress", "leader", "void", {"reason": "重复"}, 403, "只有创卫办可以执行此操作。"),
        ("in_progress", "unit", "supervise", {"level": 1}, 403, "只有创卫办或市领导可以提级督办。"),
        ("in_progress", "unit_other", "supervise", {"level": 1}, 404, None),
        ("extension", "unit", "extension-decision", {"approve": True}, 403, "只有创卫办可以执行此操作。"),
        ("shelve", "unit", "shelve-decision", {"approve": True}, 403, "只有创卫办可以执行此操作。"),
        ("shelved", "unit", "resume", {}, 403, "只有创卫办可以执行此操作。"),
        # 核查 is independent: never the handling unit itself, nor a leader or street staff who see it.
        ("submitted", "unit", "recheck", {"passed": True}, 403, "不能由承办单位自己核查"),
        (
            "submitted",
            "leader",
            "recheck",
            {"passed": True},
            403,
            "只有创卫办、督查员或该网格的网格员可以核查",
        ),
        (
            "submitted",
            "street",
            "recheck",
            {"passed": True},
            403,
            "只有创卫办、督查员或该网格的网格员可以核查",
        ),
        # grid2 works in 东湖2格: a 东湖1格 ticket is outside what it sees: 404 before any permission check.
        ("submitted", "grid2", "recheck", {"passed": True}, 404, None),
    ],
)
def test_a_step_by_someone_not_allowed_is_refused_and_changes_nothing(
    api: Any,
    actors: dict[str, User],
    world: World,
    garbage: ProblemCategory,
    state: str,
    name: str,
    step: str,
    data: dict[str, Any],
    status: int,
    message: str | None,
) -> None:
    ticket = _in_state(state, actors, world, garbage)
    before = snapshot(ticket)
    response = _post_step(api(name), ticket, step, data, world)
    assert response.status_code == status, response.content
    if message:
        assert message in response.json()["detail"]
    assert snapshot(ticket) == before


def _in_state(state: str, actors: dict[str, User], world: World, category: ProblemCategory) -> Ticket:
    """A ticket brought to the named state through the services."""
    if state == "filed":
        return opened(actors, world, category)
    if state == "dispatched":
        return dispatched(actors, world, category)
    if state == "submitted":
        return submitted(actors, world, category)
    ticket = in_progress(actors, world, category)
    unit = actors["unit"]
    if state == "extension":
        assert ticket.deadline is not None
        ticket_request_extension(
            ticket=ticket, actor=unit, until=ticket.deadline + timedelta(days=3), reason="雨"
        )
    elif state in ("shelve", "shelved"):
        ticket_request_shelve(ticket=ticket, actor=unit, reason="需列入明年预算")
        if state == "shelved":
            ticket_decide_shelve(ticket=ticket, actor=actors["office"], approve=True)
    return Ticket.objects.get(pk=ticket.pk)


def _post_step(client: APIClient, ticket: Ticket, step: str, data: dict[str, Any], world: World) -> Any:
    """POST a step; placeholders "city" (a unit), "later" (past the deadline), "jpeg" become real values."""
    values = dict(data)
    if values.get("unit") == "city":
        values["unit"] = world.unit_city.pk
    if values.get("until") == "later":
        assert ticket.deadline is not None
        values["until"] = (ticket.deadline + timedelta(days=3)).isoformat()
    if values.get("photos") == "jpeg":
        values["photos"] = [jpeg()]
        return client.post(url(ticket, step), values, format="multipart")
    return client.post(url(ticket, step), values, format="json")


# --- illegal steps ---


def test_accepting_twice_is_a_400_that_names_the_state(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = dispatched(actors, world, garbage)
    client = api("unit")
    assert client.post(url(ticket, "accept")).status_code == 200
    before = snapshot(ticket)
    response = client.post(url(ticket, "accept"))
    assert response.status_code == 400
    assert error_of(response)["detail"] == "工单当前为「整改中」，不能签收（仅限待签收）。"
    assert snapshot(ticket) == before


def test_submitting_without_a_photo_is_a_400(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = in_progress(actors, world, garbage)
    before = snapshot(ticket)
    response = api("unit").post(url(ticket, "submit"), {"comment": "好了"}, format="multipart")
    assert response.status_code == 400
    assert fields_of(response) == {"photos": ["请上传至少一张整改后照片。"]}
    assert snapshot(ticket) == before


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("recheck", {"passed": True}, "工单当前为「整改中」，不能核查（仅限待核查）。"),
        ("dispatch", {"unit": "city"}, "工单当前为「整改中」，不能派遣（仅限待立案、待派遣）。"),
        ("file", {}, "不能立案"),
        ("resume", {}, "不能恢复整改"),
        ("extension-decision", {"approve": True}, "该工单没有待审批的延期申请。"),
        ("shelve-decision", {"approve": False, "comment": "不行"}, "该工单没有待审批的挂账申请。"),
    ],
)
def test_a_step_the_state_does_not_allow_is_a_400_and_changes_nothing(
    api: Any,
    actors: dict[str, User],
    world: World,
    garbage: ProblemCategory,
    step: str,
    data: dict[str, Any],
    message: str,
) -> None:
    ticket = in_progress(actors, world, garbage)
    before = snapshot(ticket)
    response = _post_step(api("office"), ticket, step, data, world)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert snapshot(ticket) == before


def test_closed_tickets_cannot_be_voided_or_supervised(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = submitted(actors, world, garbage)
    assert api("inspector").post(url(ticket, "recheck"), {"passed": True}, format="json").status_code == 200
    before = snapshot(ticket)
    response = api("office").post(url(ticket, "void"), {"reason": "重复"}, format="json")
    assert response.status_code == 400
    assert "不能作废" in response.json()["detail"]
    response = api("leader").post(url(ticket, "supervise"), {"level": 2}, format="json")
    assert error_of(response)["detail"] == "已销号或作废的工单不能督办。"
    assert snapshot(ticket) == before


def test_recheck_needs_an_explicit_verdict_and_a_reason_to_fail(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = submitted(actors, world, garbage)
    client = api("grid")
    before = snapshot(ticket)
    # A form without `passed` is not read as "not passed" (as a missing checkbox would be).
    response = client.post(url(ticket, "recheck"), {"comment": "仍有垃圾"}, format="multipart")
    assert response.status_code == 400
    assert "passed" in fields_of(response)
    response = client.post(url(ticket, "recheck"), {"passed": "false", "comment": " "}, format="multipart")
    assert response.status_code == 400
    assert "返工原因" in messages(response)
    assert snapshot(ticket) == before

    response = client.post(
        url(ticket, "recheck"),
        {"passed": "false", "comment": "仍有垃圾", "photos": [jpeg()]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["rework_count"]) == ("in_progress", 1)
    assert body["events"][-1]["action_display"] == "核查不通过（返工）"
    assert len(body["events"][-1]["photos"]) == 1
    assert [p["kind"] for p in body["photos"]].count("check") == 1


@pytest.mark.parametrize(
    ("step", "field"), [("return", "reason"), ("shelve", "reason"), ("extension", "until")]
)
def test_missing_step_input_is_a_400(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory, step: str, field: str
) -> None:
    ticket = in_progress(actors, world, garbage)
    before = snapshot(ticket)
    response = api("unit").post(url(ticket, step), {}, format="json")
    assert response.status_code == 400
    assert field in fields_of(response)
    assert snapshot(ticket) == before


def test_a_blank_reason_is_refused_with_what_is_missing(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = in_progress(actors, world, garbage)
    before = snapshot(ticket)
    response = api("unit").post(url(ticket, "return"), {"reason": "  "}, format="json")
    assert response.status_code == 400
    assert "请填写退回理由" in messages(response)
    assert snapshot(ticket) == before


# --- bad photos ---


def test_a_text_file_named_jpg_is_refused_and_nothing_is_stored(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = in_progress(actors, world, garbage)
    before = snapshot(ticket)
    response = api("unit").post(
        url(ticket, "submit"),
        {"comment": "好了", "photos": [jpeg("a.jpg"), text_named_jpg()]},
        format="multipart",
    )
    assert response.status_code == 400
    assert "「after.jpg」不是可以打开的照片" in messages(response)
    assert snapshot(ticket) == before
    assert TicketPhoto.objects.filter(kind=PhotoKind.AFTER).count() == 0


def test_an_oversized_photo_is_refused_and_nothing_is_stored(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory, settings: Any
) -> None:
    ticket = in_progress(actors, world, garbage)
    before = snapshot(ticket)
    settings.PHOTO_MAX_BYTES = 200
    response = api("unit").post(
        url(ticket, "submit"), {"comment": "好了", "photos": [jpeg("big.jpg")]}, format="multipart"
    )
    assert response.status_code == 400
    assert "「big.jpg」大小为" in messages(response)
    assert "超过照片上限" in messages(response)
    assert snapshot(ticket) == before


def test_a_bad_photo_refuses_the_whole_report(api: Any, world: World, garbage: ProblemCategory) -> None:
    data = {
        "source": "office",
        "category": garbage.pk,
        "title": "暴露垃圾",
        "region": world.grid.pk,
        "photos": [jpeg("good.jpg"), text_named_jpg("bad.jpg")],
    }
    response = api("office").post("/api/v1/tickets/", data, format="multipart")
    assert response.status_code == 400
    assert "「bad.jpg」不是可以打开的照片" in messages(response)
    assert not Ticket.objects.exists()
    assert stored_files() == []


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


# --- filters ---


@pytest.fixture
def spread(
    actors: dict[str, User],
    world: World,
    garbage: ProblemCategory,
    litter: ProblemCategory,
    food: ProblemCategory,
) -> dict[str, Ticket]:
    """Five tickets across categories, places, units, states and sources."""
    office = actors["office"]
    a = in_progress(actors, world, garbage, title="A 垃圾")
    b = opened(
        actors, world, litter, title="B 杂物", point=world.p3, region=world.grid3, source=TicketSource.MEDIA
    )
    c = opened(actors, world, food, title="C 三防", point=world.p4, region=world.grid4)
    ticket_dispatch(ticket=c, actor=office, unit=world.unit_market)
    # Dispatched a month ago with a 4 工作时 limit: long overdue.
    d = opened(actors, world, garbage, title="D 超期", point=world.p2, region=world.grid2)
    ticket_dispatch(ticket=d, actor=office, unit=world.unit_city, now=timezone.now() - timedelta(days=30))
    e = opened(actors, world, garbage, title="E 旧", source=TicketSource.COMPLAINT)
    Ticket.objects.filter(pk=e.pk).update(
        created_at=timezone.now() - timedelta(days=10), supervision=Supervision.YELLOW
    )
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "abcde"),
        ("?status=filed", "be"),
        ("?status=filed&status=dispatched", "bcde"),
        ("?overdue=true", "d"),
        ("?overdue=false", "abce"),
        ("?supervision=1", "e"),
        ("?source=media", "b"),
        ("?q=三防", "c"),
        ("?q=ZG-", "abcde"),
        ("?unit={unit_market}", "c"),
        ("?unit={unit_city}", "ad"),
        ("?region={street}", "abde"),
        ("?region={community}", "ade"),
        ("?region={grid4}", "c"),
        ("?region=999999", ""),
        ("?category={garbage}", "ade"),
        ("?category={main}", "abde"),
        ("?category={food}", "c"),
        ("?created_before={ten_days_ago}", "e"),
        ("?created_after={today}", "abcd"),
        ("?ordering=created_at", "eabcd"),
    ],
)
def test_list_filters(
    api: Any,
    world: World,
    garbage: ProblemCategory,
    food: ProblemCategory,
    spread: dict[str, Ticket],
    query: str,
    expected: str,
) -> None:
    today = timezone.localdate()
    query = query.format(
        unit_market=world.unit_market.pk,
        unit_city=world.unit_city.pk,
        street=world.street.pk,
        community=world.community.pk,
        grid4=world.grid4.pk,
        garbage=garbage.pk,
        main=garbage.parent_id,
        food=food.pk,
        today=today.isoformat(),
        ten_days_ago=(today - timedelta(days=10)).isoformat(),
    )
    response = api("office").get(f"/api/v1/tickets/{query}")
    assert response.status_code == 200, response.content
    ids = [row["id"] for row in response.json()["results"]]
    names = {ticket.pk: name for name, ticket in spread.items()}
    found = "".join(names[pk] for pk in ids)
    assert (found if "ordering" in query else "".join(sorted(found))) == expected


def test_the_overdue_flag_in_the_list(api: Any, spread: dict[str, Ticket]) -> None:
    rows = {
        row["title"]: row["is_overdue"] for row in api("office").get("/api/v1/tickets/").json()["results"]
    }
    assert rows == {"A 垃圾": False, "B 杂物": False, "C 三防": False, "D 超期": True, "E 旧": False}


def test_bad_filter_values_are_a_400(api: Any, spread: dict[str, Ticket]) -> None:
    client = api("office")
    assert client.get("/api/v1/tickets/?status=nonsense").status_code == 400
    assert client.get("/api/v1/tickets/?created_after=yesterday").status_code == 400
    assert client.get("/api/v1/tickets/?unit=abc").status_code == 400


# --- query counts ---


@pytest.mark.parametrize("name", ["office", "unit", "grid", "street"])
def test_list_query_count_does_not_grow_with_rows(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory, name: str
) -> None:
    client = api(name)
    dispatched(actors, world, garbage)
    client.get("/api/v1/tickets/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/tickets/").json()["count"] == 1
    for _ in range(4):
        dispatched(actors, world, garbage)
    with CaptureQueriesContext(connection) as five:
        assert client.get("/api/v1/tickets/").json()["count"] == 5
    assert len(five) == len(one)


def test_detail_query_count_does_not_grow_with_the_timeline(
    api: Any, actors: dict[str, User], world: World, garbage: ProblemCategory
) -> None:
    ticket = dispatched(actors, world, garbage)
    client = api("inspector")
    client.get(url(ticket))
    with CaptureQueriesContext(connection) as short:
        assert len(client.get(url(ticket)).json()["events"]) == 2
    ticket_accept(ticket=ticket, actor=actors["unit"])
    ticket_submit(ticket=ticket, actor=actors["unit"], comment="", photos=[jpeg(), jpeg()])
    with CaptureQueriesContext(connection) as long:
        body = client.get(url(ticket)).json()
    assert (len(body["events"]), len(body["photos"])) == (4, 3)
    assert len(long) == len(short)
