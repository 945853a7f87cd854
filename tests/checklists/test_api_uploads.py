"""/api/v1/tasks/ writes: evidence uploads (who may, what is refused, nothing half-stored), the progress note.

Actors: `unit` leads T-03, `unit_other` supports it, `unit_third` belongs to a unit with no part in it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from apps.checklists.models import Evidence, TaskStatus
from tests.api_errors import fields_of
from tests.checklists.conftest import Book, _messages, _post_files
from tests.checklists.files import exe_bytes, pdf_bytes, png_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def _stored_files() -> list[Path]:
    """Every file under MEDIA_ROOT (a per-test tmp dir)."""
    root = Path(django_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


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
