"""迎检档案: the ZIP's layout and index, requesting and enqueueing, failures, and the pages' access matrix."""

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
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
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
from tests.checklists.conftest import Book
from tests.checklists.factories import RequirementFactory, TaskFactory
from tests.checklists.files import pdf_bytes, png_bytes, upload
from tests.conftest import World

SHANGHAI = ZoneInfo("Asia/Shanghai")
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


def queued(book: Book, office: User, **fields: Any) -> BinderExport:
    """An export row as binder_request leaves it (without enqueueing anything)."""
    return BinderExport.objects.create(campaign=book.campaign, requested_by=office, **fields)


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


# --- requesting -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["leader", "inspector", "unit", "grid"])
def test_only_the_office_may_request_a_binder(book: Book, actors: dict[str, User], name: str) -> None:
    with pytest.raises(PermissionDenied, match="创卫办"):
        binder_request(campaign=book.campaign, actor=actors[name])
    assert not BinderExport.objects.exists()


def test_binder_request_enqueues_the_build_only_after_commit(
    book: Book, actors: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    with (
        mock.patch.object(build_binder, "delay") as delay,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        export = binder_request(campaign=book.campaign, actor=actors["office"])
        delay.assert_not_called()
    assert export.status == ExportStatus.QUEUED
    assert export.requested_by == actors["office"]
    delay.assert_not_called()
    assert len(callbacks) == 1

    with mock.patch.object(build_binder, "delay") as delay:
        callbacks[0]()
    delay.assert_called_once_with(export.pk)


@pytest.mark.parametrize("status", [ExportStatus.QUEUED, ExportStatus.RUNNING])
def test_a_second_request_while_one_is_unfinished_returns_it(
    book: Book, actors: dict[str, User], django_capture_on_commit_callbacks: Any, status: str
) -> None:
    first = queued(book, actors["office"], status=status)

    with mock.patch.object(build_binder, "delay") as delay, django_capture_on_commit_callbacks(execute=True):
        again = binder_request(campaign=book.campaign, actor=actors["admin"])

    assert again == first
    assert BinderExport.objects.count() == 1
    delay.assert_not_called()


def test_a_request_after_a_finished_one_starts_a_new_export(
    book: Book, actors: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    done = queued(book, actors["office"], status=ExportStatus.DONE)

    with mock.patch.object(build_binder, "delay") as delay, django_capture_on_commit_callbacks(execute=True):
        export = binder_request(campaign=book.campaign, actor=actors["office"])

    assert export != done
    delay.assert_called_once_with(export.pk)


def test_an_export_unfinished_for_hours_is_abandoned_and_a_new_one_starts(
    book: Book, actors: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    stuck = queued(book, actors["office"], status=ExportStatus.RUNNING)
    BinderExport.objects.filter(pk=stuck.pk).update(requested_at=timezone.now() - timedelta(hours=3))

    with mock.patch.object(build_binder, "delay"), django_capture_on_commit_callbacks(execute=True):
        export = binder_request(campaign=book.campaign, actor=actors["office"])

    stuck.refresh_from_db()
    assert export != stuck
    assert stuck.status == ExportStatus.FAILED
    assert "超时" in stuck.error


def test_an_unreachable_broker_marks_the_export_failed_instead_of_leaving_it_queued(
    book: Book, actors: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    with (
        mock.patch.object(build_binder, "delay", side_effect=BrokerError("connection refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        export = binder_request(campaign=book.campaign, actor=actors["office"])

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert "任务队列" in export.error


def test_the_task_calls_the_build_service_with_the_id(book: Book, actors: dict[str, User]) -> None:
    export = queued(book, actors["office"])

    assert build_binder.run(export.pk) == ExportStatus.DONE


# --- pages ----------------------------------------------------------------------------------------


def finished(book: Book, office: User) -> BinderExport:
    """A done export with a small stored file, finished on 2026-11-23 (Beijing time)."""
    export = queued(book, office, status=ExportStatus.DONE, progress=100, file_count=1, size=4)
    export.file.save("binder.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    export.finished_at = datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI)
    export.save()
    return export


CAMPAIGN_GET = {"anon": 302, "grid": 404, "unit": 200, "leader": 200, "inspector": 200, "office": 200}
CAMPAIGN_POST = {"anon": 302, "grid": 404, "unit": 403, "leader": 403, "inspector": 403}
EXPORT_GET = {"anon": 302, "grid": 404, "unit": 404, "unit_other": 404, "leader": 200, "office": 200}


@pytest.mark.parametrize(("name", "expected"), CAMPAIGN_GET.items())
def test_campaign_binders_page_access(book: Book, login: Any, name: str, expected: int) -> None:
    response = login(name).get(reverse("binders:campaign", args=[book.campaign.pk]))

    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


def test_campaign_binders_page_lists_exports_newest_first_with_the_button_for_the_office(
    book: Book, actors: dict[str, User], login: Any
) -> None:
    older = finished(book, actors["office"])
    newer = queued(book, actors["office"], status=ExportStatus.RUNNING, progress=37)

    page = login("office").get(reverse("binders:campaign", args=[book.campaign.pk])).content.decode()

    assert "生成迎检档案" in page
    assert page.index(f'id="binder-{newer.pk}"') < page.index(f'id="binder-{older.pk}"')
    assert "37%" in page


def test_campaign_binders_page_has_no_button_and_no_exports_for_a_unit(
    book: Book, actors: dict[str, User], login: Any
) -> None:
    finished(book, actors["office"])

    page = login("unit").get(reverse("binders:campaign", args=[book.campaign.pk])).content.decode()

    assert "生成迎检档案</button>" not in page
    assert "binder-" not in page
    assert "仅创卫办、领导和督查人员可以查看" in page


@pytest.mark.parametrize(("name", "expected"), CAMPAIGN_POST.items())
def test_only_the_office_may_start_a_binder_from_the_page(
    book: Book, login: Any, name: str, expected: int
) -> None:
    response = login(name).post(reverse("binders:campaign", args=[book.campaign.pk]))

    assert response.status_code == expected
    assert not BinderExport.objects.exists()


def test_the_office_starts_a_binder_from_the_page_and_it_is_enqueued_on_commit(
    book: Book, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("binders:campaign", args=[book.campaign.pk])
    client = login("office")

    with mock.patch.object(build_binder, "delay") as delay, django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    export = BinderExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url
    delay.assert_called_once_with(export.pk)
    assert "已开始生成迎检档案" in client.get(url).content.decode()


@pytest.mark.parametrize(("name", "expected"), EXPORT_GET.items())
def test_status_partial_access(
    book: Book, actors: dict[str, User], login: Any, name: str, expected: int
) -> None:
    export = queued(book, actors["office"], status=ExportStatus.RUNNING, progress=37)

    response = login(name).get(reverse("binders:status", args=[export.pk]))

    assert response.status_code == expected


def test_status_partial_of_a_running_export_shows_the_percentage_and_polls(
    book: Book, actors: dict[str, User], login: Any
) -> None:
    export = queued(book, actors["office"], status=ExportStatus.RUNNING, progress=37)

    html = login("leader").get(reverse("binders:status", args=[export.pk])).content.decode()

    assert "37%" in html
    assert 'aria-valuenow="37"' in html
    assert 'hx-trigger="every 1s"' in html
    assert "<html" not in html


def test_status_partial_of_a_finished_export_stops_polling_and_links_the_download(
    book: Book, actors: dict[str, User], login: Any
) -> None:
    export = finished(book, actors["office"])

    html = login("office").get(reverse("binders:status", args=[export.pk])).content.decode()

    assert "hx-trigger" not in html
    assert reverse("binders:download", args=[export.pk]) in html


def test_status_partial_of_a_failed_export_shows_the_error(
    book: Book, actors: dict[str, User], login: Any
) -> None:
    export = queued(book, actors["office"], status=ExportStatus.FAILED, error="材料文件缺失")

    html = login("office").get(reverse("binders:status", args=[export.pk])).content.decode()

    assert "材料文件缺失" in html
    assert "hx-trigger" not in html


@pytest.mark.parametrize(("name", "expected"), EXPORT_GET.items())
def test_download_access(book: Book, actors: dict[str, User], login: Any, name: str, expected: int) -> None:
    export = finished(book, actors["office"])

    response = login(name).get(reverse("binders:download", args=[export.pk]))
    response.close()

    assert response.status_code == expected


def test_download_is_an_attachment_named_after_the_campaign_and_day(
    book: Book, actors: dict[str, User], login: Any
) -> None:
    export = finished(book, actors["office"])

    response = login("office").get(reverse("binders:download", args=[export.pk]))

    assert b"".join(response.streaming_content) == b"PK\x05\x06" + b"\x00" * 18
    response.close()
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert quote("2025—2027年创建周期_迎检档案_20261123.zip") in disposition


def test_download_of_an_unfinished_export_is_not_found(
    book: Book, actors: dict[str, User], login: Any
) -> None:
    export = queued(book, actors["office"], status=ExportStatus.RUNNING)

    assert login("office").get(reverse("binders:download", args=[export.pk])).status_code == 404


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
