"""/api/v1/ campaigns, tasks and evidence: the access matrix, uploads, reviews and flat query counts.

Actors: `unit` leads T-03, `unit_other` supports it, `unit_third` belongs to a unit with no part in it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.models import Role, User
from apps.checklists.models import Evidence, EvidenceStatus, Task, TaskStatus
from apps.checklists.services import evidence_review, evidence_upload
from apps.regions.models import UnitType
from tests.accounts.factories import PASSWORD, make_user
from tests.api_errors import fields_of
from tests.checklists.conftest import Book
from tests.checklists.factories import ItemFactory, RequirementFactory, TaskFactory
from tests.checklists.files import exe_bytes, pdf_bytes, png_bytes, upload, xlsx_bytes
from tests.conftest import World
from tests.regions.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(actors: dict[str, User]) -> dict[str, User]:
    """The shared actors plus a unit user whose unit neither leads nor supports any task."""
    outsider_unit = UnitFactory(name="市水务局", type=UnitType.WATER)
    return {**actors, "unit_third": make_user(Role.UNIT, username="t_unit_third", unit=outsider_unit)}


@pytest.fixture
def api(people: dict[str, User]) -> Any:
    """An API client signed in with the named actor's token (anonymous for 'anon')."""

    def _api(name: str) -> APIClient:
        client = APIClient()
        if name != "anon":
            response = client.post(
                "/api/v1/auth/token/",
                {"username": people[name].username, "password": PASSWORD},
                format="json",
            )
            assert response.status_code == 200, response.content
            client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        return client

    return _api


def _stored_files() -> list[Path]:
    """Every file under MEDIA_ROOT (a per-test tmp dir)."""
    root = Path(django_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _upload_ledger(book: Book, actor: User, name: str = "台账.pdf") -> Evidence:
    """One PDF for the task's only requirement, through the real service."""
    return evidence_upload(
        task=book.task, requirement=book.ledger, year=None, files=[upload(name, pdf_bytes())], actor=actor
    )[0]


def _post_files(client: APIClient, task: Task, requirement_id: int, *files: Any, **extra: Any) -> Any:
    """POST a multipart upload to the task's evidence action."""
    data = {"requirement": requirement_id, "files": list(files), **extra}
    return client.post(f"/api/v1/tasks/{task.pk}/evidence/", data, format="multipart")


def _messages(response: Any) -> str:
    """All error text in a response body, for asserting on the Chinese message."""
    return str(response.json())


# --- anonymous ---


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/campaigns/"),
        ("get", "/api/v1/campaigns/{campaign}/"),
        ("get", "/api/v1/tasks/"),
        ("get", "/api/v1/tasks/{task}/"),
        ("post", "/api/v1/tasks/{task}/evidence/"),
        ("post", "/api/v1/tasks/{task}/progress/"),
        ("get", "/api/v1/evidence/"),
        ("get", "/api/v1/evidence/{evidence}/"),
        ("post", "/api/v1/evidence/{evidence}/approve/"),
        ("post", "/api/v1/evidence/{evidence}/return/"),
        ("post", "/api/v1/evidence/review/"),
    ],
)
def test_anonymous_gets_401_everywhere(
    api: Any, book: Book, actors: dict[str, User], method: str, path: str
) -> None:
    evidence = _upload_ledger(book, actors["unit"])
    url = path.format(campaign=book.campaign.pk, task=book.task.pk, evidence=evidence.pk)
    assert getattr(api("anon"), method)(url).status_code == 401
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.PENDING


# --- campaigns ---


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("office", 1),
        ("leader", 1),
        ("inspector", 1),
        ("unit", 1),
        ("unit_other", 1),
        ("unit_third", 1),
        ("street", 0),
        ("grid", 0),
    ],
)
def test_campaign_list_is_city_wide_for_unit_staff_and_hidden_from_territorial_staff(
    api: Any, book: Book, name: str, count: int
) -> None:
    assert api(name).get("/api/v1/campaigns/").json()["count"] == count


@pytest.mark.parametrize(
    ("name", "status"), [("street", 404), ("grid", 404), ("unit_third", 200), ("office", 200)]
)
def test_campaign_detail_access(api: Any, book: Book, name: str, status: int) -> None:
    assert api(name).get(f"/api/v1/campaigns/{book.campaign.pk}/").status_code == status


