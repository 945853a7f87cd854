"""迎检档案 pages: the campaign's binders page, the status partial and the download, by access matrix."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from unittest import mock
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from apps.accounts.models import User
from apps.checklists.models import BinderExport, ExportStatus
from apps.checklists.tasks import build_binder
from tests.checklists.conftest import Book, queued

SHANGHAI = ZoneInfo("Asia/Shanghai")


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
