"""迎检档案 build: the ZIP's layout, bytes and index, its progress and the builds that fail; a built binder
downloaded through the page, and one built by a real worker."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.checklists.models import (
    BinderExport,
    Evidence,
    EvidenceStatus,
    ExportStatus,
    FileKind,
    Requirement,
    Task,
)
from apps.checklists.services import binder_build, binder_request, evidence_review, evidence_upload
from apps.checklists.tasks import build_binder
from apps.checklists.uploads import OLE2_MAGIC
from tests.checklists.conftest import Book, queued
from tests.checklists.factories import RequirementFactory, TaskFactory
from tests.checklists.files import pdf_bytes, png_bytes, upload
from tests.conftest import World

PROGRESS_UPDATE = re.compile(r'UPDATE "checklists_binderexport" SET "progress" = (\d+) WHERE')


def doc_bytes() -> bytes:
    """A legacy Word file as far as the upload check goes: the OLE2 container header and some body."""
    return OLE2_MAGIC + b"\x00" * 2048


def put(
    task: Task, requirement: Requirement, year: int | None, name: str, content: bytes, actor: User
) -> Evidence:
    """Upload one file for a slot as the task's lead unit."""
    return evidence_upload(
        task=task, requirement=requirement, year=year, files=[upload(name, content)], actor=actor
    )[0]


def review(evidence: Evidence, office: User, *, approve: bool) -> None:
    """The office's decision on one upload."""
    evidence_review(evidence=evidence, actor=office, approve=approve, comment="" if approve else "请补盖章")


@pytest.fixture
def filled(book: Book, world: World, actors: dict[str, User]) -> dict[str, Any]:
    """T-01 assigned and partly evidenced; T-02 left unassigned; T-03 with one slot approved and one missing.

    T-01 工作方案: two PDFs approved · 会议记录 2025 approved PNG, 2026 pending, 2027 returned
    T-03 保洁台账: a .doc approved · 巡查记录: nothing
    """
    unit, office = actors["unit"], actors["office"]
    patrols = RequirementFactory(item=book.cleaning, order=2, name="巡查记录")
    organisation = TaskFactory(campaign=book.campaign, item=book.organisation, lead_unit=world.unit_city)
    files = {
        "plan1": put(organisation, book.plan, None, "方案.pdf", pdf_bytes("plan one"), unit),
        "plan2": put(organisation, book.plan, None, "方案二.pdf", pdf_bytes("plan two"), unit),
        "minutes_2025": put(organisation, book.minutes, 2025, "会议.png", png_bytes(), unit),
        "minutes_2026": put(organisation, book.minutes, 2026, "待审.pdf", pdf_bytes("pending"), unit),
        "minutes_2027": put(organisation, book.minutes, 2027, "退回.pdf", pdf_bytes("returned"), unit),
        "ledger": put(book.task, book.ledger, None, "台账.doc", doc_bytes(), unit),
    }
    for key in ("plan1", "plan2", "minutes_2025", "ledger"):
        review(files[key], office, approve=True)
    review(files["minutes_2027"], office, approve=False)
    return {"patrols": patrols, "files": files}


def archive_of(export: BinderExport) -> zipfile.ZipFile:
    """The stored ZIP, opened for reading."""
    with export.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def index_rows(archive: zipfile.ZipFile) -> list[list[Any]]:
    """The index workbook's rows, blanks as empty strings."""
    sheet = load_workbook(io.BytesIO(archive.read("index.xlsx")), read_only=True).active
    return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]


# --- the archive ----------------------------------------------------------------------------------


def test_binder_holds_only_approved_files_in_the_standards_order(
    book: Book, actors: dict[str, User], filled: dict[str, Any]
) -> None:
    export = binder_build(export_id=queued(book, actors["office"]).pk)

    assert export.status == ExportStatus.DONE
    assert archive_of(export).namelist() == [
        "01 组织管理/",
        "01 组织管理/T-01 组织机构/",
        "01 组织管理/T-01 组织机构/工作方案_01.pdf",
        "01 组织管理/T-01 组织机构/工作方案_02.pdf",
        "01 组织管理/T-01 组织机构/会议记录_2025年_01.png",
        "01 组织管理/T-02 经费保障/",
        "02 市容环境/",
        "02 市容环境/T-03 道路保洁/",
        "02 市容环境/T-03 道路保洁/保洁台账_01.doc",
        "index.xlsx",
    ]