def test_campaign_detail_shows_standard_years_and_labels(api: Any, book: Book) -> None:
    body = api("unit").get(f"/api/v1/campaigns/{book.campaign.pk}/").json()
    assert body["standard_name"] == "测试标准"
    assert body["years"] == [2025, 2026, 2027]
    assert (body["kind"], body["kind_display"]) == ("create", "创建")
    assert (body["status"], body["status_display"]) == ("active", "推进中")


def test_campaigns_are_read_only(api: Any, book: Book) -> None:
    client = api("office")
    assert client.post("/api/v1/campaigns/", {}, format="json").status_code == 405
    assert client.delete(f"/api/v1/campaigns/{book.campaign.pk}/").status_code == 405


# --- tasks: reading ---


@pytest.mark.parametrize(
    ("name", "sees"),
    [
        ("office", True),
        ("leader", True),
        ("inspector", True),
        ("unit", True),
        ("unit_other", True),
        ("unit_third", False),
        ("street", False),
        ("grid", False),
    ],
)
def test_task_list_is_scoped_to_lead_and_supporting_units(
    api: Any, book: Book, name: str, sees: bool
) -> None:
    ids = [r["id"] for r in api(name).get("/api/v1/tasks/").json()["results"]]
    assert ids == ([book.task.pk] if sees else [])


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anon", 401),
        ("unit_third", 404),
        ("street", 404),
        ("unit_other", 200),
        ("leader", 200),
        ("unit", 200),
        ("office", 200),
    ],
)
def test_task_detail_access(api: Any, book: Book, name: str, status: int) -> None:
    assert api(name).get(f"/api/v1/tasks/{book.task.pk}/").status_code == status


def test_task_detail_says_what_to_upload_and_how_far_it_is(api: Any, book: Book, world: World) -> None:
    body = api("unit_other").get(f"/api/v1/tasks/{book.task.pk}/").json()
    assert (body["item_code"], body["item_title"]) == ("T-03", "道路保洁")
    assert body["category"] == {"id": book.c2.pk, "code": "C2", "name": "市容环境"}
    assert body["lead_unit"] == {"id": world.unit_city.pk, "name": "市城管局"}
    assert body["supporting_units"] == [{"id": world.unit_market.pk, "name": "市市场监督管理局"}]
    assert (body["status"], body["status_display"], body["is_overdue"]) == ("not_started", "未启动", False)
    assert body["deadline"] == "2027-03-31"
    assert body["campaign_years"] == [2025, 2026, 2027]
    assert body["requirements"] == [
        {"id": book.ledger.pk, "name": "保洁台账", "description": "", "per_year": False}
    ]
    assert body["progress"] == {
        "required": 1,
        "approved": 0,
        "pending": 0,
        "percent": 0,
        "missing": ["保洁台账"],
        "returned": [],
    }


def test_task_list_filters(api: Any, book: Book, world: World) -> None:
    late = TaskFactory(
        campaign=book.campaign,
        item=book.funding,
        lead_unit=world.unit_market,
        deadline=timezone.localdate() - timedelta(days=1),
        status=TaskStatus.IN_PROGRESS,
    )
    client = api("office")

    def ids(**params: Any) -> set[int]:
        response = client.get("/api/v1/tasks/", params)
        assert response.status_code == 200, response.content
        return {r["id"] for r in response.json()["results"]}

    assert ids() == {book.task.pk, late.pk}
    assert ids(campaign=book.campaign.pk) == {book.task.pk, late.pk}
    assert ids(status="in_progress") == {late.pk}
    assert ids(lead_unit=world.unit_city.pk) == {book.task.pk}
    assert ids(overdue="true") == {late.pk}
    assert ids(overdue="false") == {book.task.pk}
    assert ids(q="t-03") == {book.task.pk}
    assert ids(q="经费") == {late.pk}
    assert client.get("/api/v1/tasks/", {"status": "nonsense"}).status_code == 400


