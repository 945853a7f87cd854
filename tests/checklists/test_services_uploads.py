"""evidence_upload: who may upload, how files are stored, what is refused and nothing left half-stored."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile

from apps.accounts.models import User
from apps.checklists.models import Evidence, EvidenceStatus, FileKind, Task, TaskStatus
from tests.checklists.conftest import Book, put, status_of
from tests.checklists.files import exe_bytes, jpeg_bytes, pdf_bytes, png_bytes, upload, xlsx_bytes


def media_files(settings: Any) -> list[Path]:
    """Every file under MEDIA_ROOT."""
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


# evidence_upload ------------------------------------------------------------------------------------------


def test_lead_unit_upload_is_stored_under_the_content_extension(
    book: Book, actors: dict[str, User], settings: Any
) -> None:
    content = pdf_bytes("会议记录")

    [evidence] = put(book.task, book.ledger, actors["unit"], files=[upload("会议.docx", content)])

    evidence.refresh_from_db()
    assert evidence.original_name == "会议.docx"
    assert evidence.kind == FileKind.PDF
    assert evidence.extension == "pdf"
    assert evidence.file.name.startswith(f"evidence/{book.campaign.pk}/{book.task.pk}/")
    assert evidence.file.name.endswith(".pdf")
    assert evidence.size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.uploaded_by == actors["unit"]
    assert evidence.status == EvidenceStatus.PENDING
    assert evidence.year is None
    assert (Path(settings.MEDIA_ROOT) / evidence.file.name).read_bytes() == content


def test_office_may_upload_for_any_task(book: Book, actors: dict[str, User]) -> None:
    [evidence] = put(book.task, book.ledger, actors["office"])

    assert evidence.uploaded_by == actors["office"]


def test_several_files_are_stored_in_one_upload(book: Book, actors: dict[str, User], settings: Any) -> None:
    files = [
        upload("台账.xlsx", xlsx_bytes()),
        upload("照片1.jpg", jpeg_bytes()),
        upload("照片2.png", png_bytes()),
    ]

    stored = put(book.task, book.ledger, actors["unit"], files=files)

    assert sorted(e.original_name for e in stored) == ["台账.xlsx", "照片1.jpg", "照片2.png"]
    assert sorted(e.extension for e in stored) == ["jpg", "png", "xlsx"]
    assert Evidence.objects.filter(task=book.task).count() == 3
    assert len(media_files(settings)) == 3


@pytest.mark.parametrize("name", ["unit_other", "leader", "inspector", "street", "community", "grid"])
def test_others_may_not_upload_evidence(
    name: str, book: Book, actors: dict[str, User], settings: Any
) -> None:
    with pytest.raises(PermissionDenied, match="只有牵头单位可以上传佐证材料"):
        put(book.task, book.ledger, actors[name])

    assert not Evidence.objects.exists()
    assert media_files(settings) == []


def test_requirement_of_another_item_is_refused(book: Book, actors: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as caught:
        put(book.task, book.plan, actors["unit"])

    assert caught.value.message_dict == {"requirement": ["该材料要求不属于本任务的条款。"]}
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("year", [None, 2024, 2028])
def test_per_year_requirement_needs_a_campaign_year(
    year: int | None, book: Book, organisation_task: Task, actors: dict[str, User]
) -> None:
    with pytest.raises(ValidationError) as caught:
        put(organisation_task, book.minutes, actors["unit"], year=year)

    assert caught.value.message_dict == {
        "year": ["「会议记录」须按年度提供，请选择年度（2025、2026、2027）。"]
    }
    assert not Evidence.objects.exists()


def test_per_year_requirement_is_stored_for_its_year(
    book: Book, organisation_task: Task, actors: dict[str, User]
) -> None:
    [evidence] = put(organisation_task, book.minutes, actors["unit"], year=2026)

    evidence.refresh_from_db()
    assert evidence.year == 2026


def test_year_on_a_requirement_that_is_not_yearly_is_refused(book: Book, actors: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as caught:
        put(book.task, book.ledger, actors["unit"], year=2025)

    assert caught.value.message_dict == {"year": ["「保洁台账」不分年度，请不要选择年度。"]}


def test_upload_without_files_is_refused(book: Book, actors: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as caught:
        put(book.task, book.ledger, actors["unit"], files=[])

    assert caught.value.message_dict == {"files": ["请选择要上传的文件。"]}


def test_too_many_files_in_one_upload_are_refused(book: Book, actors: dict[str, User], settings: Any) -> None:
    settings.EVIDENCE_MAX_FILES_PER_UPLOAD = 2
    files = [upload(f"台账{n}.pdf", pdf_bytes(str(n))) for n in range(3)]

    with pytest.raises(ValidationError) as caught:
        put(book.task, book.ledger, actors["unit"], files=files)

    assert caught.value.message_dict == {"files": ["一次最多上传 2 个文件。"]}
    assert not Evidence.objects.exists()
    assert media_files(settings) == []


def test_as_many_files_as_allowed_are_accepted(book: Book, actors: dict[str, User], settings: Any) -> None:
    settings.EVIDENCE_MAX_FILES_PER_UPLOAD = 2
    files = [upload(f"台账{n}.pdf", pdf_bytes(str(n))) for n in range(2)]

    assert len(put(book.task, book.ledger, actors["unit"], files=files)) == 2


@pytest.mark.parametrize("bad_at", [0, 1, 2])
def test_one_bad_file_among_several_stores_nothing(
    bad_at: int, book: Book, actors: dict[str, User], settings: Any
) -> None:
    files = [upload("台账.pdf", pdf_bytes()), upload("照片.jpg", jpeg_bytes())]
    files.insert(bad_at, upload("病毒.pdf", exe_bytes()))

    with pytest.raises(ValidationError) as caught:
        put(book.task, book.ledger, actors["unit"], files=files)

    assert "「病毒.pdf」的内容不是允许的文件类型" in caught.value.messages[0]
    assert not Evidence.objects.exists()
    assert media_files(settings) == []
    assert status_of(book.task) == TaskStatus.NOT_STARTED


def test_files_written_before_a_storage_failure_are_removed(
    book: Book, actors: dict[str, User], settings: Any
) -> None:
    content = pdf_bytes("second")
    vanishing = TemporaryUploadedFile("第二份.pdf", "application/pdf", len(content), None)
    vanishing.write(content)
    vanishing.seek(0)
    # The open handle still reads (so the content check passes), but the temporary file that storage
    # moves into MEDIA_ROOT is gone: the write of the second file fails as a full or broken disk would.
    os.unlink(vanishing.temporary_file_path())
    try:
        with pytest.raises(FileNotFoundError):
            put(
                book.task,
                book.ledger,
                actors["unit"],
                files=[upload("第一份.pdf", pdf_bytes("first")), vanishing],
            )
    finally:
        vanishing.close()

    assert not Evidence.objects.exists()
    assert media_files(settings) == []
