"""/api/v1/evidence/: reading, review and bulk review against the access matrix; the schema.

Actors: `unit` leads T-03, `unit_other` supports it, `unit_third` belongs to a unit with no part in it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.checklists.models import Evidence, EvidenceStatus, TaskStatus
from apps.checklists.services import evidence_review, evidence_upload
from tests.api_errors import fields_of
from tests.checklists.conftest import Book, _messages, _more_tasks, _post_files, _upload_ledger
from tests.checklists.factories import TaskFactory
from tests.checklists.files import pdf_bytes, upload
from tests.conftest import World
from tests.regions.factories import UnitFactory

pytestmark = pytest.mark.django_db


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