def test_overdue_flag_in_the_list(api: Any, book: Book) -> None:
    Task.objects.filter(pk=book.task.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    row = api("unit").get("/api/v1/tasks/").json()["results"][0]
    assert row["is_overdue"] is True


def _more_tasks(book: Book, world: World, actors: dict[str, User], count: int) -> None:
    """Extra tasks for the lead unit, each with requirements, a supporting unit and uploaded evidence."""
    for n in range(count):
        item = ItemFactory(category=book.c2, code=f"X-{n}", order=10 + n, title=f"附加条款{n}")
        requirement = RequirementFactory(item=item, name="台账")
        RequirementFactory(item=item, name="照片", per_year=True)
        task = TaskFactory(campaign=book.campaign, item=item, lead_unit=world.unit_city)
        task.supporting_units.set([world.unit_market])
        evidence_upload(
            task=task,
            requirement=requirement,
            year=None,
            files=[upload("a.pdf", pdf_bytes())],
            actor=actors["unit"],
        )


@pytest.mark.parametrize("name", ["office", "unit", "unit_other"])
def test_task_list_query_count_does_not_grow_with_rows(
    api: Any, book: Book, world: World, actors: dict[str, User], name: str
) -> None:
    client = api(name)
    client.get("/api/v1/tasks/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/tasks/").json()["count"] == 1
    _more_tasks(book, world, actors, 4)
    with CaptureQueriesContext(connection) as five:
        assert client.get("/api/v1/tasks/").json()["count"] == 5
    assert len(five) == len(one)


# --- tasks: uploading evidence ---


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anon", 401),
        ("unit_third", 404),
        ("street", 404),
        ("unit_other", 403),
        ("leader", 403),
        ("inspector", 403),
        ("unit", 201),
        ("office", 201),
    ],
)
def test_evidence_upload_access(api: Any, book: Book, name: str, status: int) -> None:
    response = _post_files(api(name), book.task, book.ledger.pk, upload("台账.pdf", pdf_bytes()))
    assert response.status_code == status
    assert Evidence.objects.count() == (1 if status == 201 else 0)
    assert len(_stored_files()) == (1 if status == 201 else 0)


def test_supporting_unit_is_refused_in_chinese(api: Any, book: Book) -> None:
    response = _post_files(api("unit_other"), book.task, book.ledger.pk, upload("台账.pdf", pdf_bytes()))
    assert response.status_code == 403
    assert response.json()["detail"] == "只有牵头单位可以上传佐证材料。"


def test_upload_of_several_files_returns_them_and_puts_the_task_in_review(api: Any, book: Book) -> None:
    client = api("unit")
    response = _post_files(
        client,
        book.task,
        book.ledger.pk,
        upload("台账.pdf", pdf_bytes()),
        upload("现场.png", png_bytes()),
        upload("统计.xlsx", xlsx_bytes()),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(e["original_name"], e["kind"]) for e in body] == [
        ("台账.pdf", "pdf"),
        ("现场.png", "image"),
        ("统计.xlsx", "excel"),
    ]
    first = body[0]
    assert (first["status"], first["status_display"]) == ("pending", "待审核")
    assert first["requirement"] == book.ledger.pk
    assert first["uploaded_by_name"] == "t_unit"
    assert first["file_url"] == reverse("tasks:evidence_file", args=[first["id"]])
    assert len(_stored_files()) == 3

    task = client.get(f"/api/v1/tasks/{book.task.pk}/").json()
    assert (task["status"], task["status_display"]) == ("in_review", "待审核")
    assert task["progress"]["pending"] == 1


def test_renamed_executable_is_refused_and_nothing_is_stored(api: Any, book: Book) -> None:
    response = _post_files(api("unit"), book.task, book.ledger.pk, upload("台账.pdf", exe_bytes()))
    assert response.status_code == 400
    assert "「台账.pdf」的内容不是允许的文件类型" in _messages(response)
    assert Evidence.objects.count() == 0
    assert _stored_files() == []


def test_one_bad_file_among_good_ones_stores_none_of_them(api: Any, book: Book) -> None:
    response = _post_files(
        api("unit"),
        book.task,
        book.ledger.pk,
        upload("台账.pdf", pdf_bytes()),
        upload("照片.png", exe_bytes()),
    )
    assert response.status_code == 400
    assert "照片.png" in _messages(response)
    assert Evidence.objects.count() == 0
    assert _stored_files() == []
    book.task.refresh_from_db()
    assert book.task.status == TaskStatus.NOT_STARTED


def test_empty_file_is_refused_in_chinese(api: Any, book: Book) -> None:
    response = _post_files(api("unit"), book.task, book.ledger.pk, upload("空.pdf", b""))
    assert response.status_code == 400
    assert "「空.pdf」是空文件" in _messages(response)
    assert Evidence.objects.count() == 0
    assert _stored_files() == []