def test_binder_files_keep_their_bytes_and_compress_only_what_gains(
    book: Book, actors: dict[str, User], filled: dict[str, Any]
) -> None:
    archive = archive_of(binder_build(export_id=queued(book, actors["office"]).pk))

    assert archive.read("01 组织管理/T-01 组织机构/工作方案_02.pdf") == pdf_bytes("plan two")
    assert archive.read("02 市容环境/T-03 道路保洁/保洁台账_01.doc") == doc_bytes()
    kinds = {info.filename.rsplit(".", 1)[-1]: info.compress_type for info in archive.infolist()}
    assert kinds["pdf"] == kinds["png"] == zipfile.ZIP_STORED
    assert kinds["doc"] == zipfile.ZIP_DEFLATED
    assert archive.testzip() is None


def test_binder_index_lists_every_slot_with_its_state_and_files(
    book: Book, actors: dict[str, User], filled: dict[str, Any]
) -> None:
    rows = index_rows(archive_of(binder_build(export_id=queued(book, actors["office"]).pk)))

    assert rows == [
        ["大类", "条款编码", "条款标题", "牵头单位", "材料名称", "年度", "状态", "档案内文件"],
        [
            "01 组织管理",
            "T-01",
            "组织机构",
            "市城管局",
            "工作方案",
            "",
            "已通过",
            "工作方案_01.pdf；工作方案_02.pdf",
        ],
        ["01 组织管理", "T-01", "组织机构", "市城管局", "会议记录", 2025, "已通过", "会议记录_2025年_01.png"],
        ["01 组织管理", "T-01", "组织机构", "市城管局", "会议记录", 2026, "待审核", ""],
        ["01 组织管理", "T-01", "组织机构", "市城管局", "会议记录", 2027, "被退回", ""],
        ["01 组织管理", "T-02", "经费保障", "", "经费文件", "", "未分解", ""],
        ["02 市容环境", "T-03", "道路保洁", "市城管局", "保洁台账", "", "已通过", "保洁台账_01.doc"],
        ["02 市容环境", "T-03", "道路保洁", "市城管局", "巡查记录", "", "缺失", ""],
    ]


def test_binder_export_is_done_with_its_counts_and_file_under_binders(
    book: Book, actors: dict[str, User], filled: dict[str, Any]
) -> None:
    export = binder_build(export_id=queued(book, actors["office"]).pk)

    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert export.progress == 100
    assert export.file_count == 4
    assert export.file.name.startswith("binders/")
    assert export.size == export.file.size > 0
    assert export.finished_at is not None
    assert export.error == ""


def test_binder_names_are_filesystem_safe_and_never_collide(book: Book, actors: dict[str, User]) -> None:
    unit, office = actors["unit"], actors["office"]
    slash = RequirementFactory(item=book.cleaning, order=2, name="照片/影像")
    underscore = RequirementFactory(item=book.cleaning, order=3, name="照片_影像")
    for requirement in (slash, underscore):
        review(put(book.task, requirement, None, "a.png", png_bytes(), unit), office, approve=True)
    book.cleaning.title = '道路保洁: "门前三包"?'
    book.cleaning.save()

    names = archive_of(binder_build(export_id=queued(book, office).pk)).namelist()

    folder = "02 市容环境/T-03 道路保洁_ _门前三包_/"
    assert f"{folder}照片_影像_01.png" in names
    assert f"{folder}照片_影像_01(2).png" in names


def test_binder_for_a_campaign_without_evidence_still_has_folders_and_index(
    book: Book, actors: dict[str, User]
) -> None:
    export = binder_build(export_id=queued(book, actors["office"]).pk)

    assert export.status == ExportStatus.DONE
    assert export.file_count == 0
    assert "01 组织管理/T-02 经费保障/" in archive_of(export).namelist()


