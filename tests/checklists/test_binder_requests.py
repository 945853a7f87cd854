"""迎检档案 requests: who may ask, enqueueing after commit, unfinished and abandoned exports, the broker."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from apps.accounts.models import User
from apps.checklists.models import BinderExport, ExportStatus
from apps.checklists.services import binder_request
from apps.checklists.tasks import build_binder
from tests.checklists.conftest import Book, queued

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