def test_file_over_the_size_limit_is_refused_in_chinese(api: Any, book: Book, settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 100
    response = _post_files(api("unit"), book.task, book.ledger.pk, upload("大.pdf", pdf_bytes()))
    assert response.status_code == 400
    assert "超过" in _messages(response)
    assert "上限" in _messages(response)
    assert Evidence.objects.count() == 0
    assert _stored_files() == []


def test_requirement_of_another_item_is_refused(api: Any, book: Book) -> None:
    response = _post_files(api("unit"), book.task, book.plan.pk, upload("方案.pdf", pdf_bytes()))
    assert response.status_code == 400
    assert fields_of(response)["requirement"] == ["该材料要求不属于本任务的条款。"]
    assert _stored_files() == []


def test_year_for_a_requirement_that_is_not_per_year_is_refused(api: Any, book: Book) -> None:
    response = _post_files(api("unit"), book.task, book.ledger.pk, upload("台账.pdf", pdf_bytes()), year=2025)
    assert response.status_code == 400
    assert "不分年度" in _messages(response)


def test_upload_without_files_or_requirement_is_a_400(api: Any, book: Book) -> None:
    client = api("unit")
    url = f"/api/v1/tasks/{book.task.pk}/evidence/"
    response = client.post(url, {"requirement": book.ledger.pk}, format="multipart")
    assert response.status_code == 400
    assert "files" in fields_of(response)
    response = client.post(url, {"files": [upload("台账.pdf", pdf_bytes())]}, format="multipart")
    assert response.status_code == 400
    assert "requirement" in fields_of(response)
    assert Evidence.objects.count() == 0


# --- tasks: progress note ---


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anon", 401),
        ("unit_third", 404),
        ("unit_other", 403),
        ("leader", 403),
        ("unit", 200),
        ("office", 200),
    ],
)
def test_progress_note_access(api: Any, book: Book, name: str, status: int) -> None:
    response = api(name).post(
        f"/api/v1/tasks/{book.task.pk}/progress/", {"note": " 已完成第一轮保洁 "}, format="json"
    )
    assert response.status_code == status
    book.task.refresh_from_db()
    assert (book.task.progress_note == "已完成第一轮保洁") == (status == 200)
    if status == 200:
        assert response.json()["progress_note"] == "已完成第一轮保洁"
    if status == 403:
        assert response.json()["detail"] == "只有牵头单位可以填写进展。"


# --- evidence: reading ---


@pytest.mark.parametrize(
    ("name", "count"),
    [("office", 1), ("leader", 1), ("unit", 1), ("unit_other", 1), ("unit_third", 0), ("street", 0)],
)
def test_evidence_list_is_scoped(
    api: Any, book: Book, actors: dict[str, User], name: str, count: int
) -> None:
    _upload_ledger(book, actors["unit"])
    assert api(name).get("/api/v1/evidence/").json()["count"] == count


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anon", 401),
        ("unit_third", 404),
        ("street", 404),
        ("unit_other", 200),
        ("leader", 200),
        ("office", 200),
    ],
)
def test_evidence_detail_access(
    api: Any, book: Book, actors: dict[str, User], name: str, status: int
) -> None:
    evidence = _upload_ledger(book, actors["unit"])
    assert api(name).get(f"/api/v1/evidence/{evidence.pk}/").status_code == status


def test_evidence_detail_fields(api: Any, book: Book, actors: dict[str, User]) -> None:
    evidence = _upload_ledger(book, actors["unit"], name="二季度台账.pdf")
    body = api("leader").get(f"/api/v1/evidence/{evidence.pk}/").json()
    assert body["original_name"] == "二季度台账.pdf"
    assert (body["kind"], body["kind_display"]) == ("pdf", "PDF")
    assert body["size"] == len(pdf_bytes())
    assert (body["task"], body["requirement"], body["requirement_name"], body["year"]) == (
        book.task.pk,
        book.ledger.pk,
        "保洁台账",
        None,
    )
    assert (body["review_comment"], body["reviewed_by_name"], body["reviewed_at"]) == ("", None, None)
    assert body["uploaded_at"]
    assert (
        body["file_url"]
        == reverse("tasks:evidence_file", args=[evidence.pk])
        == f"/tasks/evidence/{evidence.pk}/file/"
    )