def test_binder_progress_is_written_in_steps_of_at_least_two_percent(
    book: Book, actors: dict[str, User]
) -> None:
    stored = default_storage.save("evidence/many.pdf", ContentFile(pdf_bytes()))
    Evidence.objects.bulk_create(
        Evidence(
            task=book.task,
            requirement=book.ledger,
            file=stored,
            original_name=f"台账{n}.pdf",
            kind=FileKind.PDF,
            size=1000,
            sha256="0" * 64,
            uploaded_by=actors["unit"],
            status=EvidenceStatus.APPROVED,
        )
        for n in range(150)
    )
    export = queued(book, actors["office"])

    with CaptureQueriesContext(connection) as queries:
        binder_build(export_id=export.pk)

    steps = [int(m[1]) for q in queries.captured_queries if (m := PROGRESS_UPDATE.search(q["sql"]))]
    assert 10 <= len(steps) <= 50
    assert all(b - a >= 2 for a, b in zip([0, *steps], steps, strict=False))
    assert max(steps) <= 99
    export.refresh_from_db()
    assert (export.progress, export.file_count) == (100, 150)


# --- failures -------------------------------------------------------------------------------------


def test_binder_with_a_file_gone_from_storage_fails_in_chinese_and_leaves_nothing(
    book: Book,
    actors: dict[str, User],
    filled: dict[str, Any],
    settings: Any,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    lost = filled["files"]["ledger"]
    lost.file.storage.delete(lost.file.name)

    export = binder_build(export_id=queued(book, actors["office"]).pk)

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert "台账.doc" in export.error
    assert "T-03" in export.error
    assert not export.file
    assert export.finished_at is not None
    assert not list((Path(settings.MEDIA_ROOT) / "binders").glob("*"))
    assert not list(scratch.iterdir()), "temporary files were left behind"


def test_binder_build_of_an_export_already_started_does_nothing(book: Book, actors: dict[str, User]) -> None:
    export = queued(book, actors["office"], status=ExportStatus.RUNNING, progress=40)

    binder_build(export_id=export.pk)

    export.refresh_from_db()
    assert (export.status, export.progress, export.file.name) == (ExportStatus.RUNNING, 40, "")


def test_built_binder_downloads_through_the_page(
    book: Book, actors: dict[str, User], filled: dict[str, Any], login: Any
) -> None:
    export = binder_build(export_id=queued(book, actors["office"]).pk)

    response = login("leader").get(reverse("binders:download", args=[export.pk]))

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    response.close()
    assert "index.xlsx" in archive.namelist()


# --- a real worker ------------------------------------------------------------------------------


def _test_database_url() -> str:
    """The URL of the test database pytest-django created, for the worker process."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def binder_worker(transactional_db: Any, settings: Any) -> Any:
    """A Celery worker on a queue of its own, sharing the test database and media directory."""
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip(
            "needs REDIS_URL and PostgreSQL: a worker process cannot reach an in-memory SQLite database"
        )
    queue = f"test-binder-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    command = [sys.executable, "-m", "celery", "-A", "chuangwei", "worker", "--pool=solo", "-Q", queue]
    command += ["--without-gossip", "--without-mingle", "-l", "warning", "-n", f"{queue}@%h"]
    proc = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[2], env=env)
    try:
        yield queue
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.celery_worker
def test_a_real_worker_builds_the_requested_binder(
    binder_worker: str, book: Book, actors: dict[str, User], filled: dict[str, Any]
) -> None:
    def to_test_queue(export_id: int) -> Any:
        return build_binder.apply_async((export_id,), queue=binder_worker)

    with mock.patch.object(build_binder, "delay", side_effect=to_test_queue):
        export = binder_request(campaign=book.campaign, actor=actors["office"])

    deadline = time.monotonic() + 90
    while not export.is_finished and time.monotonic() < deadline:
        time.sleep(0.3)
        export.refresh_from_db()
    assert export.status == ExportStatus.DONE, export.error
    assert "index.xlsx" in archive_of(export).namelist()
