"""/api/v1/tickets/ steps: who may take each one, steps the state does not allow, missing input, bad photos.

Arranged through the services, acted through the API. The ticket sits at 东湖农贸市场 (p1) in 东湖1格, where
`grid` works; `grid2` works in 东湖2格.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.tickets.models import PhotoKind, ProblemCategory, Ticket, TicketPhoto
from apps.tickets.services import ticket_decide_shelve, ticket_request_extension, ticket_request_shelve
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
    submitted,
    url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


def text_named_jpg(name: str = "after.jpg") -> SimpleUploadedFile:
    """A text file with a photo's name and content type."""
    return SimpleUploadedFile(name, b"this is not a photo at all\n" * 20, content_type="image/jpeg")


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