def test_evidence_list_filters(api: Any, book: Book, world: World, actors: dict[str, User]) -> None:
    first = _upload_ledger(book, actors["unit"])
    second = _upload_ledger(book, actors["unit"])
    evidence_review(evidence=first, actor=actors["office"], approve=True)
    other = TaskFactory(campaign=book.campaign, item=book.funding, lead_unit=world.unit_city)
    third = evidence_upload(
        task=other,
        requirement=book.budget,
        year=None,
        files=[upload("b.pdf", pdf_bytes())],
        actor=actors["unit"],
    )[0]
    client = api("office")

    def ids(**params: Any) -> set[int]:
        return {r["id"] for r in client.get("/api/v1/evidence/", params).json()["results"]}

    assert ids() == {first.pk, second.pk, third.pk}
    assert ids(task=book.task.pk) == {first.pk, second.pk}
    assert ids(status="pending") == {second.pk, third.pk}
    assert ids(status="approved", task=book.task.pk) == {first.pk}
    assert ids(campaign=book.campaign.pk) == {first.pk, second.pk, third.pk}


def test_unit_cannot_filter_evidence_by_a_task_it_cannot_see(api: Any, book: Book, world: World) -> None:
    hidden = TaskFactory(campaign=book.campaign, item=book.funding, lead_unit=UnitFactory())
    assert api("unit").get("/api/v1/evidence/", {"task": hidden.pk}).status_code == 400


@pytest.mark.parametrize("name", ["office", "unit"])
def test_evidence_list_query_count_does_not_grow_with_rows(
    api: Any, book: Book, world: World, actors: dict[str, User], name: str
) -> None:
    _upload_ledger(book, actors["unit"])
    client = api(name)
    client.get("/api/v1/evidence/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/evidence/").json()["count"] == 1
    _more_tasks(book, world, actors, 2)
    evidence_review(evidence=_upload_ledger(book, actors["office"]), actor=actors["office"], approve=True)
    _upload_ledger(book, actors["unit"])
    with CaptureQueriesContext(connection) as five:
        assert client.get("/api/v1/evidence/").json()["count"] == 5
    assert len(five) == len(one)


# --- evidence: review ---


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("anon", 401),
        ("unit_third", 404),
        ("street", 404),
        ("unit", 403),
        ("unit_other", 403),
        ("leader", 403),
        ("inspector", 403),
        ("office", 200),
    ],
)
@pytest.mark.parametrize("decision", ["approve", "return"])
def test_review_access(
    api: Any, book: Book, actors: dict[str, User], name: str, status: int, decision: str
) -> None:
    evidence = _upload_ledger(book, actors["unit"])
    response = api(name).post(
        f"/api/v1/evidence/{evidence.pk}/{decision}/", {"comment": "请补盖章"}, format="json"
    )
    assert response.status_code == status
    evidence.refresh_from_db()
    assert (evidence.status != EvidenceStatus.PENDING) == (status == 200)
    if status == 403:
        assert response.json()["detail"] == "只有创卫办可以审核佐证材料。"


def test_approval_completes_the_task(api: Any, book: Book, actors: dict[str, User]) -> None:
    unit = api("unit")
    uploaded = _post_files(unit, book.task, book.ledger.pk, upload("台账.pdf", pdf_bytes())).json()[0]
    assert unit.get(f"/api/v1/tasks/{book.task.pk}/").json()["status"] == "in_review"

    response = api("office").post(f"/api/v1/evidence/{uploaded['id']}/approve/", {}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["status_display"], body["reviewed_by_name"]) == (
        "approved",
        "通过",
        "t_office",
    )
    assert body["reviewed_at"]

    task = unit.get(f"/api/v1/tasks/{book.task.pk}/").json()
    assert (task["status"], task["status_display"]) == ("done", "已完成")
    assert (task["progress"]["approved"], task["progress"]["percent"]) == (1, 100)


def test_return_needs_a_comment_in_chinese(api: Any, book: Book, actors: dict[str, User]) -> None:
    evidence = _upload_ledger(book, actors["unit"])
    response = api("office").post(f"/api/v1/evidence/{evidence.pk}/return/", {"comment": "  "}, format="json")
    assert response.status_code == 400
    assert fields_of(response)["comment"] == ["退回时请填写意见，告诉责任单位要补什么。"]
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.PENDING


def test_returned_evidence_carries_the_comment_and_reopens_the_task(
    api: Any, book: Book, actors: dict[str, User]
) -> None:
    evidence = _upload_ledger(book, actors["unit"])
    response = api("office").post(
        f"/api/v1/evidence/{evidence.pk}/return/", {"comment": "缺少盖章"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["review_comment"]) == ("returned", "缺少盖章")
    task = api("unit").get(f"/api/v1/tasks/{book.task.pk}/").json()
    assert task["status"] == "in_progress"
    assert task["progress"]["returned"] == ["保洁台账"]


def test_reviewing_twice_is_a_400(api: Any, book: Book, actors: dict[str, User]) -> None:
    evidence = _upload_ledger(book, actors["unit"])
    client = api("office")
    assert client.post(f"/api/v1/evidence/{evidence.pk}/approve/", {}, format="json").status_code == 200
    response = client.post(f"/api/v1/evidence/{evidence.pk}/return/", {"comment": "重看"}, format="json")
    assert response.status_code == 400
    assert "已经审核过" in _messages(response)
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.APPROVED


# --- evidence: bulk review ---


def _bulk(client: APIClient, ids: list[int], decision: str, comment: str = "") -> Any:
    return client.post(
        "/api/v1/evidence/review/", {"ids": ids, "decision": decision, "comment": comment}, format="json"
    )


def test_bulk_approval_reviews_every_piece(api: Any, book: Book, actors: dict[str, User]) -> None:
    pieces = [_upload_ledger(book, actors["unit"]) for _ in range(3)]
    response = _bulk(api("office"), [e.pk for e in pieces], "approve")
    assert response.status_code == 200, response.content
    assert {(e["id"], e["status"]) for e in response.json()} == {(e.pk, "approved") for e in pieces}
    book.task.refresh_from_db()
    assert book.task.status == TaskStatus.DONE


def test_bulk_review_is_all_or_nothing(api: Any, book: Book, actors: dict[str, User]) -> None:
    done, waiting = _upload_ledger(book, actors["unit"]), _upload_ledger(book, actors["unit"])
    evidence_review(evidence=done, actor=actors["office"], approve=True)
    response = _bulk(api("office"), [done.pk, waiting.pk], "return", "补充材料")
    assert response.status_code == 400
    assert "已经审核过" in _messages(response)
    waiting.refresh_from_db()
    assert waiting.status == EvidenceStatus.PENDING


def test_bulk_return_needs_a_comment(api: Any, book: Book, actors: dict[str, User]) -> None:
    evidence = _upload_ledger(book, actors["unit"])
    response = _bulk(api("office"), [evidence.pk], "return")
    assert response.status_code == 400
    assert fields_of(response)["comment"] == ["退回时请填写意见，告诉责任单位要补什么。"]


def test_bulk_review_with_an_unknown_id_is_a_404_and_changes_nothing(
    api: Any, book: Book, actors: dict[str, User]
) -> None:
    evidence = _upload_ledger(book, actors["unit"])
    response = _bulk(api("office"), [evidence.pk, evidence.pk + 1000], "approve")
    assert response.status_code == 404
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.PENDING


@pytest.mark.parametrize(
    ("name", "status"),
    [("anon", 401), ("unit_third", 404), ("street", 404), ("unit", 403), ("leader", 403), ("office", 200)],
)
def test_bulk_review_access(api: Any, book: Book, actors: dict[str, User], name: str, status: int) -> None:
    pieces = [_upload_ledger(book, actors["unit"]) for _ in range(2)]
    assert _bulk(api(name), [e.pk for e in pieces], "approve").status_code == status
    statuses = set(Evidence.objects.values_list("status", flat=True))
    assert statuses == ({EvidenceStatus.APPROVED} if status == 200 else {EvidenceStatus.PENDING})


def test_bulk_review_rejects_a_bad_decision_and_empty_ids(
    api: Any, book: Book, actors: dict[str, User]
) -> None:
    evidence = _upload_ledger(book, actors["unit"])
    client = api("office")
    assert "decision" in fields_of(_bulk(client, [evidence.pk], "maybe"))
    assert "ids" in fields_of(_bulk(client, [], "approve"))


# --- schema ---


def test_schema_documents_the_endpoints_and_the_multipart_upload(api: Any, book: Book) -> None:
    schema = api("office").get("/api/schema/", {"format": "json"}).json()
    for path in [
        "/api/v1/campaigns/",
        "/api/v1/campaigns/{id}/",
        "/api/v1/tasks/",
        "/api/v1/tasks/{id}/",
        "/api/v1/tasks/{id}/progress/",
        "/api/v1/evidence/",
        "/api/v1/evidence/{id}/",
        "/api/v1/evidence/{id}/approve/",
        "/api/v1/evidence/{id}/return/",
        "/api/v1/evidence/review/",
    ]:
        assert path in schema["paths"], path
    upload_op = schema["paths"]["/api/v1/tasks/{id}/evidence/"]["post"]
    assert "multipart/form-data" in upload_op["requestBody"]["content"]
    assert "201" in upload_op["responses"]
